"""Record stock received, used and disposed: each a dated movement of one lot, never an
overwrite of the lot, audited in the caller's transaction.

Units on hand of a lot on a day are its opening count (`StockLot.quantity`, from its
receipt) plus the units received, less those used and disposed, on or before that day.
A use or disposal may not take a lot below zero on its day or on any later day that
already has a movement; a double submit with the same idempotency key records once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from readiness.access import Principal, require
from readiness.audit import records
from readiness.checklist.lookup import site_by_code
from readiness.errors import UserError
from readiness.models import MOVEMENT_KINDS, MOVEMENT_SIGN, Site, StockLot, StockMovement
from readiness.rules.slots import site_today

CURRENT = "current"
ITEM = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_UNITS = 10_000


@dataclass(frozen=True)
class StockEntry:
    """What a form or the command line says happened to a lot."""

    kind: str
    site_code: str
    lot_number: str
    quantity: int
    # None: today at the site.
    occurred_on: date | None = None
    # Needed to tell lots apart only when one site has the same lot number for two items.
    item: str | None = None
    reason: str | None = None
    key: str | None = None
    # A received lot that is new to the site needs its expiry date (and may name where).
    expires_on: date | None = None
    location: str | None = None


@dataclass(frozen=True)
class Recorded:
    """The movement written (or found under the same key) and what is left on hand."""

    movement: StockMovement
    lot: StockLot
    site_code: str
    on_hand: int
    again: bool = False

    def describe(self) -> str:
        """One line for the command line and the dashboard."""
        m, lot = self.movement, self.lot
        units = f"{m.quantity} unit{'' if m.quantity == 1 else 's'}"
        done = "already recorded" if self.again else "recorded"
        return (
            f"{self.site_code}: {units} of {lot.item} lot {lot.lot_number} {m.kind} on"
            f" {m.occurred_on.isoformat()} ({done}); {self.on_hand} on hand that day"
        )


def record_stock_as(
    session: Session, by: Principal, entry: StockEntry, *, now_utc: datetime
) -> Recorded:
    """`record_stock` for a site the signed-in user covers, with the user as the actor."""
    require(by, "record_stock", entry.site_code)
    return record_stock(session, entry, actor=by.actor, now_utc=now_utc)


def record_stock(session: Session, entry: StockEntry, *, actor: str, now_utc: datetime) -> Recorded:
    """Validate and write one movement (and, for a new lot received, the lot)."""
    if entry.kind not in MOVEMENT_KINDS:
        raise UserError(f"kind must be one of {', '.join(MOVEMENT_KINDS)}, not {entry.kind!r}")
    site = site_by_code(session, entry.site_code)
    if entry.key:
        done = _with_key(session, entry.key)
        if done is not None:
            return _recorded(session, done, site, again=True)
    quantity = _quantity(entry.quantity)
    day = _day(entry.occurred_on, site, now_utc)
    if entry.kind == "received":
        lot = _lot_received(session, site, entry, day, actor)
    else:
        lot = _lot(session, site, entry.lot_number, entry.item)
        _check_taken(session, lot, day, quantity, entry.kind)
    movement = StockMovement(
        lot_pk=lot.id,
        kind=entry.kind,
        quantity=quantity,
        occurred_on=day,
        reason=(entry.reason or "").strip() or None,
        idempotency_key=entry.key or None,
    )
    return _recorded(session, _create(session, movement, actor), site)


def units_on_hand(session: Session, lot: StockLot, day: date) -> int:
    """The lot's units on hand at the end of the site-local day."""
    opening = lot.quantity if lot.received_on is None or lot.received_on <= day else 0
    return opening + sum(change for moved_on, change in _moves(session, lot) if moved_on <= day)


# --- validation --------------------------------------------------------------------


def _quantity(quantity: int) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise UserError(f"quantity must be a whole number of units above 0, not {quantity!r}")
    if quantity > MAX_UNITS:
        raise UserError(f"quantity {quantity} is more than {MAX_UNITS} units")
    return quantity


def _day(occurred_on: date | None, site: Site, now_utc: datetime) -> date:
    """The site-local day it happened: today by default, never in the future."""
    today = site_today(now_utc, site.timezone)
    if occurred_on is None:
        return today
    if occurred_on > today:
        raise UserError(f"{occurred_on.isoformat()} is in the future at {site.code}")
    return occurred_on


