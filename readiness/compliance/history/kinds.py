"""Per requirement kind: the days of the period one subject was out of compliance.

Each function reads the same facts as the compliance engine's module of that kind
(`readiness.compliance.*`) and applies its rule to every day at once. Like the
engine, facts without a history (an asset's status, a staff member's activity, a
site's settings) are read as they are now. The engine's rules are its own: the test
`test_export_days_out_match_the_engine_day_by_day` asks it day by day and compares,
so a change there shows up here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np

from readiness.compliance.history.facts import SLOT_LOOKBACK, History
from readiness.policy.pack import (
    CertificationRequirement,
    ChecklistRequirement,
    DesignationRequirement,
    DocumentRequirement,
    DrillRequirement,
    ExpiryRequirement,
    Interval,
    IntervalRequirement,
    Policy,
    Requirement,
    StockRequirement,
)
from readiness.policy.templates import Template
from readiness.rules import due as rules
from readiness.rules import masks, slots
from readiness.rules.masks import Days, Mask, day

IN_SERVICE = "in_service"


@dataclass(frozen=True)
class Judging:
    """What every kind needs: the facts, the policy, the templates, the period's days."""

    history: History
    policy: Policy
    templates: Mapping[str, Template]
    days: Days
    start: date
    # Each site's local today (a day number): its slots have not ended yet.
    today: Mapping[int, int]


def subject_mask(requirement: Requirement, site_pk: int, subject: str, j: Judging) -> Mask:
    """Days the subject was out of compliance (before corrective actions are laid over)."""
    none = np.zeros(len(j.days), dtype=bool)
    condition = requirement.applies_if
    if condition is not None and not j.history.site_flags[site_pk].get(condition, False):
        return none
    return KINDS[requirement.kind](requirement, site_pk, subject, j)


def _asset(j: Judging, site_pk: int, subject: str) -> Any | None:
    """The asset, or None when it is not in service (then nothing is owed)."""
    asset = j.history.assets.get((site_pk, subject))
    return asset if asset is not None and asset.status == IN_SERVICE else None


def _due_after(done_on: date, interval: Interval, months: int | None = None) -> int:
    """Due day after evidence on `done_on` (an asset's own months win over the policy's)."""
    months = months if months is not None else interval.months
    if months is not None:
        return day(rules.next_due(done_on, months=months))
    return day(rules.next_due(done_on, days=interval.days))


def _interval(r: IntervalRequirement, site_pk: int, subject: str, j: Judging) -> Mask:
    asset = _asset(j, site_pk, subject)
    if asset is None:
        return np.zeros(len(j.days), dtype=bool)
    months = getattr(asset, r.asset_interval_field) if r.asset_interval_field else None
    done, due = [], []
    for event in j.history.services.get(asset.id, []):
        if event.kind not in r.event_kinds or (r.requires_pass and event.result != "pass"):
            continue
        done.append(day(event.performed_on))
        # A next-due date on the service report wins over any interval.
        stated = event.next_due_on
        due.append(day(stated) if stated else _due_after(event.performed_on, r.interval, months))
    return masks.recurring(done, due, j.days)


def _expiry(r: ExpiryRequirement, site_pk: int, subject: str, j: Judging) -> Mask:
    asset = _asset(j, site_pk, subject)
    if asset is None:
        return np.zeros(len(j.days), dtype=bool)
    expires = getattr(asset, r.expiry_field)
    if expires is None:
        return np.ones(len(j.days), dtype=bool)
    return masks.lapsed(j.days, day(expires), r.valid_through_expiry_date)


def _stock(r: StockRequirement, site_pk: int, _subject: str, j: Judging) -> Mask:
    lots = [
        (day(lot.received_on) if lot.received_on else None, day(lot.expires_on), lot.quantity or 0)
        for lot in j.history.lots.get((site_pk, r.item), [])
    ]
    return masks.on_hand(lots, j.days, r.valid_through_expiry_date) < r.minimum


