"""Pure date and status arithmetic: no clock, no database, an explicit `as_of` everywhere.

Every scalar rule has a vectorised twin (`*_series`) that the compliance engine
applies to whole DataFrames of facts; tests prove the twins agree row by row.

Conventions shared by all rules:

* A *due date* of a recurring requirement is the last day on which doing it is
  still on time: on the due day the item is `due_soon`, the day after `overdue`.
* An *expiry date* is read the way its source prints it. AHA course cards are
  "valid through" the end of their month, so a card is still valid on its expiry
  date; AED pads, batteries and epinephrine are to be replaced *before, not on*,
  the date, so they are expired on it. Callers say which with `valid_through`
  (the policy's `valid_through_expiry_date`).
* The warning window is the largest tier of `warn_days` and includes the due day.
* A missing date (None, NaT) means there is no record at all: `missing`.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from readiness.rules.status import SEVERITY_ORDER, Status

DueKind = Literal["recurring", "expiry"]

AHA_VALIDITY_MONTHS = 24
CERTIFICATE_TIERS: tuple[int, ...] = (90, 60, 30)

# Least severe first, so that an ordered categorical's max() is the worst status.
STATUS_DTYPE = pd.CategoricalDtype([str(s) for s in reversed(SEVERITY_ORDER)], ordered=True)

# Dates leave the vectorised rules as whole days in pandas' date-like dtype; the
# second resolution is what pandas 3 itself infers for datetime.date values.
DATE_DTYPE: Final = "datetime64[s]"

# Status words by position in SEVERITY_ORDER, for the vectorised status rule.
_STATUS_WORDS = np.array([str(status) for status in SEVERITY_ORDER], dtype=object)
_POSITION = {status: position for position, status in enumerate(SEVERITY_ORDER)}

DayArray = npt.NDArray[np.datetime64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


# --- scalar rules -------------------------------------------------------------


def month_end(d: date) -> date:
    """The last day of the month of `d`."""
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def add_months(d: date, n: int) -> date:
    """`d` moved by `n` calendar months, clamped to the target month's last day."""
    year, month0 = divmod(d.year * 12 + d.month - 1 + n, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(d.day, last_day))


def aha_card_expiry(issued_on: date, months: int = AHA_VALIDITY_MONTHS) -> date:
    """Last valid day of an AHA card: the end of the month `months` after issue."""
    return month_end(add_months(issued_on, months))


def certificate_expiry(issued_on: date, months: int, *, end_of_month: bool = True) -> date:
    """Expiry date of a certificate valid `months` from issue, to month end or to the day."""
    # Without the month-end rule the card expires on the anniversary of its issue,
    # which is the date such cards print.
    if end_of_month:
        return aha_card_expiry(issued_on, months)
    return add_months(issued_on, months)


def next_due(last_done_on: date, *, months: int | None = None, days: int | None = None) -> date:
    """Due date of a recurring requirement last done on `last_done_on`."""
    if (months is None) == (days is None):
        raise ValueError("next_due needs exactly one of months or days")
    if months is not None:
        return add_months(last_done_on, months)
    assert days is not None
    return last_done_on + timedelta(days=days)


def days_until(target: date, as_of: date) -> int:
    """Whole days from `as_of` to `target`; negative once `target` has passed."""
    return (target - as_of).days


def warning_tier(
    due_on: date | None, as_of: date, tiers: Sequence[int] = CERTIFICATE_TIERS
) -> int | None:
    """The smallest tier (e.g. 90/60/30) whose window holds `due_on`; None outside or past."""
    if due_on is None:
        return None
    left = days_until(due_on, as_of)
    if left < 0:
        return None
    return min((tier for tier in tiers if left <= tier), default=None)


def warning_window(warn_days: int | Iterable[int]) -> int:
    """Days before the due date at which an item turns due_soon: the largest tier."""
    if isinstance(warn_days, int):
        return warn_days
    return max(warn_days, default=0)


