"""Per requirement kind: the days of the period one subject was out of compliance.

Each function reads the same facts as the compliance engine's module of that kind
(`readiness.compliance.*`) and applies its rule to every day at once. Like the
engine, an asset's status and a staff member's employment are read as they stood on each
day (status history, hired_on/left_on); facts without a history (a site's settings) are
read as they are now. The engine's rules are its own: the test
`test_export_days_out_match_the_engine_day_by_day` asks it day by day and compares,
so a change there shows up here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from readiness.compliance import drills
from readiness.compliance.applicability import holds
from readiness.compliance.history.facts import SLOT_LOOKBACK, History
from readiness.compliance.history.period import OpenDaysSpan, slot_dates_over
from readiness.policy.pack import Policy
from readiness.policy.requirements import (
    AcknowledgementRequirement,
    CertificationRequirement,
    ChecklistRequirement,
    DesignationRequirement,
    DocumentRequirement,
    DrillRequirement,
    ExpiredStockRequirement,
    ExpiryRequirement,
    EyewearMatchRequirement,
    Interval,
    IntervalRequirement,
    PresenceRequirement,
    RecordMatchRequirement,
    Requirement,
    StockRequirement,
)
from readiness.policy.templates import Template, record_readers
from readiness.rules import due as rules
from readiness.rules import eyewear, masks, slots
from readiness.rules.masks import Days, Mask, day

IN_SERVICE = "in_service"
# The "due day" of failed evidence: every day from it on is out of compliance.
FAILED = np.iinfo(np.int64).min


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
    # The instant of the export: a slot due by a time today has ended once it passed.
    now_utc: datetime | None = None
    # Per requirement with applies_if: whether it holds, by site pk (filled as asked).
    applying: dict[str, dict[int, bool]] = dataclasses.field(default_factory=dict)


def subject_mask(requirement: Requirement, site_pk: int, subject: str, j: Judging) -> Mask:
    """Days the subject was out of compliance (before corrective actions are laid over)."""
    if not _applies(requirement, site_pk, j):
        return np.zeros(len(j.days), dtype=bool)
    mask = KINDS[requirement.kind](requirement, site_pk, subject, j)
    if requirement.subject == "asset":
        asset = j.history.assets.get((site_pk, subject))
        # Nothing is owed on the days the asset was not in service (nor there yet).
        return mask & _in_service_days(asset, j) if asset is not None else mask
    return mask


def _applies(requirement: Requirement, site_pk: int, j: Judging) -> bool:
    """True where the requirement's applies_if holds at the site (the engine's rule)."""
    condition = requirement.applies_if
    if condition is None:
        return True
    found = j.applying.get(requirement.id)
    if found is None:
        profile = j.history.profile
        found = dict(zip(profile.index, holds(condition, profile), strict=True))
        j.applying[requirement.id] = found
    return bool(found.get(site_pk, False))


def _asset(j: Judging, site_pk: int, subject: str) -> Any | None:
    """The asset (its days out of service are laid over by `subject_mask`)."""
    return j.history.assets.get((site_pk, subject))


def _in_service_days(asset: Any, j: Judging) -> Mask:
    """Days the asset was in service: its status history, latest change on or before each
    day (none yet: not there); without a history, its status now on every day."""
    changes = j.history.status_changes.get(asset.id)
    if not changes:
        return np.full(len(j.days), asset.status == IN_SERVICE, dtype=bool)
    out = np.zeros(len(j.days), dtype=bool)
    for since, status in changes:
        on = j.days >= since if since is not None else np.ones(len(j.days), dtype=bool)
        out = np.where(on, status == IN_SERVICE, out)
    return out


def _employed_days(person: Any, j: Judging) -> Mask:
    """Days the person was active: from hired_on, before left_on (inactive without a
    leaving date: no day), as the engine reads each as_of."""
    if person.left_on is None and not person.active:
        return np.zeros(len(j.days), dtype=bool)
    on = np.ones(len(j.days), dtype=bool)
    if person.hired_on is not None:
        on &= j.days >= day(person.hired_on)
    if person.left_on is not None:
        on &= j.days < day(person.left_on)
    return on


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
    # Every event of the kinds counts: the latest decides, and a failed one is out of
    # compliance from its day until a later pass.
    for event in j.history.services.get(asset.id, []):
        if event.kind not in r.event_kinds:
            continue
        done.append(day(event.performed_on))
        if r.requires_pass and event.result != "pass":
            due.append(FAILED)
            continue
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
    total = np.zeros(len(j.days), dtype=np.int64)
    for lot in j.history.lots.get((site_pk, r.item), []):
        usable = ~masks.lapsed(j.days, day(lot.expires_on), r.valid_through_expiry_date)
        total += usable * np.maximum(_units(lot, j), 0)
    return total < r.minimum


def _expired_stock(r: ExpiredStockRequirement, site_pk: int, _subject: str, j: Judging) -> Mask:
    """Days on which some lot past its expiry still had units on hand."""
    out = np.zeros(len(j.days), dtype=bool)
    for lot in j.history.lots.get((site_pk, r.item), []):
        stale = masks.lapsed(j.days, day(lot.expires_on), r.valid_through_expiry_date)
        out |= stale & (_units(lot, j) > 0)
    return out


def _units(lot: Any, j: Judging) -> npt.NDArray[np.int64]:
    """A lot's units on hand at the end of each day: its opening count from its receipt
    (always, with no receipt date), plus its movements from their days."""
    units = np.zeros(len(j.days), dtype=np.int64)
    received = day(lot.received_on) if lot.received_on else None
    units += (lot.quantity or 0) * (j.days >= received if received is not None else True)
    for moved_on, change in j.history.moves.get(lot.id, []):
        units += change * (j.days >= moved_on)
    return units


def _held(person: Any, cert_type: str, valid_through: bool, j: Judging) -> Mask:
    """Days the person's latest card of the type was in date (expiry derived if not on file)."""
    issued, expires = [], []
    validity = j.policy.certificate_types.get(cert_type)
    for card in j.history.cards.get((person.id, cert_type), []):
        ends = card.expires_on or (validity.expiry_for(card.issued_on) if validity else None)
        issued.append(day(card.issued_on))
        expires.append(day(ends) if ends else None)
    return masks.held(issued, expires, j.days, valid_through)


