"""What hangs on a clinic's wall: its emergency numbers, hospital, equipment places and roles.

Both are kept as dated versions, never overwritten: a `SiteContacts` row is the whole set
of a site's numbers and places from `effective_from` on, an `EmergencyRole` row who does
one duty in one scenario from `effective_from` on. For a day, the latest row on or before
it decides (ties: the later row, so a same-day correction wins and the first stays on
record). `readiness.services.site_contacts` writes them; `readiness.rules.site_plan`
reads the version in force on a day.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from readiness.models.base import Base

# What someone must do in an emergency, in the order the wall plan lists them.
EMERGENCY_DUTIES = ("lead", "call_911", "aed", "epinephrine", "record_times")
# An emergency role row for every scenario at once; a scenario's own row wins over it.
EVERY_SCENARIO = "all"
EMERGENCY_SCENARIOS = (
    "anaphylaxis",
    "cardiac_arrest",
    "vasovagal_syncope",
    "laser_burn",
    "laser_eye_exposure",
    "fire",
)
US_EMERGENCY_NUMBER = "911"
# The national Poison Help line (America's Poison Centers), reaching the local centre.
US_POISON_CONTROL = "1-800-222-1222"


class SiteContacts(Base):
    """One version of a site's emergency numbers, emergency department and equipment places."""

    __tablename__ = "site_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    effective_from: Mapped[date] = mapped_column(Date)
    # Why it changed, and who changed it (the audit trail has the same, with the instant).
    reason: Mapped[str | None] = mapped_column(String(500), default=None)
    recorded_by: Mapped[str] = mapped_column(String(120), default="")
    emergency_number: Mapped[str | None] = mapped_column(String(40), default=None)
    poison_control: Mapped[str | None] = mapped_column(String(40), default=None)
    ed_name: Mapped[str | None] = mapped_column(String(200), default=None)
    ed_address: Mapped[str | None] = mapped_column(String(300), default=None)
    ed_phone: Mapped[str | None] = mapped_column(String(60), default=None)
    drive_minutes: Mapped[int | None] = mapped_column(Integer, default=None)
    route_notes: Mapped[str | None] = mapped_column(String(500), default=None)
    transfer_hospital: Mapped[str | None] = mapped_column(String(200), default=None)
    medical_director_phone: Mapped[str | None] = mapped_column(String(60), default=None)
    lso_phone: Mapped[str | None] = mapped_column(String(60), default=None)
    after_hours_phone: Mapped[str | None] = mapped_column(String(60), default=None)
    aed_location: Mapped[str | None] = mapped_column(String(200), default=None)
    kit_location: Mapped[str | None] = mapped_column(String(200), default=None)
    oxygen_location: Mapped[str | None] = mapped_column(String(200), default=None)
    extinguisher_location: Mapped[str | None] = mapped_column(String(200), default=None)


class EmergencyRole(Base):
    """Who does one duty in one scenario at a site from a day on: a staff role (e.g. rn), a
    staff id, or no one (empty: the duty was taken away, and the plan says no one is named)."""

    __tablename__ = "emergency_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    # A scenario name, or EVERY_SCENARIO.
    scenario: Mapped[str] = mapped_column(String(40))
    duty: Mapped[str] = mapped_column(String(40))
    # A staff role name (STAFF_ROLES) or a staff id, as the import file gave it; "" for no one.
    assignee: Mapped[str] = mapped_column(String(64))
    effective_from: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(500), default=None)
    recorded_by: Mapped[str] = mapped_column(String(120), default="")


# The values a contacts version holds (not its keys, date, reason or author).
CONTACT_VALUES = tuple(
    column.key
    for column in SiteContacts.__table__.columns
    if column.key not in {"id", "site_id", "effective_from", "reason", "recorded_by"}
)
