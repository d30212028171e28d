"""Role, open days and stock location as histories with effective dates.

Each change appends a history row (`readiness.models.history`) and brings the owner's
own column (staff.role and is_lso, sites.open_days, stock_lots.location) in step with
the row in force today at its site; both writes are audited in the caller's
transaction. The engine reads the history, as of the day it judges.

Imports reach the same rules two ways: a history file (`staff_roles`, `site_open_days`,
`stock_locations`) writes rows and then brings owners in step (`after_history_import`);
a staff, sites or stock file that changes the owner's column itself appends the change
from the site's today (`after_owner_import`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.audit import records
from readiness.clock import utc_now
from readiness.errors import UserError
from readiness.models import (
    EVERY_DAY,
    STAFF_ROLES,
    Base,
    Site,
    SiteOpenDays,
    Staff,
    StaffRoleChange,
    StockLocationChange,
    StockLot,
)
from readiness.rules import slots

# Weekday abbreviations, Monday first: open days are stored as EVERY_DAY writes them.
WEEK = EVERY_DAY.split(",")

History = StaffRoleChange | SiteOpenDays | StockLocationChange
Owner = Staff | Site | StockLot


@dataclass(frozen=True)
class Track:
    """One kind of history: its rows, its owner, and the owner's columns it decides."""

    noun: str
    model: type[History]
    owner: type[Owner]
    # The history columns that name the owner, from an owner.
    link: Callable[[Any], dict[str, Any]]
    # The values the history decides, copied to the owner's own columns.
    fields: tuple[str, ...]
    # The owner's site (for its today), and from when its first row holds.
    site_of: Callable[[Any], int]
    first_day: Callable[[Any], date | None]

    @property
    def link_columns(self) -> tuple[str, ...]:
        """The history columns that name the owner."""
        return LINK_COLUMNS[self.model]

    def label(self, owner: Any) -> str:
        """The owner as people name it."""
        if isinstance(owner, Staff):
            return f"staff member {owner.staff_id}"
        if isinstance(owner, Site):
            return f"site {owner.code}"
        return f"lot {owner.lot_number} of {owner.item}"


LINK_COLUMNS: dict[type, tuple[str, ...]] = {
    StaffRoleChange: ("staff_pk",),
    SiteOpenDays: ("site_id",),
    StockLocationChange: ("site_id", "item", "lot_number"),
}
ROLES = Track(
    "role",
    StaffRoleChange,
    Staff,
    lambda staff: {"staff_pk": staff.id},
    ("role", "is_lso"),
    lambda staff: staff.site_id,
    lambda staff: staff.hired_on,
)
OPEN_DAYS = Track(
    "open days",
    SiteOpenDays,
    Site,
    lambda site: {"site_id": site.id},
    ("open_days",),
    lambda site: site.id,
    lambda _site: None,
)
LOCATIONS = Track(
    "location",
    StockLocationChange,
    StockLot,
    lambda lot: {"site_id": lot.site_id, "item": lot.item, "lot_number": lot.lot_number},
    ("location",),
    lambda lot: lot.site_id,
    lambda lot: lot.received_on,
)
TRACKS = {track.model: track for track in (ROLES, OPEN_DAYS, LOCATIONS)}


def history_of(session: Session, track: Track, owner: Any) -> list[Any]:
    """The owner's rows, oldest first (an unknown start first; ties by id)."""
    model = track.model
    where = [getattr(model, column) == value for column, value in track.link(owner).items()]
    rows = session.scalars(select(model).where(*where)).all()
    return sorted(rows, key=lambda r: (r.effective_from or date.min, r.id))


def in_force(history: Sequence[Any], day: date) -> Any | None:
    """The row deciding a day: the latest on or before it; before the first, the first."""
    known = [r for r in history if r.effective_from is None or r.effective_from <= day]
    return known[-1] if known else (history[0] if history else None)


def change_role(
    session: Session,
    staff: Staff,
    *,
    role: str,
    is_lso: bool,
    effective_from: date,
    reason: str | None,
    actor: str,
) -> StaffRoleChange:
    """A staff member holds `role` (and is the LSO or not) from a date on."""
    if role not in STAFF_ROLES:
        raise UserError(f"{role!r} is not a staff role (one of: {', '.join(STAFF_ROLES)})")
    values = {"role": role, "is_lso": is_lso}
    return record(session, ROLES, staff, values, effective_from, reason=reason, actor=actor)


def change_open_days(
    session: Session,
    site: Site,
    *,
    open_days: str,
    effective_from: date,
    reason: str | None,
    actor: str,
) -> SiteOpenDays:
    """A site is open on these weekdays (e.g. "mon-sat") from a date on."""
    try:
        days = slots.parse_open_days(open_days)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    text = ",".join(WEEK[d] for d in sorted(days))
    values = {"open_days": text}
    return record(session, OPEN_DAYS, site, values, effective_from, reason=reason, actor=actor)


def move_stock(
    session: Session,
    lot: StockLot,
    *,
    location: str,
    effective_from: date,
    reason: str | None,
    actor: str,
) -> StockLocationChange:
    """A lot of stock is kept at `location` (a kit, a cart, a room) from a date on."""
    place = location.strip()
    if not place:
        raise UserError("say where the stock is kept, e.g. Crash cart, Treatment room 2")
    values = {"location": place}
    return record(session, LOCATIONS, lot, values, effective_from, reason=reason, actor=actor)


