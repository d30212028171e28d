"""One slot of a recurring checklist at a site: its key, its date and its deadline.

A weekly or monthly slot is dated the first open day of its period (see
`readiness.rules.slots`); a run made any day of the period is filed under that date, so
the slot key is the same whichever day the check is done, and the partial unique
index on `checklist_runs.slot_key` allows one current run per slot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from readiness.errors import UserError
from readiness.models import Site
from readiness.policy.templates import Template
from readiness.rules import slots

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def slot_key(template_id: str, site_code: str, asset_id: str | None, slot_date: date) -> str:
    """The unique key of a slot: "template|site|asset or -|YYYY-MM-DD"."""
    return f"{template_id}|{site_code}|{asset_id or '-'}|{slot_date.isoformat()}"


def slot_label(template_id: str, site_code: str, asset_id: str | None, day: date) -> str:
    """E.g. "opening-daily for AUS1 on 2026-03-09" or "laser-preuse-daily for L-1 at AUS1 ..."."""
    where = f"{asset_id} at {site_code}" if asset_id else site_code
    return f"{template_id} for {where} on {day.isoformat()}"


@dataclass(frozen=True)
class SlotRef:
    """Which slot a check done on `day` belongs to, and when that slot is due."""

    template: Template
    site_code: str
    asset_id: str | None
    slot_date: date
    due_utc: datetime

    @property
    def key(self) -> str:
        """The slot key stored on the run."""
        return slot_key(self.template.id, self.site_code, self.asset_id, self.slot_date)

    @property
    def label(self) -> str:
        """E.g. "opening-daily for AUS1 on 2026-03-09"."""
        return slot_label(self.template.id, self.site_code, self.asset_id, self.slot_date)


@lru_cache(maxsize=1024)
def open_days_of(text: str | None) -> frozenset[int]:
    """A site's open weekdays from its setting; cached, as the reminder pass asks per slot."""
    return slots.parse_open_days(text)


@lru_cache(maxsize=65_536)
def _due_date(frequency: slots.Frequency, slot_date: date, open_days: str | None) -> date:
    """`slots.slot_due_date`, remembered: every site with the same open days shares it."""
    return slots.slot_due_date(frequency, slot_date, open_days_of(open_days))


def slot_ref(template: Template, site: Site, asset_id: str | None, day: date) -> SlotRef:
    """The slot covering a check done on the site-local `day`; UserError when none is owed."""
    open_days = open_days_of(site.open_days)
    slot_date = slots.slot_for(template.frequency, day, open_days)
    if slot_date is None:
        raise UserError(
            f"{site.code} is closed on {WEEKDAYS[day.weekday()]} {day.isoformat()}:"
            f" no {template.id} is due that day"
        )
    return SlotRef(template, site.code, asset_id, slot_date, deadline(template, slot_date, site))


def due_on(template: Template, slot_date: date, site: Site) -> date:
    """The day a slot falls due: its period's last open day (the slot's own day if daily)."""
    return _due_date(template.frequency, slot_date, site.open_days)


def deadline(template: Template, slot_date: date, site: Site) -> datetime:
    """The UTC instant a slot is due: due_by (or the day's end) on the day it falls due."""
    day = due_on(template, slot_date, site)
    if template.due_by is None:
        return slots.day_end_instant(day, site.timezone)
    return slots.due_instant(day, template.due_by, site.timezone)


def day_end(template: Template, slot_date: date, site: Site) -> datetime:
    """The UTC instant the slot's due day ends (a run after it is still late, not missing)."""
    return slots.day_end_instant(due_on(template, slot_date, site), site.timezone)