def _selected(
    r: CertificationRequirement | DesignationRequirement | AcknowledgementRequirement,
    person: Any,
) -> bool:
    flagged = r.staff_flag is not None and bool(getattr(person, r.staff_flag))
    return person.role in r.roles or flagged


def _certification(r: CertificationRequirement, site_pk: int, subject: str, j: Judging) -> Mask:
    person = j.history.staff.get((site_pk, subject))
    if person is None:
        return np.zeros(len(j.days), dtype=bool)
    return ~_held(person, r.cert_type, r.valid_through_expiry_date, j) & _employed_days(person, j)


def _acknowledgement(r: AcknowledgementRequirement, site_pk: int, subject: str, j: Judging) -> Mask:
    """Employed days on which the person had not yet acknowledged the version of the site's
    plan in force that day (a change makes a new version, owed by everyone from its day;
    an earlier acknowledgement of a version counts again on any day it is back in force)."""
    person = j.history.staff.get((site_pk, subject))
    if person is None or not _selected(r, person):
        return np.zeros(len(j.days), dtype=bool)
    versions = j.history.plans.get(site_pk, [])
    acknowledged = j.history.acknowledged.get((site_pk, person.id), {})
    never = np.iinfo(np.int64).max
    first = np.array([acknowledged.get(v, never) for _, v in versions] or [never], np.int64)
    # The version in force each day: the period's first holds until the first change.
    changes = np.array([since for since, _ in versions[1:]], dtype=np.int64)
    in_force = np.searchsorted(changes, j.days, side="right")
    return (first[in_force] > j.days) & _employed_days(person, j)


