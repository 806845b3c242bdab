"""The signal sent when a variant's stock changes (the catalogue page cache listens)."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent with `variant_id` after a variant's stock level changed, with the levels `before` and
#: `after` and the highest low-stock threshold among its product's variants (`badge_threshold`)
#: when they are known (None otherwise).
stock_level_changed = _signals.signal("stock-level-changed")


def stock_changed(
    variant_id: int,
    before: int | None = None,
    after: int | None = None,
    badge_threshold: int | None = None,
) -> None:
    """Announce that `variant_id`'s stock changed (from `before` to `after`, if known)."""
    stock_level_changed.send(
        variant_id, before=before, after=after, badge_threshold=badge_threshold
    )
