"""The services' field rules applied to resolved records: a file stores nothing a form refuses.

Rules that need more than one cell (an expiry against its issue date) or the site's
day (nothing issued in the future) run here, after ids are resolved; the rules
themselves live in `readiness.rules` and the services call the same functions.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness import clock
from readiness.importing import history_checks, site_plan_rows
from readiness.importing.kinds import Kind
from readiness.importing.references import Record, in_batches
from readiness.importing.report import Problem
from readiness.models import Site, Staff
from readiness.rules.certificates import certificate_date_problems
from readiness.rules.identifiers import refusal

# (session, records, now) -> (record, column, reason) for each rule a record breaks.
Check = Callable[[Session, list[Record], datetime], list[tuple[Record, str, str]]]


def checked(
    session: Session, kind: Kind, records: list[Record], file: str, problems: list[Problem]
) -> list[Record]:
    """Records that keep the field rules of their kind; the others become errors."""
    check = CHECKS.get(kind.name)
    if check is None:
        return records
    broken = check(session, records, clock.utc_now())
    problems.extend(Problem(file, why, r.number, column) for r, column, why in broken)
    failed = {id(r) for r, _column, _why in broken}
    return [r for r in records if id(r) not in failed]


def _certificates(
    session: Session, records: list[Record], now: datetime
) -> list[tuple[Record, str, str]]:
    """Certifications: the expiry after the issue, the issue not after today at the staff's site."""
    today = _todays_by_staff(session, [r.values["staff_pk"] for r in records], now)
    return [
        (record, column, why)
        for record in records
        for column, why in certificate_date_problems(
            record.values["issued_on"],
            record.values["expires_on"],
            today[record.values["staff_pk"]],
        )
    ]


def _todays_by_staff(session: Session, staff_pks: list[int], now: datetime) -> dict[int, date]:
    """Today's date in the time zone of each staff member's site."""
    zones: dict[int, str] = {}
    for batch in in_batches(staff_pks):
        query = select(Staff.id, Site.timezone).join(Site, Staff.site_id == Site.id)
        zones.update({pk: zone for pk, zone in session.execute(query.where(Staff.id.in_(batch)))})
    days = {zone: now.astimezone(ZoneInfo(zone)).date() for zone in set(zones.values())}
    return {pk: days[zone] for pk, zone in zones.items()}


def _screened(column: str) -> Check:
    """Refuse a free-text column holding a possible patient identifier, as the forms do."""

    def check(
        _session: Session, records: list[Record], now: datetime
    ) -> list[tuple[Record, str, str]]:
        return [
            (record, column, why)
            for record in records
            if (why := refusal("", record.values.get(column), now.date()))
        ]

    return check


CHECKS: dict[str, Check] = {
    "certifications": _certificates,
    "drills": _screened("debrief"),
    "service_events": _screened("notes"),
    "emergency_roles": site_plan_rows.not_before_latest,
    "site_contacts": site_plan_rows.not_before_latest,
    "site_open_days": history_checks.site_open_days,
    "staff_roles": history_checks.staff_roles,
    "stock_locations": history_checks.stock_locations,
}
