"""The directory of ids rows may refer to, looked up in bulk, and rows resolved into records."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from readiness.checklist.lookup import lowered, spelled_as_stored
from readiness.importing import cells
from readiness.importing.cells import CellError
from readiness.importing.kinds import Column, Kind, Reference
from readiness.importing.report import Problem
from readiness.importing.rows import Row
from readiness.models import Asset, Site, Staff

# Values per IN (...) list: far below every engine's bound-parameter limit.
BATCH = 1000


def in_batches(values: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    """Distinct values in lists small enough for one IN (...) clause."""
    distinct = list(dict.fromkeys(values))
    for start in range(0, len(distinct), size):
        yield distinct[start : start + size]


@dataclass(frozen=True)
class SiteEntry:
    """What rows need of a site: its primary key and time zone."""

    pk: int
    timezone: str


@dataclass
class Directory:
    """Sites, staff and assets by their external ids, as the transaction sees them."""

    sites: dict[str, SiteEntry] = field(default_factory=dict)
    staff: dict[str, int] = field(default_factory=dict)
    assets: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, kind: Kind, rows: list[Row]) -> Directory:
        """Look up every id the rows mention: one query per referenced kind."""
        wanted: dict[Reference, set[str]] = {"site": set(), "staff": set(), "asset": set()}
        for column in kind.columns:
            if column.ref is None:
                continue
            target: Reference = "staff" if column.ref == "staff_list" else column.ref
            for row in rows:
                value = row.values.get(column.name)
                if value is not None:
                    wanted[target].update(value if isinstance(value, tuple) else [value])
        directory = cls()
        for batch in in_batches(wanted["site"]):
            # A file's "aus1" is the site AUS1: codes are matched without regard to case.
            sites = select(Site.code, Site.id, Site.timezone).where(
                func.lower(Site.code).in_(lowered(batch))
            )
            entries = {code: SiteEntry(pk, zone) for code, pk, zone in session.execute(sites)}
            for typed, code in spelled_as_stored(batch, entries).items():
                directory.sites[typed] = entries[code]
        for batch in in_batches(wanted["staff"]):
            staff = select(Staff.staff_id, Staff.id).where(Staff.staff_id.in_(batch))
            directory.staff.update({key: pk for key, pk in session.execute(staff)})
        for batch in in_batches(wanted["asset"]):
            assets = select(Asset.asset_id, Asset.id).where(Asset.asset_id.in_(batch))
            directory.assets.update({key: pk for key, pk in session.execute(assets)})
        return directory

    def pk(self, ref: Reference, value: str) -> int:
        """The primary key of a referenced record, or CellError naming the unknown id."""
        if ref == "site":
            if value in self.sites:
                return self.sites[value].pk
            raise CellError(f"unknown site code {cells.shown(value)}")
        found = (self.assets if ref == "asset" else self.staff).get(value)
        if found is None:
            noun = "asset id" if ref == "asset" else "staff id"
            raise CellError(f"unknown {noun} {cells.shown(value)}")
        return found


@dataclass
class Record:
    """A row ready to write: model values, and which of them the file states."""

    number: int
    values: dict[str, Any]
    # Attributes of columns present in the file; only these are compared on re-import,
    # so a file without an optional column leaves that column of stored rows alone.
    stated: set[str]
    label: str

    def key(self, kind: Kind) -> tuple[Any, ...]:
        """The values that identify this record (see Kind.key)."""
        return tuple(self.values[attr] for attr in kind.key_attrs)


def resolve(
    kind: Kind, rows: list[Row], directory: Directory, file: str, problems: list[Problem]
) -> list[Record]:
    """Rows with their ids turned into primary keys and local times into UTC instants."""
    out = []
    for row in rows:
        found: list[tuple[str, str]] = []
        record = _record(kind, row, directory, found)
        problems.extend(Problem(file, why, row.number, column) for column, why in found)
        if not found and not row.failed:
            out.append(record)
    return out


def _record(kind: Kind, row: Row, directory: Directory, problems: list[tuple[str, str]]) -> Record:
    values: dict[str, Any] = {}
    zone = _site_zone(row, directory)
    for column in kind.columns:
        if column.name in row.failed:
            continue  # reported when the cell was parsed
        try:
            values[column.target] = _value(kind, column, row, directory, zone)
        except CellError as exc:
            problems.append((column.name, str(exc)))
    stated = {kind.column(name).target for name in row.values}
    if not problems and not row.failed and kind.derive is not None:
        kind.derive(values, stated)
    label = "/".join(_label(row.values.get(name)) for name in kind.key)
    return Record(row.number, values, stated, label)


def _site_zone(row: Row, directory: Directory) -> str | None:
    """Time zone of the row's site, which reads its date-times without an offset."""
    code = row.values.get("site_code")
    entry = directory.sites.get(code) if isinstance(code, str) else None
    return entry.timezone if entry else None


def _value(kind: Kind, column: Column, row: Row, directory: Directory, zone: str | None) -> Any:
    value = row.values.get(column.name)
    if value is None:
        return column.default
    if column.ref == "staff_list":
        pks, unknown = [], []
        for staff_id in value:
            try:
                pks.append(directory.pk("staff", staff_id))
            except CellError:
                unknown.append(cells.shown(staff_id))
        if unknown:
            noun = "staff id" if len(unknown) == 1 else "staff ids"
            raise CellError(f"unknown {noun} {', '.join(unknown)}")
        return tuple(sorted(pks))
    if column.ref is not None:
        return directory.pk(column.ref, value)
    if isinstance(value, datetime):
        if zone is None:
            # Only rows of a site carry date-times, so the unknown site is reported already.
            return value
        return cells.site_instant(value, zone)
    limit = kind.max_length(column.target)
    if isinstance(value, str) and limit is not None and len(value) > limit:
        raise CellError(f"too long: {len(value)} characters, at most {limit}")
    return value


def _label(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
