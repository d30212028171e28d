"""A site as a period of history sees it: its zone, open days and the period's UTC bounds."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import SiteOpenDays
from readiness.rules import slots

# (first day in force, open days) of each change of a site's open days, oldest first.
OpenDaysChanges = tuple[tuple[date, frozenset[int]], ...]
# (first day, last day, open days) of a stretch of days with the same open days.
OpenDaysSpan = tuple[date, date, frozenset[int]]


@dataclass(frozen=True)
class SiteInfo:
    """A site of the export, with the UTC bounds of the period in its own time zone."""

    pk: int
    code: str
    name: str
    tz: str
    # The open days on record now; `changes` says which applied on a past day.
    open_days: frozenset[int]
    address: str | None
    start_utc: datetime
    end_utc: datetime
    changes: OpenDaysChanges = ()

    def open_days_on(self, day: date) -> frozenset[int]:
        """The open days in force on `day`, as the engine reads them for that as_of:
        the latest change on or before it, the first change before any."""
        if not self.changes:
            return self.open_days
        found = self.changes[0][1]
        for since, days in self.changes:
            if since > day:
                break
            found = days
        return found

    def open_day_spans(self, first: date, last: date) -> list[OpenDaysSpan]:
        """The days from first to last, cut where the open days changed."""
        cuts = [since for since, _ in self.changes if first < since <= last]
        starts = [first, *cuts]
        ends = [cut - timedelta(days=1) for cut in cuts] + [last]
        return [(s, e, self.open_days_on(s)) for s, e in zip(starts, ends, strict=True)]


def open_days_changes(session: Session, site_pks: Iterable[int]) -> dict[int, OpenDaysChanges]:
    """Each site's open-days history, in one query (a site without one is left out)."""
    wanted = sorted(set(site_pks))
    rows = session.execute(
        select(
            SiteOpenDays.site_id,
            SiteOpenDays.effective_from,
            SiteOpenDays.id,
            SiteOpenDays.open_days,
        ).where(SiteOpenDays.site_id.in_(wanted))
    )
    found: dict[int, list[tuple[date, int, str | None]]] = {}
    for site_pk, since, pk, days in rows:
        # A row with no date was in force from the start (as `as_of_values` reads it);
        # sorted here, since the engines put NULL at opposite ends of an ORDER BY.
        found.setdefault(site_pk, []).append((since or date.min, pk, days))
    return {
        site_pk: tuple((since, slots.parse_open_days(days)) for since, _, days in sorted(changes))
        for site_pk, changes in found.items()
    }


def slot_dates_over(
    frequency: slots.Frequency, spans: Iterable[OpenDaysSpan]
) -> list[tuple[date, frozenset[int]]]:
    """The slot dates of consecutive spans, each with the open days that set it; a
    weekly or monthly period cut by a change counts once (its first slot found)."""
    periods: set[date] = set()
    out: list[tuple[date, frozenset[int]]] = []
    for first, last, days in spans:
        for slot_date in slots.slot_dates(frequency, first, last, days):
            period = slots.slot_period(frequency, slot_date)[0]
            if period not in periods:
                periods.add(period)
                out.append((slot_date, days))
    return out
