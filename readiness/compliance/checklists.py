"""Checklist requirements: daily, weekly and monthly slots in site-local time.

A site owes a slot per period on its open days (`readiness.rules.slots`); a run of any
template whose `satisfies` names the requirement, dated in the slot's period, fills
it (per asset when the requirement is about assets). Two slots decide the status:
the latest slot that has ended (`overdue` unless a run filled it by the judging
instant, late runs included) and the slot of the current period (`ok` when done,
`due_soon` inside the warning window before its due day, `ok` before that); a
current slot already done makes the item `ok` whatever the ended slot was. A slot
ends at its due instant: the earliest `due_by` of the templates that fill it, on its
due day in site time (the day's end without one), the instant `readiness checklist
due` uses, so a pre-use check due by 10:00 is `overdue` at 10:01 until it is done.
Older slots were judged in their own time, so runs are read only a few periods back
(`slot_state`).

A requirement with `max_gap_days` is also held to a gap rule: due at most that many
site-local days after the latest run, `overdue` the day after (day 30 of a 30-day
gap is still on time, day 31 is not). The item takes the stricter of the two rules
and the earlier due date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import time

import numpy as np
import pandas as pd

from readiness.compliance.detail import either, iso, pick
from readiness.compliance.facts import Facts
from readiness.compliance.slot_state import Fill, latest_done, owners, runs_by_owner, slot_state
from readiness.compliance.subjects import assets_for, not_in_service, sites_for, without_duty
from readiness.compliance.table import Verdicts, joined, judged, per_row, windows
from readiness.policy.pack import Policy
from readiness.policy.requirements import ChecklistRequirement
from readiness.policy.templates import Template
from readiness.rules.due import DATE_DTYPE, STATUS_DTYPE, due_status_series
from readiness.rules.status import Status

OK, OVERDUE = str(Status.OK), str(Status.OVERDUE)
DUE, NOT_DONE = "Due by ", "Not done by "


def checklist_items(requirements: Sequence[ChecklistRequirement], facts: Facts) -> Verdicts:
    """Per site, or per asset of the listed kinds: the state of the latest slots."""
    return joined(
        [
            _judge(frequency, [r for r in requirements if r.frequency == frequency], facts)
            for frequency in sorted({r.frequency for r in requirements})
        ]
    )


def every_open_day(policy: Policy) -> frozenset[str]:
    """Checklist requirements owed each open day: due today or on the next open day, so
    never "due in N days" (a list of what falls due shows them as due today)."""
    return frozenset(r.id for r in policy.of_kind(ChecklistRequirement) if r.frequency == "daily")


def _judge(frequency: str, requirements: list[ChecklistRequirement], facts: Facts) -> Verdicts:
    """The items of the requirements of one frequency."""
    rows = pd.concat(
        [assets_for(requirements, facts), sites_for(requirements, facts)], ignore_index=True
    )
    fills = _fills(requirements, facts.templates)
    owner = owners(rows)
    runs = runs_by_owner(facts.runs, fills)
    due_by = [_due_by(requirement, facts.templates) for requirement in requirements]
    state = slot_state(frequency, rows, owner, runs, facts, due_by)
    idle, reason = not_in_service(rows)
    last = _last_done(rows, owner, runs, fills, facts, wanted=~idle.to_numpy())
    window = per_row(rows, windows(requirements))
    status, due = _status(state, rows, window)
    gap = _gap(rows, last, per_row(rows, [r.max_gap_days or 0 for r in requirements]), window)
    by_gap = _gap_decides(status, due, gap)
    clock = per_row(rows, [_hhmm(t) for t in due_by])
    detail = _sentence(state, rows, status, last, _earlier(due, gap["due"]), clock)
    status = status.where(~by_gap, gap["status"])
    detail = detail.where(~by_gap, _gap_sentence(rows, gap, last))
    due = _earlier(due, gap["due"])
    covered = {fill.rq for fill in fills}
    uncovered = ~rows["rq"].isin(covered)
    status = status.where(~uncovered, str(Status.MISSING))
    detail = detail.where(~uncovered, "No checklist template covers this requirement")
    status, detail = without_duty(status, detail, idle, reason)
    return judged(rows, status=status, detail=detail, due_on=due, last_done_on=last)


def _fills(
    requirements: Sequence[ChecklistRequirement], templates: Mapping[str, Template]
) -> list[Fill]:
    """Which scheduled templates fill which requirement's slots."""
    return [
        Fill(rq, template.id, requirement.subject == "asset")
        for rq, requirement in enumerate(requirements)
        for template in _filling(requirement, templates)
    ]


