"""The stock ledger: one movement per change of a variant's stock level."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.extensions import db
from storefront.models_base import UTCDateTime, utcnow

REASON_INITIAL = "initial"
REASON_RECEIVE = "receive"
REASON_STOCKTAKE = "stocktake"
REASON_WRITE_OFF = "write_off"
REASON_ORDER = "order"
REASON_CANCEL = "cancel"
REASON_IMPORT = "import"
REASONS = (
    REASON_INITIAL,
    REASON_RECEIVE,
    REASON_STOCKTAKE,
    REASON_WRITE_OFF,
    REASON_ORDER,
    REASON_CANCEL,
    REASON_IMPORT,
)


class StockMovement(db.Model):
    """A change of stock: how much, the level after it, why, who did it and for which order."""

    __tablename__ = "stock_movements"
    __table_args__ = (Index("ix_stock_movements_variant_time", "variant_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("variants.id", ondelete="SET NULL"))
    sku: Mapped[str] = mapped_column(String(64))  # kept if the variant is ever deleted
    delta: Mapped[int] = mapped_column(Integer)
    stock_after: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(200), default="")
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("orders.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    variant = relationship("Variant")
    actor = relationship("User")
    order = relationship("Order")