def _lot(session: Session, site: Site, lot_number: str, item: str | None) -> StockLot:
    """The site's lot with this number (of the item, when given)."""
    number = lot_number.strip()
    query = select(StockLot).where(StockLot.site_id == site.id, StockLot.lot_number == number)
    if item:
        query = query.where(StockLot.item == item)
    found = list(session.scalars(query))
    what = f"lot {number!r}" + (f" of {item}" if item else "")
    if not found:
        raise UserError(f"no {what} at {site.code}")
    if len(found) > 1:
        items = ", ".join(sorted(lot.item for lot in found))
        raise UserError(f"{site.code} has {what} for {items}: name the item")
    return found[0]


def _check_taken(session: Session, lot: StockLot, day: date, quantity: int, kind: str) -> None:
    """Refuse units the lot did not have that day, or that later movements already took."""
    if lot.received_on is not None and day < lot.received_on:
        raise UserError(
            f"lot {lot.lot_number} was received on {lot.received_on.isoformat()},"
            f" after {day.isoformat()}"
        )
    later = sorted({moved_on for moved_on, _ in _moves(session, lot) if moved_on > day})
    for check_day in [day, *later]:
        left = units_on_hand(session, lot, check_day)
        if quantity > left:
            when = "on " + day.isoformat() if check_day == day else f"by {check_day.isoformat()}"
            raise UserError(
                f"cannot record {quantity} {kind}: lot {lot.lot_number} of {lot.item} has"
                f" {left} unit{'' if left == 1 else 's'} on hand {when}"
            )


def _lot_received(
    session: Session, site: Site, entry: StockEntry, day: date, actor: str
) -> StockLot:
    """The lot the units arrive in: the site's existing lot, or a new one (audited)."""
    number = entry.lot_number.strip()
    if not number:
        raise UserError("a received lot needs its lot number")
    item = (entry.item or "").strip()
    if not item and entry.expires_on is None:
        # More units of a lot on file: its number is enough.
        return _lot(session, site, number, None)
    if not ITEM.match(item):
        raise UserError("a received lot needs its item, e.g. epinephrine_adult")
    lot = session.scalar(
        select(StockLot).where(
            StockLot.site_id == site.id, StockLot.item == item, StockLot.lot_number == number
        )
    )
    if lot is not None:
        if entry.expires_on is not None and entry.expires_on != lot.expires_on:
            raise UserError(
                f"lot {number} of {item} at {site.code} expires {lot.expires_on.isoformat()},"
                f" not {entry.expires_on.isoformat()}"
            )
        return lot
    if entry.expires_on is None:
        raise UserError(f"lot {number} is new at {site.code}: give its expiry date")
    # The units arrive as the movement: the lot's opening count is zero.
    lot = StockLot(
        site_id=site.id,
        item=item,
        lot_number=number,
        expires_on=entry.expires_on,
        quantity=0,
        received_on=day,
        location=(entry.location or "").strip() or None,
    )
    records.create(session, lot, actor=actor, reason="received")
    session.flush()
    return lot


# --- reading and writing -------------------------------------------------------------


def _moves(session: Session, lot: StockLot) -> list[tuple[date, int]]:
    """(day, signed units) of the lot's current movements."""
    query = select(StockMovement.occurred_on, StockMovement.kind, StockMovement.quantity).where(
        StockMovement.lot_pk == lot.id, StockMovement.record_state == CURRENT
    )
    return [(day, MOVEMENT_SIGN[kind] * units) for day, kind, units in session.execute(query)]


def _with_key(session: Session, key: str) -> StockMovement | None:
    return session.scalar(select(StockMovement).where(StockMovement.idempotency_key == key))


def _create(session: Session, movement: StockMovement, actor: str) -> StockMovement:
    """Write the movement; a concurrent submit with the same key yields that one instead."""
    try:
        with session.begin_nested():
            records.create(session, movement, actor=actor)
    except IntegrityError:
        same = _with_key(session, movement.idempotency_key or "")
        if same is None:
            raise
        return same
    return movement


def _recorded(
    session: Session, movement: StockMovement, site: Site, *, again: bool = False
) -> Recorded:
    lot = session.get_one(StockLot, movement.lot_pk)
    left = units_on_hand(session, lot, movement.occurred_on)
    return Recorded(movement, lot, site.code, left, again)
