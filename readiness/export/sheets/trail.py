"""Audit trail: every event in the period about the export's sites, with before and after.

An event belongs to a site through the record it is about: the record's own site_id,
or the site of its parent (a service event's asset, a certificate's holder, a
follow-up's incident). Events about practice-wide records (checklist template
versions, practice-wide users) are listed as "(practice)".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, String, Table, and_, cast, func, or_, select

from readiness.audit.chain import audited_models, canonical, table_of
from readiness.compliance.history.period import SiteInfo
from readiness.export.context import ExportContext
from readiness.export.layout import SheetSpec, number, text
from readiness.export.sheets import SheetData
from readiness.export.sheets.common import SITE, ZONE, moment
from readiness.export.stream import Row
from readiness.models import AuditEvent, Base
from readiness.rules.wall_time import local, utc

BATCH = 5_000
PRACTICE = "(practice)"
# _site_of's answer for records that belong to no site; 0 is never a primary key.
PRACTICE_WIDE = 0

CANONICAL = "Canonical JSON (sealed by the event hash)"

TRAIL = SheetSpec(
    "Audit trail",
    (
        number("Seq", 8),
        *moment("When"),
        ZONE,
        SITE,
        text("Who", 16),
        text("What", 9),
        text("Record type", 18),
        text("Record", 14),
        text("Summary", 60),
        text("Reason", 28),
        text("Event hash (SHA-256)", 20),
        text("Previous event hash", 20),
        text(CANONICAL, 60),
    ),
)
# What an action did, in words.
DONE = {
    "create": "created",
    "update": "changed",
    "supersede": "superseded",
    "void": "voided",
    "delete": "removed",
}
# Table names whose singular is not the name less its "s".
NOUNS = {
    "staff": "staff member",
    "incident_followups": "incident follow-up",
    "signin_throttles": "sign-in throttle",
    "site_open_days": "opening days",
}
# Fields that name a record the way people do (an asset's id, a staff member's id...).
NATURAL_KEYS = ("asset_id", "staff_id", "code", "case_ref", "lot_number", "username", "version")
# Fields a creation's summary names, when the record has them.
HEADLINE = (
    "name",
    "full_name",
    "title",
    "kind",
    "scenario",
    "template_id",
    "incident_type",
    "severity",
    "cert_type",
    "item",
    "quantity",
    "outcome",
    "result",
    "status",
    "slot_date",
    "performed_on",
    "expires_on",
)
SUMMARY_CHARS = 300


@dataclass(frozen=True)
class _Owner:
    """How to find the site of a table's records: a column, maybe via a parent table."""

    column: str | None
    parent: str | None
    pattern: re.Pattern[str] | None


def audit_trail(ctx: ExportContext) -> SheetData:
    """The chain's events in the period that concern the export's sites, in chain order."""
    return SheetData(TRAIL, _rows(ctx))


def _rows(ctx: ExportContext) -> Iterator[Row]:
    owners = _owners()
    parents = _parent_sites(ctx, {o.parent for o in owners.values() if o.parent})
    first = min(site.start_utc for site in ctx.sites)
    last = max(site.end_utc for site in ctx.sites)
    in_period = (AuditEvent.at >= first, AuditEvent.at < last)
    low, high = ctx.session.execute(
        select(func.min(AuditEvent.seq), func.max(AuditEvent.seq)).where(*in_period)
    ).one()
    if low is None:
        return
    query = (
        select(AuditEvent.__table__)
        # The sequence range lets the engine walk the chain in order instead of sorting
        # every event of the period; the instants still decide.
        .where(AuditEvent.seq.between(low, high), *in_period)
        .order_by(AuditEvent.seq)
        .execution_options(yield_per=BATCH)
    )
    if len(ctx.site_pks) <= FILTER_SITES_AT_MOST:
        query = query.where(_concerning(ctx.site_pks, owners))
    for event in ctx.session.execute(query):
        site_pk = _site_of(event, owners.get(event.entity), parents)
        if site_pk == PRACTICE_WIDE:
            ctx.tally["audit events"] += 1
            yield _row(event, None)
            continue
        site = ctx.site_by_pk.get(site_pk) if site_pk is not None else None
        if site is None or not site.start_utc <= event.at < site.end_utc:
            continue
        ctx.tally["audit events"] += 1
        yield _row(event, site)


def _row(event: Any, site: SiteInfo | None) -> Row:
    tz = site.tz if site else "UTC"
    snapshot = _snapshot(event)
    return (
        event.seq,
        local(event.at, tz),
        utc(event.at),
        tz,
        site.code if site else PRACTICE,
        event.actor,
        DONE.get(event.action, event.action),
        noun(event.entity),
        _which(event.entity_id, snapshot),
        _summary(event, snapshot),
        event.reason,
        event.hash,
        event.prev_hash,
        canonical(_fields(event)),
    )


def noun(table: str) -> str:
    """A table's records in words: "service_events" -> "service event"."""
    if table in NOUNS:
        return NOUNS[table]
    single = table[:-1] if table.endswith("s") and not table.endswith("ss") else table
    return single.replace("_", " ")


def _snapshot(event: Any) -> dict[str, Any]:
    text_ = event.after if event.after is not None else event.before
    if text_ is None:
        return {}
    found = json.loads(text_)
    return found if isinstance(found, dict) else {}


def _which(entity_id: str, snapshot: dict[str, Any]) -> str:
    """The record as people name it (an asset id, a staff id), else its number."""
    for key in NATURAL_KEYS:
        value = snapshot.get(key)
        if isinstance(value, str) and value:
            return value[:16] if key == "version" else value
    return f"#{entity_id}"