def _held(person: Any, cert_type: str, valid_through: bool, j: Judging) -> Mask:
    """Days the person's latest card of the type was in date (expiry derived if not on file)."""
    issued, expires = [], []
    validity = j.policy.certificate_types.get(cert_type)
    for card in j.history.cards.get((person.id, cert_type), []):
        ends = card.expires_on or (validity.expiry_for(card.issued_on) if validity else None)
        issued.append(day(card.issued_on))
        expires.append(day(ends) if ends else None)
    return masks.held(issued, expires, j.days, valid_through)


def _selected(r: CertificationRequirement | DesignationRequirement, person: Any) -> bool:
    flagged = r.staff_flag is not None and bool(getattr(person, r.staff_flag))
    return person.role in r.roles or flagged


def _certification(r: CertificationRequirement, site_pk: int, subject: str, j: Judging) -> Mask:
    person = j.history.staff.get((site_pk, subject))
    if person is None or not person.active:
        return np.zeros(len(j.days), dtype=bool)
    return ~_held(person, r.cert_type, r.valid_through_expiry_date, j)


def _designation(r: DesignationRequirement, site_pk: int, _subject: str, j: Judging) -> Mask:
    holders = np.zeros(len(j.days), dtype=np.int64)
    for person in j.history.staff_by_site.get(site_pk, []):
        if person.active and _selected(r, person):
            holders += _held(person, r.cert_type, r.valid_through_expiry_date, j)
    return holders < r.minimum


def _drill(r: DrillRequirement, site_pk: int, _subject: str, j: Judging) -> Mask:
    done = j.history.drills.get((site_pk, r.scenario), [])
    return _recurring_days(done, r.interval, j)


def _document(r: DocumentRequirement, site_pk: int, _subject: str, j: Judging) -> Mask:
    done = j.history.documents.get((site_pk, r.document_type), [])
    return _recurring_days(done, r.interval, j)


def _recurring_days(done: list[int], interval: Interval, j: Judging) -> Mask:
    due = [_due_after(_date(d), interval) for d in done]
    return masks.recurring(done, due, j.days)


def _date(number: int) -> date:
    return date.fromordinal(number + masks.EPOCH_ORDINAL)


# --- checklists ----------------------------------------------------------------------


def _checklist(r: ChecklistRequirement, site_pk: int, subject: str, j: Judging) -> Mask:
    fills = [
        t
        for t in j.templates.values()
        if r.id in t.satisfies
        and t.frequency != "per_use"
        and (r.subject != "asset" or t.per_asset)
    ]
    if not fills:
        return np.ones(len(j.days), dtype=bool)  # no template covers it: missing
    asset_pk = None
    if r.subject == "asset":
        asset = _asset(j, site_pk, subject)
        if asset is None:
            return np.zeros(len(j.days), dtype=bool)
        asset_pk = asset.id
    site = j.history.sites[site_pk]
    owed = _slots(r.frequency, j.start - SLOT_LOOKBACK, _date(int(j.days[-1])), site.open_days)
    first_signed: dict[date, int] = {}
    for template in fills:
        for run_asset, slot_date, signed in j.history.runs.get((site_pk, template.id), []):
            if asset_pk is not None and run_asset != asset_pk:
                continue
            period = slots.slot_period(r.frequency, slot_date)[0]
            first_signed[period] = min(signed, first_signed.get(period, signed))
    dated = [slot_day for _period, slot_day, _due in owed]
    due = [due_day for _period, _slot, due_day in owed]
    done = [first_signed.get(period) for period, _slot, _due in owed]
    return masks.missed_slots(dated, due, done, j.days, j.today[site_pk])


@lru_cache(maxsize=4096)
def _slots(
    frequency: slots.Frequency, first: date, last: date, open_days: frozenset[int]
) -> tuple[tuple[date, int, int], ...]:
    """(period start, slot day, due day) of every slot dated from first to last."""
    return tuple(
        (
            slots.slot_period(frequency, slot_date)[0],
            day(slot_date),
            day(slots.slot_due_date(frequency, slot_date, open_days)),
        )
        for slot_date in slots.slot_dates(frequency, first, last, open_days)
    )


KINDS: dict[str, Callable[[Any, int, str, Judging], Mask]] = {
    "interval": _interval,
    "expiry": _expiry,
    "stock": _stock,
    "certification": _certification,
    "designation": _designation,
    "drill": _drill,
    "document": _document,
    "checklist": _checklist,
}