def status_for_due(
    due_on: date | None,
    as_of: date,
    warn_days: int | Iterable[int],
    kind: DueKind = "recurring",
    *,
    valid_through: bool = True,
) -> Status:
    """Status of a due or expiry date on `as_of` (see the module docstring)."""
    if due_on is None:
        return Status.MISSING
    left = days_until(due_on, as_of)
    if _lapsed(left, kind, valid_through):
        return Status.OVERDUE if kind == "recurring" else Status.EXPIRED
    if left <= warning_window(warn_days):
        return Status.DUE_SOON
    return Status.OK


def _lapsed(days_left: int, kind: DueKind, valid_through: bool) -> bool:
    """True once the date has passed; for replace-before expiries, on the date too."""
    # A recurring task done on its due day is on time, so `valid_through` only
    # changes expiring things.
    if kind == "expiry" and not valid_through:
        return days_left <= 0
    return days_left < 0


def stock_due_on(
    lots: Iterable[tuple[date, int]], as_of: date, minimum: int, *, valid_through: bool = False
) -> date | None:
    """Date the in-date stock drops below `minimum`: an expiry date; None if below now."""
    in_date = sorted(
        (expires_on, quantity)
        for expires_on, quantity in lots
        if quantity > 0 and not _lapsed(days_until(expires_on, as_of), "expiry", valid_through)
    )
    # Latest-expiring lots first: the lot that brings the count up to the minimum
    # is the one whose expiry takes the site below it.
    on_hand = 0
    for expires_on, quantity in reversed(in_date):
        on_hand += quantity
        if on_hand >= minimum:
            return expires_on
    return None


# --- vectorised rules ---------------------------------------------------------


def add_months_series(dates: pd.Series, months: int | pd.Series) -> pd.Series:
    """Vectorised `add_months`; NaT (or a missing month count) gives NaT."""
    days = _days(dates)
    shift, unknown = _int_array(months, len(days))
    return _series(_add_months(days, shift, unknown), dates.index)


def end_of_month_series(dates: pd.Series) -> pd.Series:
    """Vectorised `month_end`."""
    return _series(_month_end(_days(dates)), dates.index)


def certificate_expiry_series(
    issued_on: pd.Series, months: int | pd.Series, end_of_month: bool | pd.Series = True
) -> pd.Series:
    """Vectorised `certificate_expiry`; months and the month-end rule may vary by row."""
    days = _days(issued_on)
    shift, unknown = _int_array(months, len(days))
    shifted = _add_months(days, shift, unknown)
    to_month_end = _bool_array(end_of_month, len(days))
    return _series(np.where(to_month_end, _month_end(shifted), shifted), issued_on.index)


def aha_expiry_series(issued_on: pd.Series, months: int = AHA_VALIDITY_MONTHS) -> pd.Series:
    """Vectorised `aha_card_expiry`."""
    return certificate_expiry_series(issued_on, months, end_of_month=True)


def next_due_series(
    last_done_on: pd.Series,
    *,
    months: int | pd.Series | None = None,
    days: int | pd.Series | None = None,
) -> pd.Series:
    """Vectorised `next_due`; a per-row months Series carries per-asset overrides."""
    if (months is None) == (days is None):
        raise ValueError("next_due_series needs exactly one of months or days")
    if months is not None:
        return add_months_series(last_done_on, months)
    assert days is not None
    done = _days(last_done_on)
    step, unknown = _int_array(days, len(done))
    due = done + step.astype("timedelta64[D]")
    due[unknown] = np.datetime64("NaT")
    return _series(due, last_done_on.index)


def days_until_series(due_on: pd.Series, as_of: date | pd.Series) -> pd.Series:
    """Vectorised `days_until` as nullable integers (NA where the date is missing)."""
    left, missing = _days_left(due_on, as_of)
    return pd.Series(pd.array(left, dtype="Int64"), index=due_on.index).mask(missing)


