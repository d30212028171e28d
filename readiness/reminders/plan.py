"""What needs a reminder now: pure planning over the compliance items and open work.

A reminder is one step of one thing to one person: the certificate holder and the
officer at each warning tier (90/60/30 days before expiry), then weekly while it
stays lapsed; equipment, stock, drills and documents entering due-soon and lapsing;
a checklist slot still not done an hour after its due time; a corrective action past
due; an incident follow-up falling due; an escalation to the officer once an item
stays lapsed past the policy's limit; the officers' weekly summary.

Each reminder has a key, ``recipient|requirement|subject|step@cycle``, unique in the
outbox. The cycle is the due date (or slot date, or ISO week) the step belongs to:
without it, the "tier-30" of a certificate renewed two years later would share the
key of the first card's and never be sent again.

Date-based reminders of a site wait for its digest hour (07:00 site time), so each
person gets the day's items in one e-mail at the start of their day; late checklist
slots go out as soon as they are late.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from readiness.policy.pack import Policy
from readiness.reminders.digest import DigestLine
from readiness.reminders.facts import Directory, Facts, LateSlot, OpenAction, OpenFollowup
from readiness.reminders.steps import (
    Step,
    due_soon_step,
    escalation_step,
    followup_step,
    iso_week,
    lapsed_step,
    missing_step,
    step_phrase,
)
from readiness.reminders.weekly_summary import summary_headline, summary_text
from readiness.rules import slots

# Longest key the outbox column holds; longer keys keep a digest of the tail.
KEY_MAX = 400
ITEM_STATUSES = frozenset({"due_soon", "overdue", "expired", "missing"})
LAPSED = frozenset({"overdue", "expired"})

FOLLOWUP = "incident.followup"
CORRECTIVE_ACTION = "corrective_action"
WEEKLY_SUMMARY = "summary.weekly"

# --- what a reminder is -----------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    """One step of one item for one recipient; queued once by its key."""

    recipient: str
    requirement: str
    subject: str
    step: str
    cycle: str
    kind: str
    site: str
    title: str
    detail: str = ""

    @property
    def key(self) -> str:
        """The outbox key: recipient|requirement|subject|step@cycle."""
        return reminder_key(self.recipient, self.requirement, self.subject, self.step, self.cycle)

    def line(self) -> DigestLine:
        """This reminder as a line of a digest."""
        return DigestLine(self.kind, self.title, self.detail)


def reminder_key(recipient: str, requirement: str, subject: str, step: str, cycle: str) -> str:
    """The unique outbox key; an over-long key keeps its head and a SHA-256 of the whole."""
    step_part = f"{step}@{cycle}" if cycle else step
    key = f"{recipient}|{requirement}|{subject}|{step_part}"
    if len(key) <= KEY_MAX:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"{key[: KEY_MAX - len(digest) - 1]}#{digest}"


@dataclass(frozen=True)
class ReminderRules:
    """The policy's figures that decide reminder steps."""

    tiers: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    escalation_after_days: int = 7
    every_days: int = 7
    digest_at: time = time(7, 0)
    late_after: timedelta = timedelta(hours=1)

    @classmethod
    def from_policy(cls, policy: Policy, *, digest_at: time = time(7, 0)) -> ReminderRules:
        """The rules of a loaded policy."""
        return cls(
            tiers={rid: tuple(r.warn_days) for rid, r in policy.requirements.items()},
            escalation_after_days=policy.settings.escalation_after_days,
            every_days=policy.settings.overdue_reminder_every_days,
            digest_at=digest_at,
        )


@dataclass(frozen=True)
class Plan:
    """Reminders to queue now, and the keys of every reminder that still applies."""

    reminders: tuple[Reminder, ...]
    # Includes reminders still waiting for their site's digest hour: a queued row
    # whose key is not here no longer needs action and is retired unsent.
    current: frozenset[str]


# --- planning -----------------------------------------------------------------------


@dataclass(frozen=True)
class SiteClock:
    """Site-local dates and digest hours at one instant."""

    zones: Mapping[str, str]
    now_utc: datetime
    digest_at: time

    def zone(self, site: str) -> str:
        """The site's IANA zone (UTC for a site not known)."""
        return self.zones.get(site, "UTC")

    def today(self, site: str) -> date:
        """The site-local date."""
        return slots.site_today(self.now_utc, self.zone(site))

    def digest_reached(self, site: str) -> bool:
        """True once the site's clock has passed today's digest hour."""
        zone = self.zone(site)
        return self.now_utc >= slots.due_instant(self.today(site), self.digest_at, zone)