def _filling(
    requirement: ChecklistRequirement, templates: Mapping[str, Template]
) -> list[Template]:
    """Scheduled templates that satisfy the requirement (per-asset ones for asset subjects)."""
    return [
        template
        for template in templates.values()
        if requirement.id in template.satisfies
        and template.frequency != "per_use"
        # A site-wide run cannot say which asset it checked.
        and (requirement.subject != "asset" or template.per_asset)
    ]


def _due_by(requirement: ChecklistRequirement, templates: Mapping[str, Template]) -> time | None:
    """The earliest due_by of the templates that fill the requirement (None: end of day)."""
    times = [t.due_by for t in _filling(requirement, templates) if t.due_by is not None]
    return min(times, default=None)


def _hhmm(due_by: time | None) -> str:
    """A due_by time as "10:00" ("" for none)."""
    return "" if due_by is None else f"{due_by:%H:%M}"


def _status(
    state: pd.DataFrame, rows: pd.DataFrame, window: pd.Series
) -> tuple[pd.Series, pd.Series]:
    """The worse of the ended slot's and the current slot's status, and the due date shown.

    A check done in the current period supersedes an earlier missed slot: the item is
    checked now, and the miss stays on record in the checklist log and the export.
    """
    missed = _missed(state)
    ended = either(state["ended_done"], OK, OVERDUE).where(state["has_ended"] & ~_done_now(state))
    pending = due_status_series(state["current_due_date"], rows["as_of"], window)
    current = pending.where(~state["current_done"], OK).where(state["has_current"])
    status = _worse(ended, current).fillna(str(Status.NOT_APPLICABLE))
    waiting = state["has_current"] & ~state["current_done"]
    due = state["next_due_date"].where(~waiting, state["current_due_date"])
    return status, due.where(~missed, state["ended_due_date"]).astype(DATE_DTYPE)


def _gap(
    rows: pd.DataFrame, last: pd.Series, gap_days: pd.Series, window: pd.Series
) -> pd.DataFrame:
    """The gap rule: due `gap_days` after the last run (NA where no gap or no run applies)."""
    applies = (gap_days > 0) & last.notna()
    days = last.to_numpy(dtype="datetime64[D]") + gap_days.to_numpy(dtype=np.int64)
    due = pd.Series(days.astype(DATE_DTYPE), index=rows.index).where(applies)
    status = due_status_series(due, rows["as_of"], window).where(applies)
    return pd.DataFrame({"due": due.astype(DATE_DTYPE), "status": status, "days": gap_days})


def _gap_decides(status: pd.Series, due: pd.Series, gap: pd.DataFrame) -> pd.Series:
    """Rows the gap rule decides: it finds worse, or the same warning with an earlier date."""
    slot, by_gap = _codes(status), _codes(gap["status"])
    sooner = (gap["due"] < due).fillna(False).to_numpy(dtype=bool)
    warned = (status == str(Status.DUE_SOON)).to_numpy(dtype=bool)
    owed = (status != str(Status.NOT_APPLICABLE)).to_numpy(dtype=bool)
    decides = owed & ((by_gap > slot) | ((by_gap == slot) & warned & sooner))
    return pd.Series(decides, index=status.index)


def _earlier(first: pd.Series, second: pd.Series) -> pd.Series:
    """Row by row, the earlier of two dates (the one known where the other is NaT)."""
    return first.where(~(second < first).fillna(False) & first.notna(), second).astype(DATE_DTYPE)


def _done_now(state: pd.DataFrame) -> pd.Series:
    """Rows whose current period's slot is already done."""
    return state["has_current"] & state["current_done"]


def _missed(state: pd.DataFrame) -> pd.Series:
    """Rows whose latest ended slot was missed and not made good in the current period."""
    return state["has_ended"] & ~state["ended_done"] & ~_done_now(state)


