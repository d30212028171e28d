"""The kinds of import file: their columns (interfaces spec, "Import files"), keys and models."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from sqlalchemy import String

from readiness.clock import utc_now
from readiness.errors import UserError
from readiness.importing import cells, site_plan_rows
from readiness.importing.report import Counts
from readiness.models import (
    ASSET_KINDS,
    ASSET_STATUSES,
    EMERGENCY_DUTIES,
    EMERGENCY_SCENARIOS,
    EVERY_DAY,
    LASER_KINDS,
    PROCEDURES,
    SERVICE_KINDS,
    STAFF_ROLES,
    Asset,
    Base,
    Certification,
    Drill,
    DrillParticipant,
    EmergencyRole,
    ServiceEvent,
    Site,
    SiteContacts,
    SiteDocument,
    SiteOpenDays,
    Staff,
    StaffAssignment,
    StaffRoleChange,
    StockLocationChange,
    StockLot,
)
from readiness.models.site_contact import EVERY_SCENARIO, US_EMERGENCY_NUMBER, US_POISON_CONTROL
from readiness.policy.current import derive_expiry
from readiness.services.histories import after_history_import, after_owner_import

Reference = Literal["site", "staff", "asset", "staff_list"]
RESULTS = ("pass", "fail")


@dataclass(frozen=True)
class Column:
    """One column of an import file and the model attribute it fills."""

    name: str
    parse: cells.Parser = cells.text
    required: bool = False
    # Used for an empty cell, and for a column the file lacks when a record is created.
    default: Any = None
    attr: str = ""
    # The column holds ids of other records, stored as their integer primary keys.
    ref: Reference | None = None

    @property
    def target(self) -> str:
        """The model attribute this column fills."""
        return self.attr or self.name


@dataclass(frozen=True)
class Children:
    """A relationship filled from one column: a list of child rows, one per id."""

    model: type[Base]
    attr: str


# (values of a record, attributes the file states) -> fill in derived values in place.
Deriver = Callable[[dict[str, Any], set[str]], None]
# (session, records written, actor, the audit reason of each) -> more audited writes.
AfterWrite = Callable[..., None]
# (session, records new or changed, count unchanged, file, actor) -> counts: rows that a
# service writes as it decides (versioned data), instead of being stored as they are.
Apply = Callable[..., Counts]


@dataclass(frozen=True)
class Kind:
    """A kind of import file: its columns, the columns that identify a row, its model."""

    name: str
    model: type[Base]
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    children: dict[str, Children] = field(default_factory=dict)
    derive: Deriver | None = None
    # Run on the rows a file created or changed, in the import's transaction.
    after: AfterWrite | None = None
    # Writes the rows instead of the row-by-row writer (see readiness.importing.writer).
    apply: Apply | None = None
    # The key is one site code, matched like every typed site code: "aus1" is AUS1.
    key_ignores_case: bool = False

    @property
    def evidence(self) -> bool:
        """Evidence rows are amended, master data rows updated."""
        return self.model.__evidence__

    def column(self, name: str) -> Column:
        """The column called `name`."""
        return self._by_name[name]

    @cached_property
    def _by_name(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}

    @cached_property
    def key_attrs(self) -> tuple[str, ...]:
        """Model attributes of the key columns."""
        return tuple(self.column(name).target for name in self.key)

    def max_length(self, attr: str) -> int | None:
        """Longest text the model column of `attr` holds (PostgreSQL enforces it)."""
        column = self.model.__table__.columns.get(attr)
        if column is not None and isinstance(column.type, String):
            return column.type.length
        return None


def _certificate_expiry(values: dict[str, Any], stated: set[str]) -> None:
    """An empty expires_on is derived from the policy, and flagged as derived."""
    if values["expires_on"] is None:
        values["expires_on"] = derive_expiry(values["cert_type"], values["issued_on"])
        values["expiry_derived"] = values["expires_on"] is not None
    else:
        values["expiry_derived"] = False
    if "expires_on" in stated:
        stated.add("expiry_derived")


def _employment(values: dict[str, Any], stated: set[str]) -> None:
    """Someone who has left (left_on today or before) is inactive; earlier days keep them."""
    left_on = values.get("left_on")
    if left_on is None:
        return
    values["active"] = left_on > utc_now().date()
    stated.add("active")


def _service_dates(values: dict[str, Any], stated: set[str]) -> None:
    """A retirement date makes the asset retired from that day on."""
    if values.get("retired_on") is not None:
        values["status"] = "retired"
        stated.add("status")


def _site_code(required: bool = True) -> Column:
    return Column("site_code", required=required, attr="site_id", ref="site")


def _choices(options: tuple[str, ...]) -> cells.Parser:
    """A parser of `;`-separated names from `options`, stored sorted without repeats."""

    def parse(value: cells.Cell) -> str | None:
        names = cells.id_list(value)
        if names is None:
            return None
        wrong = [n for n in names if n.lower() not in options]
        if wrong:
            raise cells.CellError(f"{cells.shown(wrong[0])} is not one of: {', '.join(options)}")
        return ";".join(sorted({n.lower() for n in names}))

    return parse


def _state(value: cells.Cell) -> str | None:
    """A two-letter US state code, upper case (requirements apply by state)."""
    raw = cells.text(value)
    if raw is None:
        return None
    if len(raw) != 2 or not raw.isalpha():
        raise cells.CellError(f"{cells.shown(raw)} is not a two-letter state code, e.g. TX")
    return raw.upper()


SITES = Kind(
    "sites",
    Site,
    (
        Column("code", required=True),
        Column("name", required=True),
        Column("timezone", cells.time_zone, required=True),
        Column("open_days", cells.week_days, default=EVERY_DAY),
        Column("address"),
        Column("phone"),
        Column("nearest_hospital"),
        Column("treats_children", cells.yes_no, default=False),
        # Extensions beyond the spec's columns: the model keeps them.
        Column("state", _state),
        Column("active", cells.yes_no, default=True),
        Column("procedures", _choices(PROCEDURES)),
    ),
    key=("code",),
    after=after_owner_import,
    key_ignores_case=True,
)

STAFF = Kind(
    "staff",
    Staff,
    (
        Column("staff_id", required=True),
        _site_code(),
        Column("full_name", required=True),
        Column("role", cells.choice(STAFF_ROLES), required=True),
        Column("email"),
        Column("active", cells.yes_no, default=True),
        Column("is_lso", cells.yes_no, default=False),
        Column("hired_on", cells.day),
        Column("left_on", cells.day),
    ),
    key=("staff_id",),
    derive=_employment,
    after=after_owner_import,
)

CERTIFICATIONS = Kind(
    "certifications",
    Certification,
    (
        Column("staff_id", required=True, attr="staff_pk", ref="staff"),
        Column("type", cells.name, required=True, attr="cert_type"),
        Column("issued_on", cells.day, required=True),
        Column("expires_on", cells.day),
        Column("card_number"),
        Column("provider"),
    ),
    key=("staff_id", "type", "issued_on"),
    derive=_certificate_expiry,
)

ASSETS = Kind(
    "assets",
    Asset,
    (
        Column("asset_id", required=True),
        _site_code(),
        Column("kind", cells.choice(ASSET_KINDS), required=True),
        Column("name", required=True),
        Column("manufacturer"),
        Column("model"),
        Column("serial_number"),
        Column("location"),
        Column("status", cells.choice(ASSET_STATUSES), default="in_service"),
        Column("service_interval_months", cells.whole_number(1)),
        Column("pads_expire_on", cells.day),
        Column("battery_expires_on", cells.day),
        Column("wavelength_nm"),
        Column("optical_density"),
        Column("laser_kind", cells.choice(LASER_KINDS)),
        Column("in_service_from", cells.day),
        Column("retired_on", cells.day),
        Column("status_since", cells.day),
    ),
    key=("asset_id",),
    derive=_service_dates,
)

STOCK = Kind(
    "stock",
    StockLot,
    (
        _site_code(),
        Column("item", cells.name, required=True),
        Column("lot_number", required=True),
        Column("expires_on", cells.day, required=True),
        Column("quantity", cells.whole_number(0), required=True),
        Column("received_on", cells.day),
        Column("location"),
    ),
    key=("site_code", "item", "lot_number"),
    after=after_owner_import,
)

# Histories with effective dates (empty effective_from: since before the records).
STAFF_ROLES_FROM = Kind(
    "staff_roles",
    StaffRoleChange,
    (
        Column("staff_id", required=True, attr="staff_pk", ref="staff"),
        Column("role", cells.choice(STAFF_ROLES), required=True),
        Column("is_lso", cells.yes_no, default=False),
        Column("effective_from", cells.day),
        Column("reason"),
    ),
    key=("staff_id", "effective_from"),
    after=after_history_import,
)

SITE_OPEN_DAYS = Kind(
    "site_open_days",
    SiteOpenDays,
    (
        _site_code(),
        Column("open_days", cells.week_days, required=True),
        Column("effective_from", cells.day),
        Column("reason"),
    ),
    key=("site_code", "effective_from"),
    after=after_history_import,
)

STOCK_LOCATIONS = Kind(
    "stock_locations",
    StockLocationChange,
    (
        _site_code(),
        Column("item", cells.name, required=True),
        Column("lot_number", required=True),
        Column("location", required=True),
        Column("effective_from", cells.day),
        Column("reason"),
    ),
    key=("site_code", "item", "lot_number", "effective_from"),
    after=after_history_import,
)

SERVICE_EVENTS = Kind(
    "service_events",
    ServiceEvent,
    (
        Column("asset_id", required=True, attr="asset_pk", ref="asset"),
        Column("kind", cells.choice(SERVICE_KINDS), required=True),
        Column("performed_on", cells.day, required=True),
        Column("performed_by", required=True),
        Column("result", cells.choice(RESULTS), required=True),
        Column("certificate_number"),
        Column("next_due_on", cells.day),
        Column("notes"),
    ),
    key=("asset_id", "kind", "performed_on"),
)

DRILLS = Kind(
    "drills",
    Drill,
    (
        _site_code(),
        Column("scenario", cells.name, required=True),
        Column("held_at", cells.instant, required=True),
        Column("participants", cells.id_list, required=True, ref="staff_list"),
        Column("outcome", cells.choice(RESULTS), required=True),
        Column("time_to_aed_s", cells.whole_number(0)),
        Column("time_to_epinephrine_s", cells.whole_number(0)),
        Column("time_to_oxygen_s", cells.whole_number(0)),
        Column("debrief"),
    ),
    key=("site_code", "scenario", "held_at"),
    children={"participants": Children(DrillParticipant, "staff_pk")},
)

DOCUMENTS = Kind(
    "documents",
    SiteDocument,
    (
        _site_code(),
        Column("type", cells.name, required=True, attr="doc_type"),
        Column("reviewed_on", cells.day, required=True),
        Column("reviewed_by", required=True),
        Column("title"),
        Column("reference"),
    ),
    key=("site_code", "type", "reviewed_on"),
)

# Where staff work besides their home site: from starts_on through ends_on (empty: still).
STAFF_ASSIGNMENTS = Kind(
    "staff_assignments",
    StaffAssignment,
    (
        Column("staff_id", required=True, attr="staff_pk", ref="staff"),
        _site_code(),
        Column("starts_on", cells.day, required=True),
        Column("ends_on", cells.day),
    ),
    key=("staff_id", "site_code", "starts_on"),
)

# The emergency action plan's numbers and places: a row is a new version of its site's
# contacts from effective_from (empty: the import's day), made only when values change.
SITE_CONTACTS = Kind(
    "site_contacts",
    SiteContacts,
    (
        _site_code(),
        Column("emergency_number", default=US_EMERGENCY_NUMBER),
        Column("poison_control", default=US_POISON_CONTROL),
        Column("ed_name"),
        Column("ed_address"),
        Column("ed_phone"),
        Column("drive_minutes", cells.whole_number(0)),
        Column("route_notes"),
        Column("transfer_hospital"),
        Column("medical_director_phone"),
        Column("lso_phone"),
        Column("after_hours_phone"),
        Column("aed_location"),
        Column("kit_location"),
        Column("oxygen_location"),
        Column("extinguisher_location"),
        Column("effective_from", cells.day),
        Column("reason"),
    ),
    key=("site_code", "effective_from"),
    apply=site_plan_rows.apply_contacts,
)

# Who leads, calls 911, brings the AED or epinephrine, records times: a role or a staff id,
# from effective_from (empty: the import's day); a changed duty is a new dated row.
EMERGENCY_ROLES = Kind(
    "emergency_roles",
    EmergencyRole,
    (
        _site_code(),
        Column(
            "scenario", cells.choice((EVERY_SCENARIO, *EMERGENCY_SCENARIOS)), default=EVERY_SCENARIO
        ),
        Column("duty", cells.choice(EMERGENCY_DUTIES), required=True),
        Column("assignee", required=True),
        Column("effective_from", cells.day),
        Column("reason"),
    ),
    key=("site_code", "scenario", "duty", "effective_from"),
    apply=site_plan_rows.apply_roles,
)

# Dependency order: a file may refer to ids of the files before it.
KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        SITES,
        STAFF,
        STAFF_ASSIGNMENTS,
        CERTIFICATIONS,
        ASSETS,
        STOCK,
        SERVICE_EVENTS,
        DRILLS,
        DOCUMENTS,
        SITE_CONTACTS,
        EMERGENCY_ROLES,
        # Histories come after the records they are about.
        SITE_OPEN_DAYS,
        STAFF_ROLES_FROM,
        STOCK_LOCATIONS,
    )
}


def kind_named(name: str) -> Kind:
    """The kind called `name`, or a UserError listing the kinds."""
    try:
        return KINDS[name.strip().lower()]
    except KeyError:
        raise UserError(f"unknown import kind {name!r} (one of: {', '.join(KINDS)})") from None
