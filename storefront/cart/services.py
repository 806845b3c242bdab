"""Cart use cases: add, change, remove, empty, accept changes, and merge a guest cart at login.

Every function takes the cart's owner explicitly and runs as one transaction; quantities are
checked here (whole number, 1..CART_MAX_QUANTITY, not above stock) and prices always come from
the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, select

from storefront.cart.lines import (
    ISSUE_ARCHIVED,
    ISSUE_PRICE_CHANGED,
    ISSUE_SHORT,
    ISSUE_SOLD_OUT,
    CartSummary,
    line_issues,
)
from storefront.cart.models import Cart, CartLine
from storefront.cart.owners import CartOwner, find_cart, find_or_create_cart
from storefront.cart.quote import quote_order
from storefront.cart.reading import priced_lines
from storefront.catalog.models import Product, Variant
from storefront.database import transactional
from storefront.errors import NotFound, ValidationFailed
from storefront.extensions import db
from storefront.inventory.levels import cart_limit, cart_maximum, is_sold_out


@dataclass(frozen=True)
class AddedToCart:
    """What an add did: the cart's guest token (None for users) and the line's new quantity."""

    guest_token: str | None
    item_name: str
    quantity_added: int
    line_quantity: int


def display_name(product_name: str, label: str) -> str:
    """Return a product name with its size or option, as a customer reads it."""
    return f"{product_name} ({label})" if label else product_name


def item_name(variant: Variant) -> str:
    """Return a loaded variant's product name with its size or option."""
    return display_name(variant.product.name, variant.label)


@dataclass(frozen=True)
class ItemForSale:
    """What an add needs to know of a variant: its name, stock, price now and if it is sold."""

    variant_id: int
    name: str
    stock: int
    price_cents: int
    is_active: bool


def item_for_sale(variant_id: int) -> ItemForSale | None:
    """Return the variant as an add sees it, read in one query (None if there is none)."""
    row = db.session.execute(
        select(
            Variant.id,
            Product.name,
            Variant.label,
            Variant.stock,
            Variant.price_cents,
            Product.is_active,
        )
        .join(Product, Product.id == Variant.product_id)
        .where(Variant.id == variant_id)
    ).first()
    if row is None:
        return None
    variant_id, product_name, label, stock, price_cents, is_active = row
    return ItemForSale(variant_id, display_name(product_name, label), stock, price_cents, is_active)


def check_quantity(quantity: int) -> int:
    """Return `quantity` if it is a whole number from 1 to the cart maximum, else raise."""
    limit = cart_maximum()
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= limit:
        raise ValidationFailed(f"Enter a whole number from 1 to {limit}.", field="quantity")
    return quantity


def _check_stock(name: str, stock: int, quantity: int, already: int = 0) -> None:
    if is_sold_out(stock):
        raise ValidationFailed(f"Sorry, {name} is sold out.", field="quantity")
    if quantity > stock:
        held = f" You already have {already} in your cart." if already else ""
        raise ValidationFailed(f"Only {stock} of {name} in stock.{held}", field="quantity")


def _line_of(cart: Cart | None, line_id: int) -> CartLine:
    for line in cart.lines if cart else []:
        if line.id == line_id:
            return line
    raise NotFound("That item is no longer in your cart.")


def cart_summary(owner: CartOwner) -> CartSummary:
    """Return the owner's cart priced from the database now (empty if they have none)."""
    currency = current_app.config["STOREFRONT_CURRENCY"]
    lines = priced_lines(owner, currency)
    return CartSummary(lines, quote_order(lines, current_app.config["SHIPPING_METHODS"], currency))


@transactional
def add_to_cart(owner: CartOwner, variant_id: int, quantity: int) -> AddedToCart:
    """Add `quantity` of a variant to the owner's cart, creating the cart on first use."""
    check_quantity(quantity)
    item = item_for_sale(variant_id) if isinstance(variant_id, int) else None
    if item is None or not item.is_active:
        raise NotFound("That product is not available.")
    cart = find_or_create_cart(owner, with_lines=False)
    line = db.session.scalar(
        select(CartLine).where(CartLine.cart_id == cart.id, CartLine.variant_id == item.variant_id)
    )
    already = line.quantity if line is not None else 0
    wanted = already + quantity
    if wanted > cart_maximum():
        raise ValidationFailed(
            f"You can have at most {cart_maximum()} of one item in your cart.", field="quantity"
        )
    _check_stock(item.name, item.stock, wanted, already)
    if line is None:
        line = CartLine(cart_id=cart.id, variant_id=item.variant_id)
        db.session.add(line)
    line.quantity = wanted
    # The customer added it at today's price, which their product page showed.
    line.unit_price_cents_seen = item.price_cents
    return AddedToCart(cart.token, item.name, quantity, wanted)


