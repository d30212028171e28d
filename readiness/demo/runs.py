"""Checklist history: every slot of every slotted template, with the usual human failings.

About 3% of slots are missed, 2% of runs are late and 1% have a failed item with
a corrective action (most closed within hours or days, a few left open).
Readings come from the clinic's own data where there is some: the epinephrine
count and earliest expiry from its stock lots, the AED's pads and battery dates,
the extinguisher's last service, the kit's seal number (changed at each monthly
inventory). Answers go through `answers.evaluate_answer`, so the stored values,
pass/fail and notes are exactly what a real submission would record.
"""

from __future__ import annotations

import bisect
import functools
import random
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Final

from readiness.demo import catalog
from readiness.demo.clinic import OPERATORS, Clinic, Device, Horizon, Person, local
from readiness.demo.evidence import corrective_action, lifecycle
from readiness.demo.plans import Plan
from readiness.demo.writer import Rec
from readiness.models import ChecklistRun
from readiness.policy.answers import ItemResult, evaluate_answer
from readiness.policy.templates import Item, Template
from readiness.rules import slots
from readiness.services.checklist_runs import response_row

MISSED: Final = 0.03
LATE: Final = 0.02
FAILED: Final = 0.01
# Corrective actions nobody got round to closing.
FORGOTTEN: Final = 0.005

# Who usually fills in a checklist, by what it applies to.
ROLES: Final[dict[str, tuple[str, ...]]] = {
    "site": ("rn", "aesthetician", "front_desk", "np"),
    "laser": OPERATORS,
    "eyewear": ("rn", "np"),
    "aed": ("rn", "np", "pa"),
    "emergency_kit": ("rn", "np", "pa"),
    "oxygen": ("rn", "np", "pa"),
    "fire_extinguisher": ("front_desk", "rn", "aesthetician"),
}
ALREADY_OPEN: Final = "Corrective action already open for this."
# A slot's due day depends only on its frequency, date and the clinic's open days, which
# few patterns share: asked once per run of a weekly or monthly check, so remembered.
_due_date = functools.lru_cache(maxsize=8192)(slots.slot_due_date)


@dataclass(eq=False)
class Desk:
    """A clinic's checklist state carried from one window to the next."""

    clinic: Clinic
    h: Horizon
    rng: random.Random
    tally: Counter[str]
    # (from day, seal number): the kit's seal over time.
    seals: list[tuple[date, str]] = field(default_factory=list)
    # (template, item, asset) -> when its open corrective action closes (None: never).
    actions: dict[tuple[str, str, str | None], datetime | None] = field(default_factory=dict)
    forced_miss: tuple[str, str | None, date] | None = None
    forced_fail: tuple[str, str | None, date] | None = None
    # Who is on staff on one day, by roles: asked for every slot of the day, so kept for it.
    staff_day: date | None = None
    staff_by_roles: dict[tuple[str, ...] | None, list[Person]] = field(default_factory=dict)

    @classmethod
    def of(cls, clinic: Clinic, h: Horizon, tally: Counter[str]) -> Desk:
        rng = clinic.rng("checklists")
        desk = cls(clinic, h, rng, tally, seals=[(h.start, f"{rng.randint(1_000_000, 9_999_999)}")])
        last_open = next((day for day in reversed(h.days()) if clinic.is_open(day)), None)
        if last_open is not None and "missed_slot" in clinic.features:
            lasers = clinic.devices_of("laser", last_open)
            if lasers:
                desk.forced_miss = ("laser-preuse-daily", lasers[0].asset_id, last_open)
        if last_open is not None and "failed_open" in clinic.features:
            desk.forced_fail = ("opening-daily", None, last_open)
        return desk

    def on_staff(self, day: date, roles: tuple[str, ...] | None = None) -> list[Person]:
        """`Clinic.on_staff`, remembered for the day (the staff is settled before the history)."""
        if day != self.staff_day:
            self.staff_day, self.staff_by_roles = day, {}
        people = self.staff_by_roles.get(roles)
        if people is None:
            people = self.staff_by_roles[roles] = self.clinic.on_staff(day, roles)
        return people

    def still_open(self, key: tuple[str, str, str | None], at: datetime) -> bool:
        """Whether a corrective action opened for this item and subject is open at `at`."""
        if key not in self.actions:
            return False
        closes = self.actions[key]
        return closes is None or closes > at

    def seal_on(self, day: date) -> str:
        position = bisect.bisect_right(self.seals, (day, "\uffff")) - 1
        return self.seals[max(position, 0)][1]

    def new_seal(self, from_day: date) -> str:
        seal = str(int(self.seals[-1][1]) + self.rng.randint(1, 30))
        bisect.insort(self.seals, (from_day, seal))
        return seal


# --- slots of a window -----------------------------------------------------------


