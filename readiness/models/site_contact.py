"""What hangs on a clinic's wall: its emergency numbers, hospital, equipment places and roles."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
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
    """One site's emergency numbers, its emergency department and where the equipment is."""

    __tablename__ = "site_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), unique=True)
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
    """Who does one duty in one scenario at a site: a staff role (e.g. rn) or a staff id."""

    __tablename__ = "emergency_roles"
    __table_args__ = (UniqueConstraint("site_id", "scenario", "duty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    # A scenario name, or EVERY_SCENARIO.
    scenario: Mapped[str] = mapped_column(String(40))
    duty: Mapped[str] = mapped_column(String(40))
    # A staff role name (STAFF_ROLES) or a staff id, as the import file gave it.
    assignee: Mapped[str] = mapped_column(String(64))
