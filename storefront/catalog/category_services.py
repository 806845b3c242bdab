"""Back-office category use cases: add, rename, delete when empty."""

from __future__ import annotations

from slugify import slugify
from sqlalchemy import func, select

from storefront.audit import record_audit
from storefront.catalog.models import Category, Product
from storefront.catalog.navigation import forget_nav_categories
from storefront.database import transactional
from storefront.errors import Conflict, NotFound, ValidationFailed
from storefront.extensions import db


def _checked(name: str, slug: str, category_id: int | None) -> tuple[str, str]:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("Enter a name.", field="name")
    slug = slugify(slug or name, max_length=100)
    if not slug:
        raise ValidationFailed("Enter a name with letters or digits.", field="slug")
    others = select(Category).where(Category.id != (category_id or 0))
    if db.session.scalar(others.where(func.lower(Category.name) == name.lower())):
        raise Conflict(f"There is already a category called “{name}”.", field="name")
    if db.session.scalar(others.where(Category.slug == slug)):
        raise Conflict(f"Another category already uses the slug “{slug}”.", field="slug")
    return name, slug


@transactional
def create_category(actor, name: str, slug: str = "", description: str = "") -> Category:
    """Add a category at the end of the navbar."""
    name, slug = _checked(name, slug, None)
    position = (db.session.scalar(select(func.max(Category.position))) or 0) + 1
    category = Category(name=name, slug=slug, description=description.strip()[:300])
    category.position = position
    db.session.add(category)
    db.session.flush()
    record_audit(actor, "category.create", "category", category.id, f"Created “{name}”")
    forget_nav_categories()
    return category


@transactional
def rename_category(
    actor, category_id: int, name: str, slug: str = "", description: str | None = None
) -> Category:
    """Rename a category (and its slug when given)."""
    category = db.session.get(Category, category_id)
    if category is None:
        raise NotFound("That category does not exist.")
    old_name = category.name
    category.name, category.slug = _checked(name, slug or category.slug, category.id)
    if description is not None:
        category.description = description.strip()[:300]
    record_audit(
        actor, "category.rename", "category", category.id, f"“{old_name}” → “{category.name}”"
    )
    forget_nav_categories()
    return category


@transactional
def delete_category(actor, category_id: int) -> str:
    """Delete an empty category; refuse one that still holds products, saying how many."""
    category = db.session.get(Category, category_id)
    if category is None:
        raise NotFound("That category does not exist.")
    count = db.session.scalar(
        select(func.count(Product.id)).where(Product.category_id == category.id)
    )
    if count:
        raise Conflict(
            f"“{category.name}” still holds {count} product{'s' if count != 1 else ''}; "
            "move or delete them first."
        )
    name = category.name
    db.session.delete(category)
    record_audit(actor, "category.delete", "category", category_id, f"Deleted “{name}”")
    forget_nav_categories()
    return name