def window_runs(desk: Desk, plans: list[Plan], first: date, last: date) -> list[Rec]:
    """Runs (and corrective actions) for every slot dated from `first` to `last`."""
    clinic, h = desk.clinic, desk.h
    periodic = {plan.id: _periodic_slots(plan, clinic, h, first, last) for plan in plans}
    recs: list[Rec] = []
    day = first
    while day <= last:
        for plan in plans:
            if plan.daily:
                if not clinic.is_open(day):
                    continue
            elif day not in periodic[plan.id]:
                continue
            for device in _subjects(plan, clinic, day):
                recs += _slot(desk, plan, device, day)
        day += timedelta(days=1)
    return recs


def this_morning(desk: Desk, plans: list[Plan], day: date) -> list[Rec]:
    """The day's opening and pre-use checks, done before their due time.

    The practice is seen as a manager opening the dashboard in the day would see it: the
    morning's checks done (a failed item now and then), not a clinic where nobody
    checked anything today.
    """
    clinic = desk.clinic
    if not clinic.is_open(day):
        return []
    recs: list[Rec] = []
    for plan in (plan for plan in plans if plan.daily):
        due = plan.due_by.hour * 60 + plan.due_by.minute if plan.due_by else 10 * 60
        when = (day, local(day, min(due - 45, 8 * 60 + 30), clinic.tz), False)
        people = desk.on_staff(day, ROLES.get(plan.template.applies_to)) or clinic.staff
        for device in _subjects(plan, clinic, day):
            person = _signer(desk, plan, day, people)
            recs += _run(desk, plan, device, day, when, person)
    return recs


def _periodic_slots(plan: Plan, clinic: Clinic, h: Horizon, first: date, last: date) -> set[date]:
    """Slot dates of a weekly or monthly template; a slot begun before the history counts."""
    if plan.daily:
        return set()
    frequency = plan.template.frequency
    found = set(slots.slot_dates(frequency, first, last, clinic.open_days))
    if first == h.start:
        earlier = slots.slot_for(frequency, h.start, clinic.open_days)
        if earlier is not None and earlier < h.start:
            # Filled in on the history's first day: the slot is still open then.
            found.add(h.start)
    return found


def _subjects(plan: Plan, clinic: Clinic, day: date) -> list[Device | None]:
    applies_to = plan.template.applies_to
    if applies_to == "site":
        return [None]
    return list(clinic.devices_of(applies_to, day))


def _slot(desk: Desk, plan: Plan, device: Device | None, day: date) -> list[Rec]:
    clinic, rng = desk.clinic, desk.rng
    frequency = plan.template.frequency
    slot = day if plan.daily else slots.slot_for(frequency, day, clinic.open_days) or day
    subject = device.asset_id if device else None
    desk.tally["slots"] += 1
    if rng.random() < MISSED or desk.forced_miss == (plan.id, subject, slot):
        desk.tally["missed slots"] += 1
        return []
    when = _submission(desk, plan, slot)
    if when is None:
        desk.tally["slots still open"] += 1
        return []
    check_day, submitted_at, late = when
    people = desk.on_staff(check_day, ROLES.get(plan.template.applies_to))
    person = _signer(desk, plan, check_day, people or desk.on_staff(slot) or clinic.staff)
    return _run(desk, plan, device, slot, (check_day, submitted_at, late), person)


def _submission(desk: Desk, plan: Plan, slot: date) -> tuple[date, datetime, bool] | None:
    """The day and instant the run was signed, and whether that was after the slot's due time."""
    clinic, h, rng = desk.clinic, desk.h, desk.rng
    due_minutes = plan.due_by.hour * 60 + plan.due_by.minute if plan.due_by else 24 * 60
    late = rng.random() < LATE
    if plan.daily:
        if late:
            minutes = min(due_minutes + rng.randint(5, 180), 20 * 60)
        else:
            minutes = rng.randint(min(7 * 60 + 15, due_minutes - 30), due_minutes - 10)
        return slot, local(slot, minutes, clinic.tz), minutes > due_minutes
    frequency = plan.template.frequency
    due_day = _due_date(frequency, slot, clinic.open_days)
    if late:
        days = [due_day + timedelta(days=n) for n in range(1, 8)]
        days = [d for d in days if clinic.is_open(d) and d <= h.end][:3]
    else:
        period = [slot + timedelta(days=n) for n in range((due_day - slot).days + 1)]
        days = [d for d in period if h.start <= d <= h.end and clinic.is_open(d)]
    if not days:
        return None
    # Most people do the monthly checks on the first days of the month, which keeps the
    # checks of an AED or extinguisher about 30 days apart (NFPA 10's interval).
    day = days[min(len(days) - 1, int(3 * rng.random() ** 3))] if not late else days[0]
    submitted = local(day, rng.randint(11 * 60, 17 * 60), clinic.tz)
    if plan.due_by is not None:
        due = local(due_day, due_minutes, clinic.tz)
    else:
        due = local(due_day + timedelta(days=1), 0, clinic.tz)
    return day, submitted, submitted > due


