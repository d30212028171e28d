"""Lots of expiring stock (epinephrine auto-injectors, AED pads and batteries) and their
movements: units received, used and disposed, each a dated record, never an overwrite.

A lot's units on hand on a day D are its opening quantity (`StockLot.quantity`, as
counted when the lot was imported, from `received_on`, or always when that is unknown)
plus the units received, less those used and disposed, in movements dated on or before D.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from readiness.models.base import Base, EvidenceMixin

MOVEMENT_KINDS = ("received", "used", "disposed")
# What each kind of movement does to the units on hand.
MOVEMENT_SIGN = {"received": 1, "used": -1, "disposed": -1}


class StockLot(Base):
    __tablename__ = "stock_lots"
    __table_args__ = (UniqueConstraint("site_id", "item", "lot_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    item: Mapped[str] = mapped_column(String(60))
    lot_number: Mapped[str] = mapped_column(String(80))
    expires_on: Mapped[date] = mapped_column(Date)
    # The opening quantity (an imported count); later changes are StockMovement rows.
    quantity: Mapped[int] = mapped_column()
    received_on: Mapped[date | None] = mapped_column(Date, default=None)
    location: Mapped[str | None] = mapped_column(String(200), default=None)


class StockMovement(EvidenceMixin, Base):
    """Units of one lot received, used or disposed on a site-local day, with who and why."""

    __tablename__ = "stock_movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_pk: Mapped[int] = mapped_column(ForeignKey("stock_lots.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    # Always positive; MOVEMENT_SIGN says which way it moves the count.
    quantity: Mapped[int] = mapped_column()
    occurred_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(500), default=None)
    # Made when the form was opened: a double submit records one movement.
    idempotency_key: Mapped[str | None] = mapped_column(String(120), unique=True, default=None)