def record(
    session: Session,
    track: Track,
    owner: Any,
    values: dict[str, Any],
    effective_from: date | None,
    *,
    reason: str | None,
    actor: str,
) -> Any:
    """Append a change from a date on (none earlier than the latest) and bring the owner
    in step; the history is added to, never rewritten."""
    today = _today(session, track, owner)
    if effective_from is not None and effective_from > today:
        # The owner's own column shows what holds today; a later day would leave it stale.
        raise UserError(
            f"{effective_from} is after today ({today}) at {track.label(owner)}:"
            " record the change on or after its day"
        )
    history = history_of(session, track, owner)
    latest = history[-1].effective_from if history else None
    if latest is not None and (effective_from is None or effective_from < latest):
        when = "an unknown date" if effective_from is None else str(effective_from)
        raise UserError(
            f"the {track.noun} of {track.label(owner)} changed on {latest}: a change"
            f" dated {when} would rewrite its history"
        )
    row = track.model(**track.link(owner), **values, effective_from=effective_from, reason=reason)
    records.create(session, row, actor=actor, reason=reason)
    bring_in_step(session, track, owner, [*history, row], actor=actor, reason=reason)
    return row


def bring_in_step(
    session: Session,
    track: Track,
    owner: Any,
    history: Sequence[Any] | None = None,
    *,
    actor: str,
    reason: str | None,
) -> None:
    """Set the owner's columns to the history's values in force today at its site."""
    rows = history_of(session, track, owner) if history is None else history
    current = in_force(
        sorted(rows, key=lambda r: (r.effective_from or date.min, r.id)),
        _today(session, track, owner),
    )
    if current is not None:
        values = {field: getattr(current, field) for field in track.fields}
        records.update(session, owner, values, actor=actor, reason=reason)


def after_owner_import(
    session: Session, owners: Sequence[Base], *, actor: str, reasons: Sequence[str]
) -> None:
    """Owners written from their own file: start a history from their values, or append
    the value the file changed, from the site's today (one read for all the owners)."""
    track = next((t for t in TRACKS.values() if owners and isinstance(owners[0], t.owner)), None)
    if track is None:
        return
    histories = _histories(session, track, owners)
    new = []
    for owner, why in zip(owners, reasons, strict=True):
        values = {field: getattr(owner, field) for field in track.fields}
        if any(value is None for value in values.values()):
            continue  # a lot with no location stated has no history to start
        today = _today(session, track, owner)
        current = in_force(histories.get(_key(track, owner), []), today)
        if current is None:
            since = track.first_day(owner)
        elif any(getattr(current, f) != v for f, v in values.items()):
            since = today
        else:
            continue
        row = track.model(**track.link(owner), **values, effective_from=since, reason=why)
        new.append((row, why))
    records.create_many(session, new, actor=actor)


def after_history_import(
    session: Session, rows: Sequence[Base], *, actor: str, reasons: Sequence[str]
) -> None:
    """History rows written from a file: bring each owner they name in step, once."""
    if not rows:
        return
    track = TRACKS[type(rows[0])]  # type: ignore[index]
    owners: dict[tuple[Any, ...], tuple[Any, str]] = {}
    for row, why in zip(rows, reasons, strict=True):
        key = tuple(getattr(row, column) for column in track.link_columns)
        owners.setdefault(key, (_owner_of(session, track, row), why))
    histories = _histories(session, track, [owner for owner, _why in owners.values()])
    for key, (owner, why) in owners.items():
        history = histories.get(key, [])
        bring_in_step(session, track, owner, history, actor=actor, reason=why)


def _histories(
    session: Session, track: Track, owners: Sequence[Any]
) -> dict[tuple[Any, ...], list[Any]]:
    """The owners' history rows by owner key, oldest first, read in batches."""
    model, first = track.model, track.link_columns[0]
    wanted = {_key(track, owner) for owner in owners}
    found: dict[tuple[Any, ...], list[Any]] = {}
    for batch in _batches(sorted({key[0] for key in wanted})):
        for row in session.scalars(select(model).where(getattr(model, first).in_(batch))):
            key = tuple(getattr(row, column) for column in track.link_columns)
            if key in wanted:
                found.setdefault(key, []).append(row)
    for history in found.values():
        history.sort(key=lambda r: (r.effective_from or date.min, r.id))
    return found


def _key(track: Track, owner: Any) -> tuple[Any, ...]:
    """The owner's key as its history rows hold it."""
    return tuple(track.link(owner).values())


def _batches(values: list[Any], size: int = 1000) -> list[list[Any]]:
    """Values in lists small enough for one IN (...) clause on either engine."""
    return [values[start : start + size] for start in range(0, len(values), size)]


def _owner_of(session: Session, track: Track, row: Any) -> Any:
    """The record a history row belongs to."""
    if track is ROLES:
        return session.get(Staff, row.staff_pk)
    if track is OPEN_DAYS:
        return session.get(Site, row.site_id)
    return session.scalars(
        select(StockLot).where(
            StockLot.site_id == row.site_id,
            StockLot.item == row.item,
            StockLot.lot_number == row.lot_number,
        )
    ).one()


def _today(session: Session, track: Track, owner: Any) -> date:
    """Today's date at the owner's site."""
    site = owner if isinstance(owner, Site) else session.get(Site, track.site_of(owner))
    assert site is not None  # a foreign key guarantees it
    return utc_now().astimezone(ZoneInfo(site.timezone)).date()
