"""The signal sent when a variant's stock changes (the catalogue page cache listens)."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent with `variant_id` after a variant's stock level changed.
stock_level_changed = _signals.signal("stock-level-changed")


def stock_changed(variant_id: int) -> None:
    """Announce that `variant_id`'s stock changed."""
    stock_level_changed.send(variant_id)