def warning_tier_series(
    due_on: pd.Series, as_of: date | pd.Series, tiers: Sequence[int] = CERTIFICATE_TIERS
) -> pd.Series:
    """Vectorised `warning_tier` as nullable integers."""
    left, missing = _days_left(due_on, as_of)
    tier = np.full(len(left), -1, dtype=np.int64)
    # Widest tier first, so that each narrower tier overwrites the rows it holds.
    for width in sorted(set(tiers), reverse=True):
        tier = np.where(left <= width, width, tier)
    outside = missing | (left < 0) | (tier < 0)
    return pd.Series(pd.array(tier, dtype="Int64"), index=due_on.index).mask(outside)


def due_status_series(
    due_on: pd.Series,
    as_of: date | pd.Series,
    warn_days: int | Sequence[int] | pd.Series,
    kind: DueKind | pd.Series = "recurring",
    *,
    valid_through: bool | pd.Series = True,
) -> pd.Series:
    """Vectorised `status_for_due`; each argument may be one value or one per row."""
    left, missing = _days_left(due_on, as_of)
    n = len(left)
    window, _ = _int_array(
        warn_days if isinstance(warn_days, int | pd.Series) else warning_window(warn_days), n
    )
    expiry = _is_expiry(kind, n)
    replace_before = expiry & ~_bool_array(valid_through, n)
    lapsed = np.where(replace_before, left <= 0, left < 0)
    # Choose positions in SEVERITY_ORDER, then look the words up once: building
    # a million strings row by row is what would cost the time.
    position = np.select(
        [missing, lapsed & expiry, lapsed, left <= window],
        [_POSITION[s] for s in (Status.MISSING, Status.EXPIRED, Status.OVERDUE, Status.DUE_SOON)],
        default=_POSITION[Status.OK],
    )
    return pd.Series(_STATUS_WORDS[position], index=due_on.index, dtype="str")


def stock_due_on_series(
    lots: pd.DataFrame,
    by: str | list[str],
    as_of: date | pd.Series,
    minimum: int,
    *,
    valid_through: bool = False,
) -> pd.Series:
    """Vectorised `stock_due_on` over lots (expires_on, quantity) grouped by `by`.

    The result is indexed by the groups present in `lots`; a group with no lot at
    all is absent, so callers reindex onto their sites and treat NaT as missing.
    """
    keys = [by] if isinstance(by, str) else by
    left, missing = _days_left(lots["expires_on"], as_of)
    # As `_lapsed` reads it: replace-before stock is gone on its expiry date.
    lapsed = left < 0 if valid_through else left <= 0
    usable = ~missing & ~lapsed & (lots["quantity"].fillna(0).to_numpy() > 0)
    in_date = lots.loc[usable, [*keys, "quantity"]].assign(
        expires_on=_days(lots["expires_on"])[usable]
    )
    in_date = in_date.sort_values([*keys, "expires_on"], ascending=[True] * len(keys) + [False])
    on_hand = in_date.groupby(keys, sort=False)["quantity"].cumsum()
    reached = in_date[on_hand >= minimum].groupby(keys)["expires_on"].first()
    groups = lots.groupby(keys).size().index
    return reached.reindex(groups).astype(DATE_DTYPE).rename("due_on")


def worst_by(frame: pd.DataFrame, by: str | list[str], column: str = "status") -> pd.Series:
    """Worst status per group of `frame` (vectorised `worst`), as str indexed by group."""
    keys = [by] if isinstance(by, str) else by
    statuses = frame[column]
    unknown = statuses.notna() & ~statuses.isin(STATUS_DTYPE.categories)
    if unknown.any():
        raise ValueError(f"unknown status {statuses[unknown].iloc[0]!r} in {column!r}")
    ranked = statuses.astype(STATUS_DTYPE)
    worst = ranked.groupby([frame[key] for key in keys], observed=True).max()
    return worst.astype("str")


# --- array helpers of the vectorised rules ------------------------------------