def _designation(r: DesignationRequirement, site_pk: int, _subject: str, j: Judging) -> Mask:
    holders = np.zeros(len(j.days), dtype=np.int64)
    for person in j.history.staff_by_site.get(site_pk, []):
        if _selected(r, person):
            held = _held(person, r.cert_type, r.valid_through_expiry_date, j)
            holders += held & _employed_days(person, j)
    # Staff assigned from elsewhere count once on each day of any of their assignments.
    visiting: dict[int, tuple[Any, Mask]] = {}
    for person, first, last in j.history.visits.get(site_pk, []):
        if _selected(r, person):
            there = (
                _employed_days(person, j)
                & (j.days >= first)
                & ((j.days <= last) if last is not None else True)
            )
            earlier = visiting.get(person.id, (person, np.zeros(len(j.days), dtype=bool)))[1]
            visiting[person.id] = (person, earlier | there)
    for person, there in visiting.values():
        holders += _held(person, r.cert_type, r.valid_through_expiry_date, j) & there
    return holders < r.minimum


def _drill(r: DrillRequirement, site_pk: int, _subject: str, j: Judging) -> Mask:
    done, due = [], []
    for held_on, drill in j.history.drills.get((site_pk, r.scenario), []):
        done.append(held_on)
        # A failed or too slow drill is out of compliance from its day until a later pass.
        passed = drills.passes(r, drill.outcome, drills.timings(r, drill))
        due.append(_due_after(_date(held_on), r.interval) if passed else FAILED)
    return masks.recurring(done, due, j.days)


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
    spans = site.open_day_spans(j.start - SLOT_LOOKBACK, _date(int(j.days[-1])))
    owed = _slots(r.frequency, tuple(spans))
    first_signed: dict[date, int] = {}
    every_run: list[int] = []
    for template in fills:
        for run_asset, slot_date, signed in j.history.runs.get((site_pk, template.id), []):
            if asset_pk is not None and run_asset != asset_pk:
                continue
            period = slots.slot_period(r.frequency, slot_date)[0]
            first_signed[period] = min(signed, first_signed.get(period, signed))
            every_run.append(signed)
    dated = [slot_day for _period, slot_day, _due in owed]
    due = [due_day for _period, _slot, due_day in owed]
    done = [first_signed.get(period) for period, _slot, _due in owed]
    # Past its due time today, today's slot has ended: judge today as a day gone by.
    today = j.today[site_pk] + int(_past_due_today(fills, site.tz, j.today[site_pk], j))
    missed = masks.missed_slots(dated, due, done, j.days, today)
    if r.max_gap_days is None or not owed:
        return missed
    return missed | _gap_over(every_run, r.max_gap_days, j.days)


def _past_due_today(fills: list[Template], tz: str, today: int, j: Judging) -> bool:
    """True once the export's instant is past today's due time (the fills' earliest due_by),
    the instant the engine and `checklist due` use (`rules.slots.due_instant`)."""
    times = [t.due_by for t in fills if t.due_by is not None]
    if j.now_utc is None or not times:
        return False
    return j.now_utc > slots.due_instant(_date(today), min(times), tz)


def _gap_over(signed: list[int], gap: int, days: Days) -> Mask:
    """Days more than `gap` days after the latest run signed by then (before any run: none)."""
    if not signed:
        return np.zeros(len(days), dtype=bool)
    runs = np.sort(np.asarray(signed, dtype=np.int64))
    latest = np.searchsorted(runs, days, side="right") - 1
    return (latest >= 0) & (days - runs[np.maximum(latest, 0)] > gap)


@lru_cache(maxsize=4096)
def _slots(
    frequency: slots.Frequency, spans: tuple[OpenDaysSpan, ...]
) -> tuple[tuple[date, int, int], ...]:
    """(period start, slot day, due day) of every slot dated in the spans, each slot set
    by the open days in force on its day (a site's open days change over the years)."""
    return tuple(
        (
            slots.slot_period(frequency, slot_date)[0],
            day(slot_date),
            day(slots.slot_due_date(frequency, slot_date, open_days)),
        )
        for slot_date, open_days in slot_dates_over(frequency, spans)
    )


