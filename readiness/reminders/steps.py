"""Reminder steps: which step of its schedule an item is at on a day (pure scalar rules).

A step names the reminder ("tier-30", "overdue-week-2", "escalation", ...) and its
cycle names the due date (or ISO week) it belongs to, so the same step of the next
cycle, after a renewal, is a new reminder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from readiness.rules import due as rules


@dataclass(frozen=True)
class Step:
    """A reminder step ("tier-30", "overdue-week-2", ...) and the cycle it belongs to."""

    name: str
    cycle: str


def due_soon_step(due_on: date, today: date, tiers: Sequence[int]) -> Step:
    """The warning tier reached ("tier-30"), or "due-soon" for a requirement without tiers."""
    tier = rules.warning_tier(due_on, today, tiers) if tiers else None
    return Step(f"tier-{tier}" if tier is not None else "due-soon", due_on.isoformat())


def lapsed_step(due_on: date, today: date, every_days: int) -> Step:
    """ "overdue-week-N": N counts whole reminder periods since the due date."""
    weeks = max(rules.days_until(today, due_on), 0) // every_days
    return Step(f"overdue-week-{weeks}", due_on.isoformat())


def missing_step(today: date) -> Step:
    """Nothing on record: once per ISO week while it stays missing."""
    return Step("missing", iso_week(today))


def escalation_step(due_on: date, today: date, after_days: int) -> Step | None:
    """ "escalation" once an item has stayed lapsed more than `after_days` days."""
    if rules.days_until(today, due_on) <= after_days:
        return None
    return Step("escalation", due_on.isoformat())


def followup_step(due_on: date, today: date, every_days: int) -> Step | None:
    """ "due" on the day a follow-up falls due, then "overdue-week-N" each period after."""
    days = rules.days_until(today, due_on)
    if days < 0:
        return None
    weeks = days // every_days
    return Step("due" if weeks == 0 else f"overdue-week-{weeks}", due_on.isoformat())


def iso_week(day: date) -> str:
    """E.g. "2026-W11"."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def step_phrase(step: Step, due_on: date | None) -> str:
    """What the step means, in words."""
    name = step.name
    when = due_on.isoformat() if due_on else ""
    if name.startswith("tier-"):
        return f"{name.removeprefix('tier-')}-day reminder: due on {when}"
    if name == "due-soon":
        return f"due on {when}"
    if name.startswith("overdue-week-"):
        weeks = int(name.removeprefix("overdue-week-"))
        since = f" ({weeks} week{'s' if weeks > 1 else ''})" if weeks else ""
        return f"lapsed since {when}{since}"
    if name == "escalation":
        return f"still not done since {when}: escalated to the compliance officer"
    if name == "missing":
        return "nothing on record: add it or record why it does not apply"
    return name