@transactional
def set_line_quantity(owner: CartOwner, line_id: int, quantity: int) -> str:
    """Set a cart line's quantity; return the item's name."""
    check_quantity(quantity)
    line = _line_of(find_cart(owner, lock=True), line_id)
    _check_stock(item_name(line.variant), line.variant.stock, quantity)
    line.quantity = quantity
    return item_name(line.variant)


@transactional
def remove_line(owner: CartOwner, line_id: int) -> str:
    """Remove a line from the owner's cart; return the item's name."""
    cart = find_cart(owner, lock=True)
    line = _line_of(cart, line_id)
    name = item_name(line.variant)
    cart.lines.remove(line)
    return name


@transactional
def empty_cart(owner: CartOwner) -> None:
    """Remove every line from the owner's cart."""
    cart = find_cart(owner, lock=True, with_lines=False)
    if cart is not None:
        db.session.execute(delete(CartLine).where(CartLine.cart_id == cart.id))


@transactional
def accept_cart_changes(owner: CartOwner) -> list[str]:
    """Accept what changed since lines were added; return a note per line that changed.

    New prices are acknowledged, quantities above stock come down to what is left, and lines
    that sold out or whose product was archived leave the cart.
    """
    cart = find_cart(owner, lock=True)
    currency = current_app.config["STOREFRONT_CURRENCY"]
    notes: list[str] = []
    for line in list(cart.lines if cart else []):
        issues = line_issues(line, currency)
        name = item_name(line.variant)
        if ISSUE_ARCHIVED in issues or ISSUE_SOLD_OUT in issues:
            cart.lines.remove(line)
            notes.append(f"{name} was removed from your cart: {next(iter(issues.values()))}")
            continue
        if ISSUE_SHORT in issues:
            line.quantity = line.variant.stock
            notes.append(f"{name}: quantity lowered to the {line.quantity} left in stock.")
        if ISSUE_PRICE_CHANGED in issues:
            line.unit_price_cents_seen = line.variant.price_cents
            notes.append(f"{name}: {issues[ISSUE_PRICE_CHANGED]}")
    return notes


def _merge_quantity(variant: Variant, wanted: int) -> int:
    """Return how many of `wanted` may stay in a cart: none if sold out, else the cart limit."""
    return 0 if is_sold_out(variant.stock) else min(wanted, cart_limit(variant.stock))


@transactional
def merge_guest_cart(guest_token: str | None, user_id: int) -> list[str]:
    """Move a guest cart's lines into the user's cart at login; return notes on what changed.

    Quantities of the same item add up, capped by stock and the cart maximum; the guest cart
    is deleted afterwards.
    """
    guest = find_cart(CartOwner.guest(guest_token), lock=True) if guest_token else None
    if guest is None:
        return []
    if not guest.lines:
        db.session.delete(guest)
        return []
    mine = find_or_create_cart(CartOwner.user(user_id))
    had_lines = bool(mine.lines)
    existing = {line.variant_id: line for line in mine.lines}
    notes: list[str] = []
    for line in guest.lines:
        variant = line.variant
        target = existing.get(line.variant_id)
        wanted = line.quantity + (target.quantity if target else 0)
        allowed = _merge_quantity(variant, wanted)
        if allowed < 1:
            notes.append(f"{item_name(variant)} is sold out and could not be kept in your cart.")
            continue
        if allowed < wanted:
            notes.append(
                f"{item_name(variant)}: only {allowed} can be in your cart "
                f"(you had {wanted} across both carts)."
            )
        if target is None:
            mine.lines.append(
                CartLine(
                    variant_id=line.variant_id,
                    quantity=allowed,
                    unit_price_cents_seen=line.unit_price_cents_seen,
                )
            )
        else:
            target.quantity = allowed
    db.session.delete(guest)
    if had_lines:
        notes.insert(0, "The items you added before logging in were added to your cart.")
    return notes
