"""Build shop records for tests, committed through the real database.

Stock given here goes in through inventory.change_stock (an 'initial' movement), as in the shop.
Call inside an app context (the `db` fixture gives one).
"""

from __future__ import annotations

import itertools

from storefront.accounts.models import ROLE_ADMIN, ROLE_CUSTOMER, User
from storefront.accounts.passwords import hash_password
from storefront.catalog.models import Category, Product, ProductImage, Variant
from storefront.catalog.pricing import refresh_price_range
from storefront.extensions import db
from storefront.inventory.models import REASON_INITIAL
from storefront.inventory.services import change_stock
from storefront.models_base import utcnow

PASSWORD = "correct horse battery staple 42"
_sequence = itertools.count(1)


def _next() -> int:
    return next(_sequence)


def user(
    email: str | None = None,
    password: str = PASSWORD,
    name: str = "Ada Customer",
    role: str = ROLE_CUSTOMER,
    is_active: bool = True,
    confirmed: bool = True,
) -> User:
    """Create a user (a customer unless `role` says otherwise)."""
    person = User(
        email=(email or f"customer{_next()}@example.com").lower(),
        name=name,
        password_hash=hash_password(password),
        role=role,
        is_active=is_active,
        email_confirmed_at=utcnow() if confirmed else None,
    )
    db.session.add(person)
    db.session.commit()
    return person


def admin(email: str | None = None, password: str = PASSWORD, name: str = "Owen Owner") -> User:
    """Create an admin."""
    return user(email or f"admin{_next()}@example.com", password, name, ROLE_ADMIN)


def category(name: str | None = None, slug: str | None = None) -> Category:
    """Create a category."""
    number = _next()
    name = name or f"Category {number}"
    shelf = Category(name=name, slug=slug or name.lower().replace(" ", "-"), position=number)
    db.session.add(shelf)
    db.session.commit()
    return shelf


def product(
    name: str | None = None,
    price_cents: int = 5000,
    category: Category | None = None,
    sizes: dict[str, int] | None = None,
    description: str = "A fine shoe.",
    is_active: bool = True,
    price_overrides: dict[str, int] | None = None,
    low_stock_threshold: int = 3,
    slug: str | None = None,
    sku_prefix: str | None = None,
) -> Product:
    """Create a product with variants; `sizes` maps label to stock ({'': 5} = no options)."""
    number = _next()
    name = name or f"Test Shoe {number}"
    sizes = {"": 10} if sizes is None else sizes
    price_overrides = price_overrides or {}
    prefix = sku_prefix or f"SKU{number}"
    item = Product(
        name=name,
        slug=slug or f"{name.lower().replace(' ', '-')}-{number}",
        description=description,
        base_price_cents=price_cents,
        category=category,
        is_active=is_active,
    )
    for position, label in enumerate(sizes):
        item.variants.append(
            Variant(
                label=label,
                sku=f"{prefix}-{label or 'ONE'}",
                price_override_cents=price_overrides.get(label),
                low_stock_threshold=low_stock_threshold,
                position=position,
            )
        )
    refresh_price_range(item)
    db.session.add(item)
    db.session.flush()
    for variant in item.variants:
        if sizes[variant.label]:  # opening stock goes in through the ledger, as in the shop
            change_stock(variant.id, sizes[variant.label], REASON_INITIAL)
    db.session.commit()
    db.session.refresh(item)
    return item


def image(product: Product, storage_key: str | None = None, alt_text: str = "") -> ProductImage:
    """Attach an image record (no file) to a product."""
    picture = ProductImage(
        product_id=product.id,
        storage_key=storage_key or f"{_next():032x}",
        width=480,
        height=360,
        alt_text=alt_text,
        position=len(product.images),
    )
    db.session.add(picture)
    db.session.commit()
    return picture
