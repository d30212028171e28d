"""Master data as histories with effective dates: a staff member's role, a site's open
days and where a lot of stock is kept.

Each row says what held from `effective_from` on (None: since before the records);
for a day, the latest row on or before it decides (ties: the later row). The owner's
own column (staff.role, sites.open_days, stock_lots.location) is the value in force
today, kept in step by `readiness.services.histories`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, ForeignKeyConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from readiness.models.base import Base


class StaffRoleChange(Base):
    """The role a staff member holds, and whether they are the laser safety officer."""

    __tablename__ = "staff_role_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_pk: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    is_lso: Mapped[bool] = mapped_column(default=False)
    effective_from: Mapped[date | None] = mapped_column(Date, default=None)
    reason: Mapped[str | None] = mapped_column(String(500), default=None)


class SiteOpenDays(Base):
    """The weekdays a site is open (normalised comma list, Monday first)."""

    __tablename__ = "site_open_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    open_days: Mapped[str] = mapped_column(String(40))
    effective_from: Mapped[date | None] = mapped_column(Date, default=None)
    reason: Mapped[str | None] = mapped_column(String(500), default=None)


class StockLocationChange(Base):
    """Where a lot of stock is kept (a kit, a cart, a room).

    The lot is named as the stock file names it, by site, item and lot number (its
    unique key), so an import can refer to it without knowing its row id.
    """

    __tablename__ = "stock_location_changes"
    __table_args__ = (
        ForeignKeyConstraint(
            ["site_id", "item", "lot_number"],
            ["stock_lots.site_id", "stock_lots.item", "stock_lots.lot_number"],
        ),
        Index(None, "site_id", "item", "lot_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column()
    item: Mapped[str] = mapped_column(String(60))
    lot_number: Mapped[str] = mapped_column(String(80))
    location: Mapped[str] = mapped_column(String(200))
    effective_from: Mapped[date | None] = mapped_column(Date, default=None)
    reason: Mapped[str | None] = mapped_column(String(500), default=None)
