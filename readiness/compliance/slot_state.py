"""Which recent checklist slots each subject owed, and whether a run filled them.

Rows (one per requirement and subject) are identified by an *owner* code built from
the requirement's position and the subject's key; a run counts for every owner whose
requirement its template satisfies. For each row this module finds three slots of
one frequency: the latest that has ended by the judging instant, the one of the
current period (started on or before as_of, not ended), and the next one. A slot
ends once its due instant has passed (`due_by` on its due day, in site time, as
`readiness checklist due` reads it: `rules.slots.due_instants`) or its due day is
over (the judging instant of a past day is the day's end). All of it is numpy over
whole columns: no loop per site, subject or day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time, timedelta

import numpy as np
import numpy.typing as npt
import pandas as pd

from readiness.compliance.facts import Facts
from readiness.compliance.frames import SLOT_SPAN
from readiness.rules import slots
from readiness.rules.due import DATE_DTYPE

Codes = npt.NDArray[np.int64]
# Owner codes leave room for a day number (days since 1970 stay below 2**20 until 4840).
DAY_BITS = 20


@dataclass(frozen=True)
class Fill:
    """A template whose runs fill the slots of the requirement at position `rq`."""

    rq: int
    template_id: str
    per_asset: bool


def owners(rows: pd.DataFrame) -> Codes:
    """One code per row from its requirement position and subject key."""
    return (rows["rq"].to_numpy(dtype=np.int64) << 32) | rows["key"].to_numpy(dtype=np.int64)


def runs_by_owner(runs: pd.DataFrame, fills: Sequence[Fill]) -> pd.DataFrame:
    """Runs once per owner they count for: by asset for per-asset requirements, else by site."""
    codes, names = pd.factorize(runs["template_id"])
    template = {name: number for number, name in enumerate(names)}
    asset = runs["asset_pk"].to_numpy(dtype="float64", na_value=np.nan)
    site = runs["site_id"].to_numpy(dtype=np.int64)
    picked, owner = [np.zeros(0, np.intp)], [np.zeros(0, np.int64)]
    # One pass per (requirement, template) pair of the policy, not per run.
    for fill in fills:
        wanted = codes == template.get(fill.template_id, -2)
        if fill.per_asset:
            wanted &= ~np.isnan(asset)
        index = np.flatnonzero(wanted)
        key = np.nan_to_num(asset[index]).astype(np.int64) if fill.per_asset else site[index]
        picked.append(index)
        owner.append((np.int64(fill.rq) << 32) | key)
    index = np.concatenate(picked)
    return pd.DataFrame(
        {
            "owner": np.concatenate(owner),
            "slot_date": runs["slot_date"].to_numpy(dtype=DATE_DTYPE)[index],
            "submitted_at": runs["submitted_at"].to_numpy(dtype="datetime64[ns]")[index],
            "done_on": runs["done_on"].to_numpy(dtype=DATE_DTYPE)[index],
        }
    )


def latest_done(owner: Codes, runs: pd.DataFrame) -> npt.NDArray[np.datetime64]:
    """Per owner: the site-local day of its latest run (NaT: none among `runs`)."""
    ordered = runs.sort_values("done_on")
    codes = ordered["owner"].to_numpy()
    done = ordered["done_on"].to_numpy(dtype=DATE_DTYPE)
    unique, last = _last_of_each(codes)
    return _lookup(unique, done[last], owner, np.datetime64("NaT"))


def slot_state(
    frequency: str,
    rows: pd.DataFrame,
    owner: Codes,
    runs: pd.DataFrame,
    facts: Facts,
    due_by: Sequence[time | None],
) -> pd.DataFrame:
    """Per row: due date and done state of the latest ended, the current and the next slot.

    `due_by[i]` is the site-local time by which the slots of the i-th requirement are
    due on their due day (None: by the end of that day).
    """
    owed = _owed(frequency, rows, facts, due_by)
    row = owed["row"].to_numpy()
    slot_code = _slot_codes(owner[row], owed["period"])
    done_at, done_on = _first_runs(frequency, runs, slot_code)
    started = owed["slot_date"].to_numpy() <= rows["as_of"].to_numpy(dtype=DATE_DTYPE)[row]
    at = owed["at_utc"].to_numpy(dtype="datetime64[ns]")
    # Overdue after the due instant, as `checklist due` says (at the instant itself still
    # pending); a past day is judged at its end, by which every slot due that day has ended.
    passed = (owed["due_utc"].to_numpy() < at) | (owed["day_end_utc"].to_numpy() <= at)
    ended = started & passed
    due = owed["due_date"].to_numpy(dtype=DATE_DTYPE)
    done = ~np.isnat(done_at)
    state: dict[str, np.ndarray] = {}
    for name, chosen, keep_last in (
        ("ended", ended, True),
        ("current", started & ~ended, False),
        ("next", ~started, False),
    ):
        at = _one_per_row(row, chosen, keep_last)
        state[f"has_{name}"] = _spread(len(rows), row[at], np.ones(len(at), bool), False)
        state[f"{name}_due_date"] = _spread(len(rows), row[at], due[at], np.datetime64("NaT"))
        state[f"{name}_done"] = _spread(len(rows), row[at], done[at], False)
        state[f"{name}_done_on"] = _spread(len(rows), row[at], done_on[at], np.datetime64("NaT"))
    return pd.DataFrame(state, index=rows.index)


def _owed(
    frequency: str, rows: pd.DataFrame, facts: Facts, due_by: Sequence[time | None]
) -> pd.DataFrame:
    """Every row's slots from a span before its site's as_of to a span after, each with
    its due instant (`due_utc`) and the end of its due day (`day_end_utc`), UTC."""
    sites = facts.sites
    span = timedelta(days=SLOT_SPAN[frequency])
    first = pd.Timestamp(sites["as_of"].min()).date() - span
    last = pd.Timestamp(sites["as_of"].max()).date() + span
    frame = sites[["site_id", "open_days", "timezone"]].reset_index(drop=True)
    owed = slots.expected_slots(frame, frequency, first, last)  # type: ignore[arg-type]
    # One column of instants per distinct due_by of the policy (a handful), not per row.
    times = list(dict.fromkeys([None, *due_by]))
    instants = np.stack([_utc(slots.due_instants(owed, t)) for t in times])
    owed = owed.assign(
        period=slots.period_starts(frequency, owed["slot_date"]),  # type: ignore[arg-type]
        at_utc=facts.scope.of(owed["site_id"], "at_utc"),
        slot=np.arange(len(owed)),
    ).drop(columns=["timezone"])
    # Per requirement, which of `times` its slots are due by; per row, its requirement's.
    code = np.array([times.index(t) for t in due_by] or [0], dtype=np.intp)
    row, slot = _each_rows_slots(rows["site_id"].to_numpy(dtype=np.int64), owed["site_id"])
    chosen = code[rows["rq"].to_numpy(dtype=np.intp)][row]
    return (
        owed.take(slot)
        .reset_index(drop=True)
        .assign(
            row=row, due_by=chosen, due_utc=instants[chosen, slot], day_end_utc=instants[0, slot]
        )
    )


def _each_rows_slots(row_sites: Codes, slot_sites: pd.Series) -> tuple[Codes, Codes]:
    """Pairs (row, slot) of every row with each slot of its site, by row, then by slot.

    `expected_slots` lists a site's slots together, by date, so each row takes its
    site's block: a join without a join.
    """
    sites, first, count = np.unique(
        slot_sites.to_numpy(dtype=np.int64), return_index=True, return_counts=True
    )
    at = np.searchsorted(sites, row_sites).clip(0, max(len(sites) - 1, 0))
    found = (sites[at] == row_sites) if len(sites) else np.zeros(len(row_sites), dtype=bool)
    counts = np.where(found, count[at] if len(sites) else 0, 0)
    row = np.repeat(np.arange(len(row_sites), dtype=np.int64), counts)
    block_start = np.repeat(np.cumsum(counts) - counts, counts)
    start = np.repeat(np.where(found, first[at] if len(sites) else 0, 0), counts)
    return row, start + np.arange(len(row), dtype=np.int64) - block_start


def _utc(instants: pd.Series) -> npt.NDArray[np.datetime64]:
    """Aware UTC instants as naive UTC datetime64[ns], to compare with at_utc."""
    return instants.to_numpy(dtype="datetime64[ns]")


def _first_runs(
    frequency: str, runs: pd.DataFrame, slot_code: Codes
) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.datetime64]]:
    """For each slot: when its first run was signed, and that run's local day (NaT: none)."""
    ordered = runs.sort_values("submitted_at")
    period = slots.period_starts(frequency, ordered["slot_date"])  # type: ignore[arg-type]
    codes = _slot_codes(ordered["owner"].to_numpy(), period)
    unique, first = np.unique(codes, return_index=True)
    signed = ordered["submitted_at"].to_numpy(dtype="datetime64[ns]")
    local = ordered["done_on"].to_numpy(dtype=DATE_DTYPE)
    return (
        _lookup(unique, signed[first], slot_code, np.datetime64("NaT")),
        _lookup(unique, local[first], slot_code, np.datetime64("NaT")),
    )


