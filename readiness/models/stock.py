"""Lots of expiring stock: epinephrine auto-injectors, AED pads and batteries."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from readiness.models.base import Base


class StockLot(Base):
    __tablename__ = "stock_lots"
    __table_args__ = (UniqueConstraint("site_id", "item", "lot_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    item: Mapped[str] = mapped_column(String(60))
    lot_number: Mapped[str] = mapped_column(String(80))
    expires_on: Mapped[date] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column()
    received_on: Mapped[date | None] = mapped_column(Date, default=None)
    location: Mapped[str | None] = mapped_column(String(200), default=None)
