"""A clinic location with its own time zone and opening days."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from readiness.models.base import Base

EVERY_DAY = "mon,tue,wed,thu,fri,sat,sun"
# What a site may say it does, for requirements that apply only where a procedure is done.
PROCEDURES = (
    "laser_vein",
    "laser_hair_removal",
    "tattoo_removal",
    "skin_resurfacing",
    "photofacial",
)


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    # Normalised comma list of weekday abbreviations, Monday first.
    open_days: Mapped[str] = mapped_column(String(40), default=EVERY_DAY)
    address: Mapped[str | None] = mapped_column(String(300), default=None)
    phone: Mapped[str | None] = mapped_column(String(60), default=None)
    nearest_hospital: Mapped[str | None] = mapped_column(String(300), default=None)
    # US state or region code, used for incident reporting deadlines.
    state: Mapped[str | None] = mapped_column(String(8), default=None)
    treats_children: Mapped[bool] = mapped_column(default=False)
    # The procedures performed here, `;`-separated names from PROCEDURES (None: not stated).
    procedures: Mapped[str | None] = mapped_column(String(300), default=None)
    active: Mapped[bool] = mapped_column(default=True)
