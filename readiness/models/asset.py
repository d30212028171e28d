"""Equipment (lasers, AEDs, oxygen, kits, eyewear, extinguishers) and its service log."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from readiness.models.base import Base, EvidenceMixin

ASSET_KINDS = (
    "laser",
    "aed",
    "oxygen",
    "emergency_kit",
    "eyewear",
    "fire_extinguisher",
    "suction",
    "other",
)
ASSET_STATUSES = ("in_service", "out_of_service", "retired")
SERVICE_KINDS = ("calibration", "service", "inspection", "repair")
# The kind of source of a laser (or IPL) device, by its medium; a site's laser kinds are
# those of its lasers that are not retired.
LASER_KINDS = (
    "alexandrite",
    "nd_yag",
    "diode",
    "ipl",
    "pulsed_dye",
    "ktp",
    "ruby",
    "co2",
    "erbium",
    "picosecond",
)


class Asset(Base):
    __tablename__ = "assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[str] = mapped_column(String(64), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    manufacturer: Mapped[str | None] = mapped_column(String(120), default=None)
    model: Mapped[str | None] = mapped_column(String(120), default=None)
    serial_number: Mapped[str | None] = mapped_column(String(120), default=None)
    location: Mapped[str | None] = mapped_column(String(200), default=None)
    status: Mapped[str] = mapped_column(String(20), default="in_service")
    # Per-device override of the policy's service interval (some makers ask for 6).
    service_interval_months: Mapped[int | None] = mapped_column(default=None)
    pads_expire_on: Mapped[date | None] = mapped_column(Date, default=None)
    battery_expires_on: Mapped[date | None] = mapped_column(Date, default=None)
    # Text, since a laser may emit several wavelengths ("755/1064").
    wavelength_nm: Mapped[str | None] = mapped_column(String(60), default=None)
    optical_density: Mapped[str | None] = mapped_column(String(60), default=None)
    # For lasers: one of LASER_KINDS (None: not stated).
    laser_kind: Mapped[str | None] = mapped_column(String(32), default=None)
    # Effective dates kept in step with `asset_status_changes` (the history the engine
    # reads): first in service (None: since before the records), retired, current status.
    in_service_from: Mapped[date | None] = mapped_column(Date, default=None)
    retired_on: Mapped[date | None] = mapped_column(Date, default=None)
    status_since: Mapped[date | None] = mapped_column(Date, default=None)


class AssetStatusChange(Base):
    """An asset's service status from a date on; the latest on or before a day decides."""

    __tablename__ = "asset_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_pk: Mapped[int] = mapped_column(ForeignKey("assets.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    # None: since before the records began.
    effective_from: Mapped[date | None] = mapped_column(Date, default=None)
    reason: Mapped[str | None] = mapped_column(String(500), default=None)


class ServiceEvent(EvidenceMixin, Base):
    __tablename__ = "service_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_pk: Mapped[int] = mapped_column(ForeignKey("assets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    performed_on: Mapped[date] = mapped_column(Date)
    performed_by: Mapped[str] = mapped_column(String(200))
    result: Mapped[str] = mapped_column(String(8))
    certificate_number: Mapped[str | None] = mapped_column(String(120), default=None)
    next_due_on: Mapped[date | None] = mapped_column(Date, default=None)
    notes: Mapped[str | None] = mapped_column(Text, default=None)
