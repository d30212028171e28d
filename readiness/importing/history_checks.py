"""Field rules of the history files (`staff_roles`, `site_open_days`, `stock_locations`):
a change holds from a day no later than today at its site, since the record's own column
shows what holds today; a location row names a lot on record."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from readiness.importing import cells
from readiness.importing.references import Record, in_batches
from readiness.models import Site, Staff, StockLot

Broken = list[tuple[Record, str, str]]


def staff_roles(session: Session, records: list[Record], now: datetime) -> Broken:
    """Role changes: not from a day after today at the staff member's home site."""
    zones: dict[int, str] = {}
    query = select(Staff.id, Site.timezone).join(Site, Staff.site_id == Site.id)
    for batch in in_batches(r.values["staff_pk"] for r in records):
        zones.update(dict(session.execute(query.where(Staff.id.in_(batch))).tuples().all()))
    return _not_ahead(records, {r.number: zones[r.values["staff_pk"]] for r in records}, now)


def site_open_days(session: Session, records: list[Record], now: datetime) -> Broken:
    """Open days: not from a day after today at the site."""
    return _not_ahead(records, _site_zones(session, records), now)


def stock_locations(session: Session, records: list[Record], now: datetime) -> Broken:
    """Locations: of a lot on record, not from a day after today at its site."""
    return _known_lots(session, records) + _not_ahead(records, _site_zones(session, records), now)


def _known_lots(session: Session, records: list[Record]) -> Broken:
    """A row whose lot is not in the stock register (import the stock file first)."""
    wanted = [(r.values["site_id"], r.values["item"], r.values["lot_number"]) for r in records]
    found: set[tuple[int, str, str]] = set()
    columns = tuple_(StockLot.site_id, StockLot.item, StockLot.lot_number)
    for batch in in_batches(wanted):
        query = select(StockLot.site_id, StockLot.item, StockLot.lot_number)
        for site_id, item, lot_number in session.execute(query.where(columns.in_(batch))):
            found.add((site_id, item, lot_number))
    return [
        (
            record,
            "lot_number",
            f"no lot {cells.shown(record.values['lot_number'])} of"
            f" {cells.shown(record.values['item'])} at this site in the stock file",
        )
        for record, key in zip(records, wanted, strict=True)
        if key not in found
    ]


def _site_zones(session: Session, records: list[Record]) -> dict[int, str]:
    """Each record's site time zone, by row number."""
    zones: dict[int, str] = {}
    for batch in in_batches(r.values["site_id"] for r in records):
        query = select(Site.id, Site.timezone).where(Site.id.in_(batch))
        zones.update({site_id: zone for site_id, zone in session.execute(query)})
    return {r.number: zones[r.values["site_id"]] for r in records}


def _not_ahead(records: list[Record], zones: dict[int, str], now: datetime) -> Broken:
    """Rows whose effective_from is after today at their site."""
    today: dict[str, date] = {z: now.astimezone(ZoneInfo(z)).date() for z in set(zones.values())}
    return [
        (
            record,
            "effective_from",
            f"{since} is after today ({today[zones[record.number]]}): record a change on or"
            " after its day",
        )
        for record in records
        if (since := record.values.get("effective_from")) is not None
        and since > today[zones[record.number]]
    ]
