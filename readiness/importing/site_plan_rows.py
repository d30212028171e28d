"""The `site_contacts` and `emergency_roles` files written through the plan's versioning.

A row does not overwrite a stored row: it is a change from its `effective_from` (empty:
the import's day at the site), made by `readiness.services.site_contacts`, which adds
a version only when the values differ from those in force. A contacts row states the
columns its file has; a column the file lacks keeps the value in force. Rows of one
site are applied oldest day first, so a file may carry a site's whole history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness import clock
from readiness.importing.report import Counts
from readiness.models import Site
from readiness.models.site_contact import CONTACT_VALUES
from readiness.services.site_contacts import change_site_plan, plan_history

if TYPE_CHECKING:
    from readiness.importing.references import Record

Broken = list[tuple["Record", str, str]]


def _why(record: Record, file: str) -> str:
    """The row's own reason, else where it came from (as every import row's audit says)."""
    given = record.values.get("reason")
    origin = f"import {file} row {record.number}"
    return f"{given} ({origin})" if given else origin


def _days(session: Session, records: Sequence[Record], now: datetime) -> dict[int, date]:
    """Each record's day (by row number): its effective_from, else today at its site."""
    ids = sorted({r.values["site_id"] for r in records})
    query = select(Site.id, Site.timezone).where(Site.id.in_(ids))
    zones = {site_id: zone for site_id, zone in session.execute(query)}
    return {
        r.number: r.values.get("effective_from")
        or now.astimezone(ZoneInfo(zones[r.values["site_id"]])).date()
        for r in records
    }


def apply_contacts(
    session: Session, records: Sequence[Record], unchanged: int, *, file: str, actor: str
) -> Counts:
    """Each row a contacts change of its site from its day; same values: unchanged."""
    counts = Counts(unchanged=unchanged)
    days = _days(session, records, clock.utc_now())
    for record in sorted(records, key=lambda r: (r.values["site_id"], days[r.number], r.number)):
        site = session.get(Site, record.values["site_id"])
        assert site is not None  # resolved from the site code
        history = plan_history(session, site)
        held = history.contacts_on(days[record.number])
        values: dict[str, Any] = {
            name: record.values.get(name)
            if name in record.stated or held is None
            else getattr(held, name)
            for name in CONTACT_VALUES
        }
        change = change_site_plan(
            session,
            site,
            effective_from=days[record.number],
            reason=_why(record, file),
            actor=actor,
            contacts=values,
            history=history,
        )
        if change.changed:
            counts.created += 1
        else:
            counts.unchanged += 1
    return counts


def apply_roles(
    session: Session, records: Sequence[Record], unchanged: int, *, file: str, actor: str
) -> Counts:
    """Each row a change of one duty from its day, one version per site and day."""
    counts = Counts(unchanged=unchanged)
    days = _days(session, records, clock.utc_now())
    groups: dict[tuple[int, date], list[Record]] = defaultdict(list)
    for record in records:
        groups[(record.values["site_id"], days[record.number])].append(record)
    for (site_id, day), rows in sorted(groups.items()):
        site = session.get(Site, site_id)
        assert site is not None  # resolved from the site code
        roles = {(r.values["scenario"], r.values["duty"]): r.values["assignee"] for r in rows}
        change = change_site_plan(
            session,
            site,
            effective_from=day,
            reason=_why(rows[0], file),
            actor=actor,
            roles=roles,
        )
        counts.created += len(change.roles)
        counts.unchanged += len(rows) - len(change.roles)
    return counts


def not_before_latest(session: Session, records: list[Record], now: datetime) -> Broken:
    """Rows dated before their site's latest plan change (they would rewrite its history)."""
    days = _days(session, records, now)
    latest: dict[int, date | None] = {}
    broken: Broken = []
    for record in records:
        site_id = record.values["site_id"]
        if site_id not in latest:
            site = session.get(Site, site_id)
            assert site is not None
            latest[site_id] = plan_history(session, site).latest_day
        last = latest[site_id]
        if last is not None and days[record.number] < last:
            why = (
                f"{days[record.number]} is before the site's latest emergency plan change"
                f" ({last}): date the change {last} or later"
            )
            broken.append((record, "effective_from", why))
    return broken