def _days(values: pd.Series) -> DayArray:
    """A Series of dates (date, Timestamp, ISO text, NaT/None) as datetime64[D]."""
    if isinstance(values.dtype, np.dtype) and values.dtype.kind == "M":
        return np.asarray(values).astype("datetime64[D]")  # dates already: nothing to parse
    stamps = pd.to_datetime(values)
    if isinstance(stamps.dtype, pd.DatetimeTZDtype):
        # Instants must first become site-local dates; guessing a zone here would be wrong.
        raise TypeError("rules take site-local dates, not timezone-aware instants")
    return stamps.to_numpy(dtype="datetime64[D]")


def _series(days: DayArray, index: pd.Index) -> pd.Series:
    """Wrap a datetime64[D] array as a Series of DATE_DTYPE."""
    return pd.Series(days.astype(DATE_DTYPE), index=index)


def _as_of_days(as_of: date | pd.Series, n: int) -> DayArray:
    """`as_of` as one datetime64[D] per row."""
    if isinstance(as_of, pd.Series):
        if len(as_of) != n:
            raise ValueError(f"as_of has {len(as_of)} rows, expected {n}")
        return _days(as_of)
    return np.full(n, np.datetime64(date(as_of.year, as_of.month, as_of.day), "D"))


def _days_left(due_on: pd.Series, as_of: date | pd.Series) -> tuple[IntArray, BoolArray]:
    """Whole days from as_of to due_on per row (0 where unknown) and the unknown mask."""
    due = _days(due_on)
    today = _as_of_days(as_of, len(due))
    missing = np.isnat(due) | np.isnat(today)
    left = np.where(missing, 0, (due - today).astype("timedelta64[D]").astype(np.int64))
    return left, missing


def _int_array(values: int | pd.Series, n: int) -> tuple[IntArray, BoolArray]:
    """An int or a numeric Series as int64 per row (0 where missing) and the missing mask."""
    if isinstance(values, pd.Series):
        numbers = pd.to_numeric(values).to_numpy(dtype=np.float64, na_value=np.nan)
        unknown = np.isnan(numbers)
        return np.where(unknown, 0, numbers).astype(np.int64), unknown
    return np.full(n, values, dtype=np.int64), np.zeros(n, dtype=np.bool_)


def _bool_array(values: bool | pd.Series, n: int) -> BoolArray:
    """A bool or a boolean Series as one bool per row."""
    if isinstance(values, pd.Series):
        return values.astype(bool).to_numpy()
    return np.full(n, values, dtype=np.bool_)


def _is_expiry(kind: DueKind | pd.Series, n: int) -> BoolArray:
    """Per row: is the date an expiry (else a recurring due date)?"""
    if isinstance(kind, pd.Series):
        return (kind.astype(str) == "expiry").to_numpy(dtype=np.bool_)
    return np.full(n, kind == "expiry", dtype=np.bool_)


def _add_months(days: DayArray, shift: IntArray, unknown: BoolArray) -> DayArray:
    """Month arithmetic with month-end clamping, on datetime64[D] arrays."""
    month = days.astype("datetime64[M]")
    target = month + shift.astype("timedelta64[M]")
    day_of_month = (days - month.astype("datetime64[D]")).astype(np.int64)
    clamped = np.minimum(day_of_month, _month_length(target) - 1)
    result = target.astype("datetime64[D]") + clamped.astype("timedelta64[D]")
    result[unknown | np.isnat(days)] = np.datetime64("NaT")
    return result


def _month_end(days: DayArray) -> DayArray:
    """The last day of each date's month; NaT stays NaT."""
    month = days.astype("datetime64[M]")
    return month.astype("datetime64[D]") + (_month_length(month) - 1).astype("timedelta64[D]")


def _month_length(month: npt.NDArray[np.datetime64]) -> IntArray:
    """Days in each month of a datetime64[M] array (garbage where NaT; callers mask it)."""
    first_of_next = (month + 1).astype("datetime64[D]")
    return (first_of_next - month.astype("datetime64[D]")).astype(np.int64)
