"""Cart use cases: add, change, remove, empty, accept changes, and merge a guest cart at login.

Every function takes the cart's owner explicitly and runs as one transaction; quantities are
checked here (whole number, 1..CART_MAX_QUANTITY, not above stock) and prices always come from
the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy.orm import joinedload

from storefront.cart.models import Cart, CartLine
from storefront.cart.owners import CartOwner, find_cart, find_or_create_cart
from storefront.cart.pricing import (
    ISSUE_ARCHIVED,
    ISSUE_PRICE_CHANGED,
    ISSUE_SHORT,
    ISSUE_SOLD_OUT,
    CartSummary,
    line_issues,
    price_cart,
)
from storefront.catalog.models import Variant
from storefront.database import transactional
from storefront.errors import NotFound, ValidationFailed
from storefront.extensions import db


@dataclass(frozen=True)
class AddedToCart:
    """What an add did: the cart's guest token (None for users) and the line's new quantity."""

    guest_token: str | None
    item_name: str
    quantity_added: int
    line_quantity: int


def max_quantity() -> int:
    """Return the most of one item a cart line may hold."""
    return int(current_app.config["CART_MAX_QUANTITY"])


def item_name(variant: Variant) -> str:
    """Return the product name with its size or option, as a customer reads it."""
    label = f" ({variant.label})" if variant.label else ""
    return f"{variant.product.name}{label}"


def check_quantity(quantity: int) -> int:
    """Return `quantity` if it is a whole number from 1 to the cart maximum, else raise."""
    limit = max_quantity()
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= limit:
        raise ValidationFailed(f"Enter a whole number from 1 to {limit}.", field="quantity")
    return quantity


def _check_stock(variant: Variant, quantity: int, already: int = 0) -> None:
    if variant.stock <= 0:
        raise ValidationFailed(f"Sorry, {item_name(variant)} is sold out.", field="quantity")
    if quantity > variant.stock:
        held = f" You already have {already} in your cart." if already else ""
        raise ValidationFailed(
            f"Only {variant.stock} of {item_name(variant)} in stock.{held}", field="quantity"
        )


def _line_of(cart: Cart | None, line_id: int) -> CartLine:
    for line in cart.lines if cart else []:
        if line.id == line_id:
            return line
    raise NotFound("That item is no longer in your cart.")


def cart_summary(owner: CartOwner) -> CartSummary:
    """Return the owner's cart priced from the database now (empty if they have none)."""
    config = current_app.config
    return price_cart(find_cart(owner), config["STOREFRONT_CURRENCY"], config["SHIPPING_METHODS"])


@transactional
def add_to_cart(owner: CartOwner, variant_id: int, quantity: int) -> AddedToCart:
    """Add `quantity` of a variant to the owner's cart, creating the cart on first use."""
    check_quantity(quantity)
    variant = (
        db.session.get(Variant, variant_id, options=[joinedload(Variant.product)])
        if isinstance(variant_id, int)
        else None
    )
    if variant is None or not variant.product.is_active:
        raise NotFound("That product is not available.")
    cart = find_or_create_cart(owner)
    line = next((line for line in cart.lines if line.variant_id == variant.id), None)
    already = line.quantity if line else 0
    wanted = already + quantity
    if wanted > max_quantity():
        raise ValidationFailed(
            f"You can have at most {max_quantity()} of one item in your cart.", field="quantity"
        )
    _check_stock(variant, wanted, already)
    if line is None:
        line = CartLine(variant_id=variant.id, quantity=wanted)
        cart.lines.append(line)
    line.quantity = wanted
    # The customer added it at today's price, which their product page showed.
    line.unit_price_cents_seen = variant.price_cents
    return AddedToCart(cart.token, item_name(variant), quantity, wanted)


@transactional
def set_line_quantity(owner: CartOwner, line_id: int, quantity: int) -> str:
    """Set a cart line's quantity; return the item's name."""
    check_quantity(quantity)
    line = _line_of(find_cart(owner, lock=True), line_id)
    _check_stock(line.variant, quantity)
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
    cart = find_cart(owner, lock=True)
    if cart is not None:
        cart.lines.clear()


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
    """Return how many of `wanted` may stay in a cart: capped by stock and the cart maximum."""
    return max(0, min(wanted, variant.stock, max_quantity()))


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