def _signer(desk: Desk, plan: Plan, day: date, people: list[Person]) -> Person:
    lso = desk.clinic.lso(day)
    if plan.template.applies_to == "eyewear" and lso in people and desk.rng.random() < 0.7:
        assert lso is not None
        return lso
    return desk.rng.choice(people)


# --- one run -----------------------------------------------------------------------


def _run(
    desk: Desk,
    plan: Plan,
    device: Device | None,
    slot: date,
    when: tuple[date, datetime, bool],
    person: Person,
) -> list[Rec]:
    clinic = desk.clinic
    check_day, submitted_at, late = when
    template = plan.template
    subject = device.asset_id if device else None
    pinned = desk.forced_fail == (plan.id, subject, slot)
    fail_item = _item_to_fail(desk, plan, pinned)
    results = []
    for item in template.items:
        passed = plan.passed.get(item.id)
        if passed is not None and item is not fail_item:
            results.append(passed)
            continue
        raw, note = _answer(desk, item, device, check_day, item is fail_item)
        results.append(evaluate_answer(item, raw, None, note, on_date=check_day))
    random_fail = None if pinned else fail_item
    results, failures = _failures(desk, plan, results, subject, submitted_at, random_fail)
    key = f"{template.id}|{clinic.code}|{subject or '-'}|{slot.isoformat()}"
    row = {
        "template_id": template.id,
        "template_version": plan.version,
        "site_id": clinic.pk,
        "asset_pk": device.pk if device else None,
        "slot_date": slot,
        "slot_key": key,
        "idempotency_key": f"demo:{key}",
        "submitted_by": person.pk,
        "submitted_at": submitted_at,
        "signature_name": person.name,
        "signature_meaning": "performed",
        "late": late,
        "passed": all(result.passed for result in results),
        "note": None,
        **lifecycle(submitted_at),
    }
    # Most answers are a ticked box, whose stored row is made once per template.
    ticked, rows = plan.passed, plan.passed_rows
    children = [
        rows[r.item_id].copy() if ticked.get(r.item_id) is r else response_row(r) for r in results
    ]
    run = Rec(ChecklistRun, submitted_at, row, children=children)
    desk.tally["runs"] += 1
    desk.tally["late runs"] += late
    desk.tally["failed runs"] += not row["passed"]
    recs = [run]
    for result, closes in failures:
        recs += _actions(desk, plan, result, run, subject, check_day, person, closes)
    return recs


def _item_to_fail(desk: Desk, plan: Plan, pinned: bool) -> Item | None:
    """The item this run fails at random (or the pinned low oxygen reading), if any."""
    if pinned:
        return plan.template.items_by_id.get("o2_psi") or (plan.failable or (None,))[0]
    if plan.failable and desk.rng.random() < FAILED:
        return desk.rng.choice(plan.failable)
    return None


def _failures(
    desk: Desk,
    plan: Plan,
    results: list[ItemResult],
    subject: str | None,
    at: datetime,
    random_fail: Item | None,
) -> tuple[list[ItemResult], list[tuple[ItemResult, datetime | None]]]:
    """Notes on failed items, and which failures open an action (closing when, or never).

    A failure read off the clinic's own data (a lot below minimum, expired pads)
    lasts until the data changes: its action stays open and later runs note that.
    Random failures are fixed, by severity, within hours or days (the pinned one,
    passed as no random failure, is left open).
    """
    noted: list[ItemResult] = []
    opening: list[tuple[ItemResult, datetime | None]] = []
    for result in results:
        if result.passed:
            noted.append(result)
            continue
        key = (plan.id, result.item_id, subject)
        if desk.still_open(key, at):
            noted.append(replace(result, note=result.note or ALREADY_OPEN))
            continue
        note = catalog.FAIL_NOTES.get(result.item_id, catalog.DEFAULT_FAIL_NOTE)
        result = replace(result, note=result.note or note)
        closes = None
        fixed = random_fail is not None and result.item_id == random_fail.id
        if fixed and desk.rng.random() >= FORGOTTEN:
            severity = plan.template.items_by_id[result.item_id].failure.severity
            hours = {"critical": (1, 6), "major": (4, 72), "minor": (24, 240)}[severity]
            closes = at + timedelta(hours=desk.rng.uniform(*hours))
        desk.actions[key] = closes
        noted.append(result)
        opening.append((result, closes))
    return noted, opening