def _worse(first: pd.Series, second: pd.Series) -> pd.Series:
    """Row by row, the more severe of two statuses (NA where both are NA)."""
    codes = np.maximum(_codes(first), _codes(second))
    words = np.asarray(STATUS_DTYPE.categories, dtype=object)
    return pd.Series(np.where(codes >= 0, words[codes.clip(0)], None), index=first.index)


def _codes(status: pd.Series) -> np.ndarray:
    """Severity codes of statuses, least severe lowest (-1 for NA)."""
    return _SEVERITY.get_indexer(status.to_numpy(dtype=object))


# Statuses least severe first, as STATUS_DTYPE orders them.
_SEVERITY = pd.Index(STATUS_DTYPE.categories, dtype=object)


def _last_done(
    rows: pd.DataFrame,
    owner: np.ndarray,
    runs: pd.DataFrame,
    fills: list[Fill],
    facts: Facts,
    *,
    wanted: np.ndarray,
) -> pd.Series:
    """The local day of each row's latest run, reading older history only where needed.

    History is read only for `wanted` rows (in service) that have no run in the window.
    """
    last = latest_done(owner, runs)
    unknown = np.isnat(last) & wanted
    if unknown.any():
        # Runs before the loaded window, only for the sites and templates that lack one.
        templates = {fill.template_id for fill in fills if fill.rq in set(rows["rq"][unknown])}
        earlier = facts.earlier_runs(rows["site_id"][unknown], templates)
        older = latest_done(owner, runs_by_owner(earlier, fills))
        last = np.where(unknown, older, last)
    return pd.Series(last, index=rows.index)


def _sentence(
    state: pd.DataFrame,
    rows: pd.DataFrame,
    status: pd.Series,
    last: pd.Series,
    due: pd.Series,
    clock: pd.Series,
) -> pd.Series:
    """E.g. "Due by 10:00 today (last done 2026-03-08)" or "Not done by 10:00 today ..."."""
    since = either(last.notna(), " (last done " + iso(last) + ")", " (never done)")
    missed = _missed(state)
    waiting = state["has_current"] & ~state["current_done"]
    upcoming = _by(due, rows["as_of"], clock, DUE) + since
    next_due = "; next due " + iso(due)
    ok = either(
        state["current_done"],
        "Done " + iso(state["current_done_on"]) + next_due,
        either(waiting, upcoming, "Last done " + iso(last) + next_due),
    )
    not_done = _by(state["ended_due_date"], rows["as_of"], clock, NOT_DONE) + since
    return pick(
        status,
        {
            Status.OVERDUE: either(missed, not_done, upcoming),
            Status.DUE_SOON: upcoming,
            Status.OK: ok,
            Status.NOT_APPLICABLE: "No open day: nothing owed",
        },
    )


def _by(day: pd.Series, as_of: pd.Series, clock: pd.Series, lead: str) -> pd.Series:
    """E.g. "Due by 10:00 today", "Due by 2026-03-31", "Due by the end of today",
    "Not done by 10:00 on 2026-03-08", "Not done by the end of 2026-03-08"."""
    today = (day == as_of).fillna(False)
    timed = clock != ""
    at_time = clock + either(today, " today", " on " + iso(day))
    if lead == DUE:
        return lead + either(timed, at_time, either(today, "the end of today", iso(day)))
    return lead + either(timed, at_time, "the end of " + iso(day))


def _gap_sentence(rows: pd.DataFrame, gap: pd.DataFrame, last: pd.Series) -> pd.Series:
    """E.g. "Not done within 30 days of the last check (2025-10-01); due by 2025-10-31"."""
    days = gap["days"].astype(str).astype(object)
    since = " days of the last check (" + iso(last) + ")"
    due = (gap["due"] == rows["as_of"]).fillna(False)
    return pick(
        gap["status"],
        {
            Status.OVERDUE: "Not done within " + days + since + "; due by " + iso(gap["due"]),
            Status.DUE_SOON: either(due, "Due today", "Due by " + iso(gap["due"]))
            + ": at most "
            + days
            + " days after the last check ("
            + iso(last)
            + ")",
        },
    )
