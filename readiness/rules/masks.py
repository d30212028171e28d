"""Pure day arithmetic: which days of a period a subject was out of compliance.

Days are whole numbers (days since 1970-01-01) in numpy arrays; a mask is a boolean
array over the period's days, True where the subject was out of compliance at the
end of that day. Each function mirrors one rule of `readiness.rules.due` or the
compliance engine for every day at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Final

import numpy as np
import numpy.typing as npt

Days = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]

EPOCH_ORDINAL: Final = date(1970, 1, 1).toordinal()


def day(value: date) -> int:
    """A date as a day number."""
    return value.toordinal() - EPOCH_ORDINAL


def period(start: date, end: date) -> Days:
    """The day numbers from start to end inclusive."""
    return np.arange(day(start), day(end) + 1, dtype=np.int64)


def lapsed(days: Days, expires: int | Days, valid_through: bool) -> Mask:
    """Days on which something expiring on `expires` is expired (see rules.status_for_due)."""
    return days > expires if valid_through else days >= expires


def recurring(done: Sequence[int], due: Sequence[int], days: Days) -> Mask:
    """Days with no evidence yet, or past the due date of the latest evidence.

    `done` is sorted (ties in record order: the last one counts, as in the engine);
    `due[i]` is the due date that evidence `done[i]` sets.
    """
    if not done:
        return np.ones(len(days), dtype=bool)
    latest = np.searchsorted(np.asarray(done), days, side="right") - 1
    dues = np.asarray(due)[np.maximum(latest, 0)]
    return (latest < 0) | (days > dues)


def held(
    issued: Sequence[int], expires: Sequence[int | None], days: Days, valid_through: bool
) -> Mask:
    """Days on which the latest card issued so far was in date (a card without expiry: not)."""
    if not issued:
        return np.zeros(len(days), dtype=bool)
    latest = np.searchsorted(np.asarray(issued), days, side="right") - 1
    chosen = np.maximum(latest, 0)
    known = np.array([e is not None for e in expires])[chosen]
    ends = np.array([e if e is not None else 0 for e in expires], dtype=np.int64)[chosen]
    in_date = ~lapsed(days, ends, valid_through)
    return (latest >= 0) & known & in_date


def on_hand(
    lots: Sequence[tuple[int | None, int, int]], days: Days, valid_through: bool
) -> npt.NDArray[np.int64]:
    """Units in date and received by each day: lots are (received or None, expires, quantity)."""
    total = np.zeros(len(days), dtype=np.int64)
    for received, expires, quantity in lots:
        if quantity <= 0:
            continue
        usable = ~lapsed(days, expires, valid_through)
        if received is not None:
            usable &= days >= received
        total += usable * quantity
    return total


def open_between(spans: Sequence[tuple[int, int | None]], days: Days) -> Mask:
    """Days at whose end some span [opened, closed) was open (closed None: still open)."""
    mask = np.zeros(len(days), dtype=bool)
    for opened, closed in spans:
        inside = days >= opened
        if closed is not None:
            inside &= days < closed
        mask |= inside
    return mask


def missed_slots(
    slot: Sequence[int], due: Sequence[int], done: Sequence[int | None], days: Days, today: int
) -> Mask:
    """Days whose latest ended slot was not done by that day's end, unless the current
    slot already was (a check done now makes good an earlier miss, as in the engine).

    Slot i is dated `slot[i]` and due `due[i]` (both ascending); `done[i]` is the day its
    first run was signed (None: never). A slot has ended once its due day is over
    (today's has not); the current slot is the one after, once its date has come.
    """
    if not due:
        return np.zeros(len(days), dtype=bool)
    ended_by = np.where(days >= today, days - 1, days)
    latest = np.searchsorted(np.asarray(due), ended_by, side="right") - 1
    never = np.iinfo(np.int64).max
    signed = np.array([never if d is None else d for d in done] + [never], dtype=np.int64)
    dated = np.array([*slot, never], dtype=np.int64)
    missed = (latest >= 0) & (signed[np.maximum(latest, 0)] > days)
    current = latest + 1
    done_now = (dated[current] <= days) & (signed[current] <= days)
    return missed & ~done_now