def _slot_codes(owner: Codes, period: pd.Series) -> Codes:
    """One code per (owner, slot period)."""
    days = period.to_numpy(dtype="datetime64[D]").astype(np.int64)
    return (owner << DAY_BITS) | days


def _last_of_each(codes: Codes) -> tuple[Codes, npt.NDArray[np.intp]]:
    """Distinct codes (sorted) and the position of the last occurrence of each."""
    unique, from_end = np.unique(codes[::-1], return_index=True)
    return unique, len(codes) - 1 - from_end


def _lookup(unique: Codes, values: np.ndarray, wanted: Codes, missing: object) -> np.ndarray:
    """values[i] of unique[i] for each wanted code; `missing` where the code is absent."""
    position = np.searchsorted(unique, wanted).clip(0, max(len(unique) - 1, 0))
    found = (unique[position] == wanted) if len(unique) else np.zeros(len(wanted), dtype=bool)
    result = np.full(len(wanted), missing, dtype=values.dtype)
    if len(unique):
        result[found] = values[position[found]]
    return result


def _one_per_row(row: npt.NDArray[np.int64], chosen: np.ndarray, keep_last: bool) -> np.ndarray:
    """Positions of the first (or last) chosen slot of each row; slots are sorted by row."""
    index = np.flatnonzero(chosen)
    rows = row[index]
    if keep_last:
        return index[np.r_[rows[1:] != rows[:-1], True]] if len(index) else index
    return index[np.r_[True, rows[1:] != rows[:-1]]] if len(index) else index


def _spread(size: int, at: np.ndarray, values: np.ndarray, fill: object) -> np.ndarray:
    """An array of `size` holding `values` at positions `at` and `fill` elsewhere."""
    result = np.full(size, fill, dtype=values.dtype)
    result[at] = values
    return result
