"""Checklist requirements: daily, weekly and monthly slots in site-local time.

A site owes a slot per period on its open days (`readiness.rules.slots`); a run of any
template whose `satisfies` names the requirement, dated in the slot's period, fills
it (per asset when the requirement is about assets). Two slots decide the status:
the latest slot whose due day has ended (`overdue` unless a run filled it by the
judging instant, late runs included) and the slot of the current period (`ok` when
done, `due_soon` on its due day, `ok` before that); a current slot already done
makes the item `ok` whatever the ended slot was. Older slots were judged in
their own time, so runs are read only a few periods back (`slot_state`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from readiness.compliance.detail import either, iso, pick
from readiness.compliance.facts import Facts
from readiness.compliance.slot_state import Fill, latest_done, owners, runs_by_owner, slot_state
from readiness.compliance.subjects import assets_for, not_in_service, sites_for, without_duty
from readiness.compliance.table import Verdicts, joined, judged, per_row, windows
from readiness.policy.pack import ChecklistRequirement
from readiness.policy.templates import Template
from readiness.rules.due import DATE_DTYPE, STATUS_DTYPE, due_status_series
from readiness.rules.status import Status

OK, OVERDUE = str(Status.OK), str(Status.OVERDUE)


def checklist_items(requirements: Sequence[ChecklistRequirement], facts: Facts) -> Verdicts:
    """Per site, or per asset of the listed kinds: the state of the latest slots."""
    return joined(
        [
            _judge(frequency, [r for r in requirements if r.frequency == frequency], facts)
            for frequency in sorted({r.frequency for r in requirements})
        ]
    )


def _judge(frequency: str, requirements: list[ChecklistRequirement], facts: Facts) -> Verdicts:
    """The items of the requirements of one frequency."""
    rows = pd.concat(
        [assets_for(requirements, facts), sites_for(requirements, facts)], ignore_index=True
    )
    fills = _fills(requirements, facts.templates)
    owner = owners(rows)
    runs = runs_by_owner(facts.runs, fills)
    state = slot_state(frequency, rows, owner, runs, facts)
    status, due = _status(state, rows, requirements)
    idle, reason = not_in_service(rows)
    last = _last_done(rows, owner, runs, fills, facts, wanted=~idle.to_numpy())
    detail = _sentence(state, status, last, per_row(rows, _due_today(requirements, facts)))
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


def _due_today(requirements: Sequence[ChecklistRequirement], facts: Facts) -> list[str]:
    """Per requirement, "Due by 10:00 today" (the earliest due_by of its templates)."""
    texts = []
    for requirement in requirements:
        times = [t.due_by for t in _filling(requirement, facts.templates) if t.due_by is not None]
        texts.append(f"Due by {min(times):%H:%M} today" if times else "Due by the end of today")
    return texts


def _status(
    state: pd.DataFrame, rows: pd.DataFrame, requirements: Sequence[ChecklistRequirement]
) -> tuple[pd.Series, pd.Series]:
    """The worse of the ended slot's and the current slot's status, and the due date shown.

    A check done in the current period supersedes an earlier missed slot: the item is
    checked now, and the miss stays on record in the checklist log and the export.
    """
    missed = _missed(state)
    ended = either(state["ended_done"], OK, OVERDUE).where(state["has_ended"] & ~_done_now(state))
    pending = due_status_series(
        state["current_due_date"], rows["as_of"], per_row(rows, windows(requirements))
    )
    current = pending.where(~state["current_done"], OK).where(state["has_current"])
    status = _worse(ended, current).fillna(str(Status.NOT_APPLICABLE))
    waiting = state["has_current"] & ~state["current_done"]
    due = state["next_due_date"].where(~waiting, state["current_due_date"])
    return status, due.where(~missed, state["ended_due_date"]).astype(DATE_DTYPE)


def _done_now(state: pd.DataFrame) -> pd.Series:
    """Rows whose current period's slot is already done."""
    return state["has_current"] & state["current_done"]


def _missed(state: pd.DataFrame) -> pd.Series:
    """Rows whose latest ended slot was missed and not made good in the current period."""
    return state["has_ended"] & ~state["ended_done"] & ~_done_now(state)


def _worse(first: pd.Series, second: pd.Series) -> pd.Series:
    """Row by row, the more severe of two statuses (NA where both are NA)."""
    codes = np.maximum(
        first.astype(STATUS_DTYPE).cat.codes.to_numpy(),
        second.astype(STATUS_DTYPE).cat.codes.to_numpy(),
    )
    words = np.asarray(STATUS_DTYPE.categories, dtype=object)
    return pd.Series(np.where(codes >= 0, words[codes.clip(0)], None), index=first.index)


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
    state: pd.DataFrame, status: pd.Series, last: pd.Series, today: pd.Series
) -> pd.Series:
    """E.g. "Due by 10:00 today (last done 2026-03-08)" or "Not done by the end of ..."."""
    since = either(last.notna(), " (last done " + iso(last) + ")", " (never done)")
    missed = _missed(state)
    waiting = state["has_current"] & ~state["current_done"]
    upcoming = "Due by " + iso(state["current_due_date"]) + since
    next_due = "; next due " + iso(state["next_due_date"])
    ok = either(
        state["current_done"],
        "Done " + iso(state["current_done_on"]) + next_due,
        either(waiting, upcoming, "Last done " + iso(last) + next_due),
    )
    return pick(
        status,
        {
            Status.OVERDUE: either(
                missed, "Not done by the end of " + iso(state["ended_due_date"]) + since, upcoming
            ),
            Status.DUE_SOON: today + since,
            Status.OK: ok,
            Status.NOT_APPLICABLE: "No open day: nothing owed",
        },
    )