def plan_reminders(
    items: pd.DataFrame, facts: Facts, rules_: ReminderRules, now_utc: datetime
) -> Plan:
    """Every reminder that applies at now_utc; those due to be queued now in `reminders`."""
    clock = SiteClock(facts.zones, now_utc, rules_.digest_at)
    dated = [
        *item_reminders(items, facts.directory, rules_, clock),
        *action_reminders(facts.actions, facts.directory, rules_, clock),
        *followup_reminders(facts.followups, facts.directory, rules_, clock),
    ]
    timely = [
        *slot_reminders(facts.late_slots, facts.directory, rules_, clock),
        *summary_reminders(items, facts, rules_, now_utc),
    ]
    ready = [r for r in dated if clock.digest_reached(r.site)] + timely
    return Plan(_unique(ready), frozenset(r.key for r in [*dated, *timely]))


def _unique(reminders: Iterable[Reminder]) -> tuple[Reminder, ...]:
    """First reminder per key (an officer who also holds the certificate gets it once)."""
    first: dict[str, Reminder] = {}
    for reminder in reminders:
        first.setdefault(reminder.key, reminder)
    return tuple(first.values())


# --- compliance items ------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One row of the compliance items, with plain Python values."""

    site: str
    category: str
    requirement: str
    subject_type: str
    subject: str
    status: str
    due_on: date | None
    detail: str

    @classmethod
    def of(cls, row: Mapping[Hashable, Any]) -> Item:
        """An item from a DataFrame row (dates as date, Timestamp, text or null)."""
        return cls(
            site=str(row["site"]),
            category=str(row["category"]),
            requirement=str(row["requirement"]),
            subject_type=str(row["subject_type"]),
            subject=str(row["subject"]),
            status=str(row["status"]),
            due_on=as_date(row.get("due_on")),
            detail=_text(row.get("detail")),
        )

    @property
    def headline(self) -> str:
        """E.g. "AUS1 · cert.bls · S-104: BLS expires 2026-03-31 (23 days)"."""
        what = self.detail or self.status.replace("_", " ")
        about = "" if self.subject == self.site else f" · {self.subject}"
        return f"{self.site} · {self.requirement}{about}: {what}"


def as_date(value: object) -> date | None:
    """A date from a DataFrame cell: date, datetime, Timestamp, ISO text, or null."""
    if isinstance(value, str):
        return date.fromisoformat(value[:10]) if value else None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return None
    return pd.Timestamp(value).date()  # type: ignore[arg-type]


def _text(value: object) -> str:
    """A cell as text; null is empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return ""
    return str(value)


def actionable_items(items: pd.DataFrame) -> Iterator[Item]:
    """The items that need action (due soon, lapsed or missing)."""
    if items.empty:
        return
    wanted = items[items["status"].astype(str).isin(ITEM_STATUSES)]
    for row in wanted.to_dict("records"):
        yield Item.of(row)


def item_reminders(
    items: pd.DataFrame, directory: Directory, rules_: ReminderRules, clock: SiteClock
) -> list[Reminder]:
    """Tier, lapsed and missing reminders of compliance items, and their escalations."""
    found: list[Reminder] = []
    for item in actionable_items(items):
        today = clock.today(item.site)
        step = item_step(item, today, rules_)
        if step is not None:
            found += _to_each(_item_recipients(item, directory), item, step, item.category)
        escalation = _escalation(item, today, rules_)
        if escalation is not None:
            found += _to_each(directory.officers_for(item.site), item, escalation, "escalation")
    return found


def item_step(item: Item, today: date, rules_: ReminderRules) -> Step | None:
    """The reminder step of an item today, or None when it needs no reminder."""
    if item.status == "missing" or item.due_on is None:
        return missing_step(today) if item.status in ITEM_STATUSES else None
    if item.status in LAPSED:
        return lapsed_step(item.due_on, today, rules_.every_days)
    # Checklists due soon are the slots' business, reminded when late.
    if item.status == "due_soon" and item.category != "checklist":
        return due_soon_step(item.due_on, today, rules_.tiers.get(item.requirement, ()))
    return None


def _escalation(item: Item, today: date, rules_: ReminderRules) -> Step | None:
    """The escalation step of a lapsed item, once it is lapsed long enough."""
    if item.status not in LAPSED or item.due_on is None:
        return None
    return escalation_step(item.due_on, today, rules_.escalation_after_days)


def _item_recipients(item: Item, directory: Directory) -> tuple[str, ...]:
    """The staff member the item is about (a certificate, the plan to acknowledge) and the
    site's officers."""
    holder: tuple[str, ...] = ()
    if item.subject_type == "staff":
        email = directory.staff_emails.get(item.subject)
        holder = (email,) if email else ()
    return holder + directory.officers_for(item.site)


def _to_each(recipients: Iterable[str], item: Item, step: Step, kind: str) -> list[Reminder]:
    """The item's reminder for each recipient."""
    return fan_out(
        recipients,
        requirement=item.requirement,
        subject=item.subject,
        step=step.name,
        cycle=step.cycle,
        kind=kind,
        site=item.site,
        title=item.headline,
        detail=step_phrase(step, item.due_on),
    )