def _summary(event: Any, snapshot: dict[str, Any]) -> str | None:
    """One line: what a creation holds, or which fields a change changed."""
    if event.after is None:
        return "removed"
    if event.before is None:
        facts = [
            f"{key.replace('_', ' ')} {_shown(snapshot[key])}"
            for key in HEADLINE
            if snapshot.get(key) not in (None, "", [])
        ]
        line = ", ".join(facts)
        if snapshot.get("supersedes_id") is not None:
            line = f"corrects #{snapshot['supersedes_id']}: {line}"
    else:
        line = _changes(event.before, event.after) or "no field changed"
    return line if len(line) <= SUMMARY_CHARS else line[: SUMMARY_CHARS - 1] + "…"


def _fields(event: Any) -> dict[str, Any]:
    """The event's fields as its hash seals them (see readiness.audit.chain.event_hash)."""
    keys = ("seq", "at", "actor", "action", "entity", "entity_id", "before", "after", "reason")
    return {key: getattr(event, key) for key in keys}


def _changes(before: str | None, after: str | None) -> str | None:
    """The fields an update changed: "status: open → closed; ..."."""
    if before is None or after is None:
        return None
    old, new = json.loads(before), json.loads(after)
    parts = [
        f"{key.replace('_', ' ')}: {_shown(old.get(key))} → {_shown(new.get(key))}"
        for key in sorted(set(old) | set(new))
        if old.get(key) != new.get(key)
    ]
    return "; ".join(parts) or None


def _shown(value: object) -> str:
    if value is None:
        return "empty"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


# --- whose record an event is about -------------------------------------------------


# Above this many sites the events are sorted out in Python alone: the filter's id lists
# grow with the sites, and PostgreSQL, once a list no longer fits its work memory,
# searches it again for every event (a 1,000-site export ran for over 20 minutes).
FILTER_SITES_AT_MOST = 10


def _concerning(site_pks: list[int], owners: dict[str, _Owner]) -> ColumnElement[bool]:
    """SQL that keeps the events about the sites' records (and practice-wide ones).

    A coarse filter, so that a one-site export of a large practice does not fetch
    every event of the period; `_site_of` still decides each event exactly.
    """
    tables = {table_of(model).name: table_of(model) for model in audited_models()}
    entity, entity_id = AuditEvent.entity, AuditEvent.entity_id
    kept: list[ColumnElement[bool]] = [entity.not_in(sorted(owners))]
    for name, owner in sorted(owners.items()):
        table = tables[name]
        if owner.column is None:
            kept.append(entity == name)
            continue
        ids = select(cast(table.c.id, String))
        if owner.parent is None:
            column = table.c[owner.column]
            ids = ids.where(or_(column.in_(site_pks), column.is_(None)))
        else:
            parent = tables[owner.parent]
            ids = ids.join(parent, parent.c.id == table.c[owner.column]).where(
                parent.c.site_id.in_(site_pks)
            )
        kept.append(and_(entity == name, entity_id.in_(ids)))
    return or_(*kept)


def _owners() -> dict[str, _Owner]:
    """For each audited table: where its records name their site."""
    found: dict[str, _Owner] = {}
    for model in audited_models():
        table = table_of(model)
        if table.name == "sites":
            found[table.name] = _Owner("id", None, _pattern(model, "id"))
        elif "site_id" in table.c:
            found[table.name] = _Owner("site_id", None, _pattern(model, "site_id"))
        else:
            found[table.name] = _via_parent(model, table)
    return found


def _via_parent(model: type[Base], table: Table) -> _Owner:
    """The first foreign key to a table that has a site_id column; else practice-wide."""
    for key in sorted(table.foreign_keys, key=lambda k: k.parent.name):
        if "site_id" in key.column.table.c:
            column = key.parent.key
            return _Owner(column, key.column.table.name, _pattern(model, column))
    return _Owner(None, None, None)


def _pattern(model: type[Base], column: str) -> re.Pattern[str] | None:
    """A regex finding the column in a canonical snapshot; None when a child row has it too.

    Canonical JSON has no spaces, and a key inside a text value has escaped quotes,
    so `"site_id":12` is the top-level column; searching it is much cheaper than
    parsing a checklist run's whole snapshot, answers and all.
    """
    for name in model.__audit_children__:
        child = model.__mapper__.relationships[name].mapper.local_table
        if column in child.c:
            return None
    return re.compile(f'"{re.escape(column)}":(\\d+|null)')


def _site_of(event: Any, owner: _Owner | None, parents: dict[str, dict[int, int]]) -> int | None:
    """The site of the record an event is about: a primary key, PRACTICE_WIDE, or None."""
    if owner is None or owner.column is None:
        return PRACTICE_WIDE
    snapshot = event.after if event.after is not None else event.before
    value = _column_value(snapshot, owner) if snapshot is not None else None
    if value is None:
        # A user of every site has no site_id; a parent link is never empty.
        return PRACTICE_WIDE if owner.parent is None else None
    return parents[owner.parent].get(value) if owner.parent else value


def _column_value(snapshot: str, owner: _Owner) -> int | None:
    if owner.pattern is None:
        found = json.loads(snapshot).get(owner.column)
        return int(found) if found is not None else None
    match = owner.pattern.search(snapshot)
    return int(match.group(1)) if match and match.group(1) != "null" else None


def _parent_sites(ctx: ExportContext, tables: set[str | None]) -> dict[str, dict[int, int]]:
    """site_id of every row of each parent table, by primary key."""
    by_name = {table_of(model).name: table_of(model) for model in audited_models()}
    found: dict[str, dict[int, int]] = {}
    for name in sorted(t for t in tables if t):
        table = by_name[name]
        rows = ctx.session.execute(select(table.c.id, table.c.site_id))
        found[name] = {pk: site for pk, site in rows}
    return found
