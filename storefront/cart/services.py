"""Cart use cases (foundation version: the cart issue completes this module)."""

from __future__ import annotations

from sqlalchemy import select

from storefront.cart.models import Cart
from storefront.database import transactional
from storefront.extensions import db


@transactional
def merge_guest_cart(guest_token: str | None, user_id: int) -> list[str]:
    """Move a guest cart's lines into the user's cart at login; return notes on what changed."""
    if not guest_token:
        return []
    guest = db.session.execute(select(Cart).where(Cart.token == guest_token)).scalar_one_or_none()
    if guest is None or not guest.lines:
        return []
    mine = db.session.execute(select(Cart).where(Cart.user_id == user_id)).scalar_one_or_none()
    if mine is None:
        guest.token, guest.user_id = None, user_id
        return []
    notes: list[str] = []
    existing = {line.variant_id: line for line in mine.lines}
    for line in list(guest.lines):
        target = existing.get(line.variant_id)
        if target is None:
            guest.lines.remove(line)
            mine.lines.append(line)
            continue
        wanted = target.quantity + line.quantity
        allowed = min(wanted, line.variant.stock) or target.quantity
        if allowed < wanted:
            notes.append(f"{line.variant.product.name}: only {allowed} can be in your cart.")
        target.quantity = allowed
    db.session.delete(guest)
    return notes