def fan_out(recipients: Iterable[str], **fields: str) -> list[Reminder]:
    """The same reminder for each recipient, once each."""
    return [Reminder(recipient=email, **fields) for email in dict.fromkeys(recipients)]


# --- corrective actions, follow-ups, late checklist slots ---------------------------------


def action_reminders(
    actions: Iterable[OpenAction], directory: Directory, rules_: ReminderRules, clock: SiteClock
) -> list[Reminder]:
    """Open corrective actions past their due date: to the owner and the officers."""
    found: list[Reminder] = []
    for action in actions:
        today = clock.today(action.site)
        if action.due_on >= today:
            continue
        step = lapsed_step(action.due_on, today, rules_.every_days)
        owner = (action.owner_email,) if action.owner_email else ()
        about = f" ({action.requirement} · {action.subject})" if action.requirement else ""
        title = f"{action.site} · corrective action #{action.id}{about}"
        detail = f"{_first_line(action.description)}\n{step_phrase(step, action.due_on)}"
        found += fan_out(
            owner + directory.officers_for(action.site),
            requirement=CORRECTIVE_ACTION,
            subject=f"CA-{action.id}",
            step=step.name,
            cycle=step.cycle,
            kind="corrective_action",
            site=action.site,
            title=title,
            detail=detail,
        )
    return found


def followup_reminders(
    followups: Iterable[OpenFollowup],
    directory: Directory,
    rules_: ReminderRules,
    clock: SiteClock,
) -> list[Reminder]:
    """Follow-ups falling due: to the staff member who logged the incident and the officers."""
    found: list[Reminder] = []
    for followup in followups:
        step = followup_step(followup.due_on, clock.today(followup.site), rules_.every_days)
        if step is None:
            continue
        logger = (followup.logger_email,) if followup.logger_email else ()
        title = (
            f"{followup.site} · post-treatment follow-up of incident #{followup.incident_id}"
            f" ({followup.incident_type.replace('_', ' ')}, {followup.occurred_on.isoformat()})"
            f" due {followup.due_on.isoformat()}"
        )
        # The patient is reached through the clinic's own records, never from here.
        detail = "open the incident in Readiness; this e-mail carries no patient details"
        found += fan_out(
            logger + directory.officers_for(followup.site),
            requirement=FOLLOWUP,
            subject=f"incident-{followup.incident_id}.followup-{followup.id}",
            step=step.name,
            cycle=step.cycle,
            kind="followup",
            site=followup.site,
            title=title,
            detail=detail,
        )
    return found


def slot_reminders(
    late: Iterable[LateSlot], directory: Directory, rules_: ReminderRules, clock: SiteClock
) -> list[Reminder]:
    """Slots still not done `late_after` past due: to the site's staff, until the day is over."""
    found: list[Reminder] = []
    for slot in late:
        start = slot.due_utc + rules_.late_after
        if not start <= clock.now_utc < slot.day_end_utc + rules_.late_after:
            continue
        local_due = slot.due_utc.astimezone(ZoneInfo(clock.zone(slot.site)))
        where = f" for {slot.asset_id}" if slot.asset_id else ""
        title = f"{slot.site} · {slot.title}{where} ({slot.slot_date.isoformat()}) is not done"
        detail = f"it was due by {local_due:%H:%M} site time; please do it now"
        found += fan_out(
            directory.site_staff.get(slot.site, ()),
            requirement=slot.template_id,
            subject=slot.asset_id or slot.site,
            step="late",
            cycle=slot.slot_date.isoformat(),
            kind="checklist",
            site=slot.site,
            title=title,
            detail=detail,
        )
    return found


def _first_line(text: str, limit: int = 160) -> str:
    """The first line of a free text, shortened."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


# --- the weekly summary -----------------------------------------------------------------


def summary_reminders(
    items: pd.DataFrame, facts: Facts, rules_: ReminderRules, now_utc: datetime
) -> list[Reminder]:
    """Each officer's weekly summary, from Monday's digest hour on (caught up later in the week)."""
    local_today = slots.site_today(now_utc, facts.summary_zone)
    monday = local_today - timedelta(days=local_today.weekday())
    if now_utc < slots.due_instant(monday, rules_.digest_at, facts.summary_zone):
        return []
    week = iso_week(monday)
    found: list[Reminder] = []
    for officer in dict.fromkeys(facts.directory.officers):
        scope = (
            items if officer.site is None or items.empty else items[items["site"] == officer.site]
        )
        found += fan_out(
            [officer.email],
            requirement=WEEKLY_SUMMARY,
            subject=officer.site or "all",
            step="week",
            cycle=week,
            kind="summary",
            site=officer.site or "",
            title=f"Week {week}: {summary_headline(scope)}",
            detail=summary_text(scope),
        )
    return found