# --- presence of the essentials ---------------------------------------------------------
# Assets count on the days their status history has them in service.


def _of_kinds(j: Judging, site_pk: int, kinds: list[str]) -> list[Any]:
    """The site's assets of the kinds."""
    return [
        asset
        for (site, _id), asset in j.history.assets.items()
        if site == site_pk and asset.kind in kinds
    ]


def _presence(r: PresenceRequirement, site_pk: int, _subject: str, j: Judging) -> Mask:
    count = np.zeros(len(j.days), dtype=np.int64)
    for asset in _of_kinds(j, site_pk, list(r.asset_kinds)):
        count += _in_service_days(asset, j)
    return count < r.minimum


def _eyewear_match(r: EyewearMatchRequirement, site_pk: int, subject: str, j: Judging) -> Mask:
    laser = _asset(j, site_pk, subject)
    if laser is None:
        return np.zeros(len(j.days), dtype=bool)
    pairs = _of_kinds(j, site_pk, ["eyewear"])
    worn = np.array([_in_service_days(p, j) for p in pairs], dtype=bool).reshape(
        len(pairs), len(j.days)
    )
    # The pairs in service change on few days: judge each distinct set once.
    sets, which = np.unique(worn, axis=1, return_inverse=True)
    short = [
        not _eyes_covered(laser, r.minimum, [p for p, on in zip(pairs, col, strict=True) if on])
        for col in sets.T
    ]
    return np.asarray(short, dtype=bool)[np.asarray(which).reshape(-1)]


def _eyes_covered(laser: Any, minimum: int, worn: list[Any]) -> bool:
    """At least `minimum` readable pairs at the site protect against the laser, none unreadable."""
    nm, od = _label(laser.wavelength_nm), _label(laser.optical_density)
    if nm is None or eyewear.problem(nm, od, laser=True):
        return False
    pairs = [(_label(p.wavelength_nm), _label(p.optical_density)) for p in worn]
    if any(eyewear.problem(p_nm, p_od, laser=False) for p_nm, p_od in pairs):
        return False
    return sum(eyewear.protects(nm, od, p_nm, p_od) for p_nm, p_od in pairs) >= minimum


def _label(text: str | None) -> str | None:
    """A label column as the engine reads it: None when empty."""
    return text if text and text.strip() else None


# --- readings against records ------------------------------------------------------


def _record_match(r: RecordMatchRequirement, site_pk: int, subject: str, j: Judging) -> Mask:
    """Days on which the latest known reading of a listed field disagreed with the record."""
    asset = _asset(j, site_pk, subject)
    if asset is None:
        return np.zeros(len(j.days), dtype=bool)
    readers = {
        key: field
        for key, field in record_readers(j.templates).items()
        if j.templates[key[0]].applies_to == asset.kind
    }
    mask = np.zeros(len(j.days), dtype=bool)
    for field in r.record_fields:
        if field not in readers.values():
            return np.ones(len(j.days), dtype=bool)  # no checklist reads it: missing
        record = getattr(asset, field)
        wrong = np.zeros(len(j.days), dtype=bool)
        # In signing order: each reading decides from the day it is known until a later one.
        for template_id, item_id, known, read_on in j.history.readings.get(asset.id, []):
            if readers.get((template_id, item_id)) == field:
                wrong[j.days >= known] = read_on is not None and read_on != record
        mask |= wrong
    return mask


KINDS: dict[str, Callable[[Any, int, str, Judging], Mask]] = {
    "interval": _interval,
    "expiry": _expiry,
    "stock": _stock,
    "expired_stock": _expired_stock,
    "certification": _certification,
    "designation": _designation,
    "drill": _drill,
    "document": _document,
    "checklist": _checklist,
    "record_match": _record_match,
    "presence": _presence,
    "eyewear_match": _eyewear_match,
    "acknowledgement": _acknowledgement,
}