def _actions(
    desk: Desk,
    plan: Plan,
    result: ItemResult,
    run: Rec,
    subject: str | None,
    check_day: date,
    person: Person,
    closes: datetime | None,
) -> list[Rec]:
    """What the submission service opens for a failed item: one action per requirement."""
    clinic, template = desk.clinic, plan.template
    item = template.items_by_id[result.item_id]
    failure = item.failure
    description = f"{failure.action}. Observed: {result.problem or result.value_text}"
    if result.note:
        description += f". Note: {result.note}"
    recs = []
    for requirement in template.requirements_failed_by(item.id) or (None,):
        desk.tally["corrective actions"] += 1
        recs.append(
            corrective_action(
                clinic,
                desk.h,
                source="checklist",
                source_rec=run,
                opened_at=run.at,
                owner=_owner(clinic, template, check_day, person),
                description=description,
                severity=failure.severity,
                due_on=check_day + timedelta(days=template.action_due_days.days(failure.severity)),
                requirement=requirement,
                subject=subject or clinic.code,
                closes_at=closes,
                resolution=catalog.RESOLUTIONS.get(item.id, catalog.DEFAULT_RESOLUTION),
            )
        )
    return recs


def _owner(clinic: Clinic, template: Template, day: date, submitter: Person) -> Person:
    """As the service assigns it: the LSO for laser safety checks, else the medical director."""
    lso = clinic.lso(day)
    director = next((p for p in clinic.on_staff(day, ("medical_director",))), None)
    first, second = (
        (lso, director) if template.applies_to in ("laser", "eyewear") else (director, lso)
    )
    return first or second or submitter


# --- answers -----------------------------------------------------------------------


def _answer(
    desk: Desk, item: Item, device: Device | None, day: date, fail: bool
) -> tuple[object, str | None]:
    """A raw JSON answer for an item (and its note), failing it when asked to."""
    clinic, rng = desk.clinic, desk.rng
    if item.type == "pass_fail":
        return not fail, None
    if item.type == "seal":
        return _seal(desk, item, day)
    if item.type == "date":
        return _date(desk, item, device, day), None
    if item.type == "count":
        if item.id.startswith("epi_pediatric"):
            if not clinic.treats_children:
                return None, None
            return clinic.on_hand("epinephrine_pediatric", day), None
        if item.id.startswith("epi_adult"):
            count = clinic.on_hand("epinephrine_adult", day)
        else:
            count = int(item.min or 0) + rng.randint(0, 2)
        return (max(0, int(item.min or 1) - 1) if fail else count), None
    if item.type == "number":
        return _number(item, fail, rng), None
    return ("Checked; nothing to report" if item.required else None), None


def _seal(desk: Desk, item: Item, day: date) -> tuple[str, str | None]:
    """The kit's seal: a new one after a full inventory, else the one on the kit."""
    if item.change_needs_note is False:
        return desk.new_seal(day + timedelta(days=1)), None
    # The service compares with the last number read at the site, which is the one
    # the monthly inventory fitted: the seal on the kit, so no note is needed.
    return desk.seal_on(day), None


def _date(desk: Desk, item: Item, device: Device | None, day: date) -> str | None:
    """A date read off a label: the clinic's own data where it has it."""
    clinic, rng = desk.clinic, desk.rng
    read: date | None
    if item.id.startswith("epi_adult"):
        read = clinic.earliest_expiry("epinephrine_adult", day)
    elif item.id.startswith("pads") and device is not None:
        read = device.rec.row["pads_expire_on"]
    elif item.id.startswith("battery") and device is not None:
        read = device.rec.row["battery_expires_on"]
    elif item.id == "last_service_on" and device is not None:
        read = max((d for d in device.service_dates if d <= day), default=None)
        if read is None:
            return None
    else:
        read = None
    if read is None:
        offset = rng.randint(45, 700) if item.expires else -rng.randint(10, 300)
        read = day + timedelta(days=offset)
    return read.isoformat()


def _number(item: Item, fail: bool, rng: random.Random) -> float | int:
    """A plausible reading inside min/max, or just outside when failing."""
    low, high = item.min, item.max
    # Temperatures are read to a tenth of a degree; pressures and the like to the unit.
    whole = item.unit != "°C" and all(b is None or b.is_integer() for b in (low, high))
    if fail:
        if high is not None and (low is None or rng.random() < 0.7):
            value = high + rng.uniform(0.6, 2.5)
        else:
            value = (low or 0) * rng.uniform(0.6, 0.95)
    elif item.unit == "psi":
        value = rng.uniform((low or 500) * 1.1, 2150)
    elif low is not None and high is not None:
        value = rng.uniform(low + (high - low) * 0.3, high - (high - low) * 0.2)
    elif low is not None:
        value = rng.uniform(low * 1.1 + 1, low * 2 + 2)
    elif high is not None:
        value = rng.uniform(high * 0.3, high * 0.9)
    else:
        value = rng.uniform(1, 100)
    return int(value) if whole else round(value, 1)
