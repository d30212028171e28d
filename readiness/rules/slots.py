"""Pure checklist slot arithmetic in site-local time: no clock, no database.

A *slot* is one occurrence a recurring checklist is owed: a daily template owes one
slot per open day, a weekly one per ISO week (dated the first open day of the week),
a monthly one per calendar month (dated the first open day of the month). A run dated
any day of the slot's period satisfies it; the slot is due by `due_by` on the last
open day of its period (for a daily slot, its own day). Weekdays are numbered
Monday = 0 … Sunday = 6, as `date.weekday()` does.

Wall-clock rule: a local time is turned into the *first* UTC instant at which the
site's clock shows that time or later on that date. So a time that happens twice
when the clocks go back means its first occurrence, and a time skipped when they go
forward means the end of the gap (02:30 on a spring-forward night is 03:00).

Vectorised dates use numpy `datetime64[s]` at midnight, like `readiness.rules.due`.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Final, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt
import pandas as pd

Frequency = Literal["daily", "weekly", "monthly", "per_use"]
SlotState = Literal["pending", "done", "late", "overdue"]

FREQUENCIES: Final[tuple[str, ...]] = get_args(Frequency)
EVERY_DAY: Final = frozenset(range(7))
DATE_DTYPE: Final = "datetime64[s]"

DayArray = npt.NDArray[np.datetime64]

_DAY_NAMES: Final = {
    name: number
    for number, (short, full) in enumerate(
        zip(
            ("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
            strict=True,
        )
    )
    for name in (short, full)
}


# --- open days ---------------------------------------------------------------


def parse_open_days(text: str | None) -> frozenset[int]:
    """Weekday numbers from text like "mon-sat" or "mon,tue,thu"; empty text means every day."""
    if text is None or not text.strip():
        return EVERY_DAY
    days: set[int] = set()
    for token in text.split(","):
        days |= _parse_day_token(token.strip(), text)
    return frozenset(days)


def _parse_day_token(token: str, text: str) -> set[int]:
    """One day ("tue") or range ("mon-fri", wrapping past Sunday as in "fri-mon")."""
    first, dash, last = token.partition("-")
    start = _day_number(first.strip(), text)
    if not dash:
        return {start}
    span = (_day_number(last.strip(), text) - start) % 7
    return {(start + offset) % 7 for offset in range(span + 1)}


def _day_number(name: str, text: str) -> int:
    """Weekday number of a day name, or a ValueError that quotes the whole setting."""
    try:
        return _DAY_NAMES[name.lower()]
    except KeyError:
        raise ValueError(
            f"open_days {text!r}: {name!r} is not a day "
            "(write e.g. mon-sat, mon,tue,thu, or leave empty for every day)"
        ) from None


def _open_days_of(value: object) -> frozenset[int]:
    """open_days as found in a DataFrame cell: text, None/NaN, or a set of weekday numbers."""
    if isinstance(value, str) or value is None:
        return parse_open_days(value)
    if isinstance(value, set | frozenset):
        days = frozenset(int(day) for day in value)
        if not days <= EVERY_DAY:
            raise ValueError(f"open_days {sorted(days)}: weekday numbers run from 0 to 6")
        return days
    if pd.isna(value):  # type: ignore[call-overload]
        return EVERY_DAY
    raise ValueError(f"open_days {value!r}: expected text such as mon-sat")


# --- slots and periods (scalar) ---------------------------------------------------


def slot_dates(
    frequency: Frequency, start: date, end: date, open_days: frozenset[int]
) -> list[date]:
    """Slot dates from start to end inclusive; a slot dated before start is not included."""
    _check_frequency(frequency)
    if frequency == "per_use" or end < start:
        return []
    if frequency == "daily":
        return [day for day in _days(start, end) if day.weekday() in open_days]
    slots: list[date] = []
    first, last = slot_period(frequency, start)
    while first <= end:
        slot = _first_open_day(first, last, open_days)
        if slot is not None and start <= slot <= end:
            slots.append(slot)
        first, last = slot_period(frequency, last + timedelta(days=1))
    return slots


def slot_period(frequency: Frequency, slot_date: date) -> tuple[date, date]:
    """First and last day a run may be dated to satisfy the slot that covers slot_date."""
    _check_frequency(frequency)
    if frequency == "daily":
        return slot_date, slot_date
    if frequency == "weekly":
        monday = slot_date - timedelta(days=slot_date.weekday())
        return monday, monday + timedelta(days=6)
    if frequency == "monthly":
        days_in_month = calendar.monthrange(slot_date.year, slot_date.month)[1]
        return slot_date.replace(day=1), slot_date.replace(day=days_in_month)
    raise ValueError("per_use checklists have no slots")


def slot_for(frequency: Frequency, day: date, open_days: frozenset[int]) -> date | None:
    """The slot whose period covers `day`, or None (closed day, no open day, per_use)."""
    _check_frequency(frequency)
    if frequency == "per_use":
        return None
    if frequency == "daily":
        return day if day.weekday() in open_days else None
    return _first_open_day(*slot_period(frequency, day), open_days)


def slot_due_date(frequency: Frequency, slot_date: date, open_days: frozenset[int]) -> date:
    """The day a slot is due: its last open day (the period's last day when none is open)."""
    first, last = slot_period(frequency, slot_date)
    open_dates = [day for day in _days(first, last) if day.weekday() in open_days]
    return open_dates[-1] if open_dates else last


def _first_open_day(first: date, last: date, open_days: frozenset[int]) -> date | None:
    """The first open day from first to last, or None."""
    return next((day for day in _days(first, last) if day.weekday() in open_days), None)


def _days(start: date, end: date) -> list[date]:
    """Every date from start to end inclusive."""
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _check_frequency(frequency: str) -> None:
    """Refuse a frequency that is not one of FREQUENCIES."""
    if frequency not in FREQUENCIES:
        raise ValueError(f"unknown frequency {frequency!r} (one of {', '.join(FREQUENCIES)})")


# --- instants ---------------------------------------------------------------------


def due_instant(slot_date: date, due_by: time, tz: str) -> datetime:
    """The UTC instant a slot dated slot_date is due at site-local due_by (see module rule)."""
    return _wall_to_utc(datetime.combine(slot_date, due_by), _zone(tz))


def day_start_instant(day: date, tz: str) -> datetime:
    """The UTC instant the site-local day begins."""
    return _wall_to_utc(datetime.combine(day, time(0)), _zone(tz))


def day_end_instant(day: date, tz: str) -> datetime:
    """The UTC instant the site-local day ends (days are 23 or 25 hours on DST changes)."""
    return day_start_instant(day + timedelta(days=1), tz)


def site_today(now_utc: datetime, tz: str) -> date:
    """The site-local date at instant now_utc."""
    _require_aware(now_utc=now_utc)
    return now_utc.astimezone(_zone(tz)).date()


def slot_state(
    due_by_utc: datetime,
    day_end_utc: datetime,
    done_at_utc: datetime | None,
    now_utc: datetime,
) -> SlotState:
    """pending, done, late (done after due_by) or overdue (not done and past due_by) at now_utc.

    A run signed after `now_utc` does not count yet, so an as-of view of the past
    never sees later evidence; a run signed after the slot's day ended is still late.
    """
    _require_aware(due_by_utc=due_by_utc, day_end_utc=day_end_utc, now_utc=now_utc)
    if due_by_utc > day_end_utc:
        raise ValueError(f"due_by {due_by_utc.isoformat()} is after the day's end")
    if done_at_utc is not None:
        _require_aware(done_at_utc=done_at_utc)
        if done_at_utc <= now_utc:
            return "done" if done_at_utc <= due_by_utc else "late"
    return "overdue" if now_utc > due_by_utc else "pending"


def _wall_to_utc(wall: datetime, zone: ZoneInfo) -> datetime:
    """First UTC instant at which the zone's clock shows `wall` or later."""
    # fold=0 is the first of two occurrences; in a gap it lands past the gap instead.
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == wall:
        return first
    return _gap_end(wall, zone)


def _gap_end(wall: datetime, zone: ZoneInfo) -> datetime:
    """The transition instant that skips over `wall` (the clock jumps past it there)."""
    # fold=1 reads the skipped time with the later offset: still before the jump.
    low = int(wall.replace(tzinfo=zone, fold=1).timestamp())
    high = int(wall.replace(tzinfo=zone, fold=0).timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).replace(tzinfo=None) >= wall:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


@lru_cache(maxsize=512)
def _zone(tz: str) -> ZoneInfo:
    """A ZoneInfo, or a ValueError naming the unknown zone."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {tz!r} (use an IANA name such as America/Chicago)"
        ) from None


def _require_aware(**instants: datetime) -> None:
    """Refuse naive datetimes: a naive instant has no defined UTC moment."""
    for name, value in instants.items():
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{name} must be timezone-aware, got {value.isoformat()}")


# --- vectorised helpers for the compliance engine -------------------------------------


def expected_slots(
    sites: pd.DataFrame, frequency: Frequency, start: date, end: date
) -> pd.DataFrame:
    """Slots per site from start to end: columns site_id, slot_date, due_date (+ timezone).

    `sites` has site_id, open_days (text, None/NaN for every day) and optionally
    timezone, which is carried along for `due_instants`. One numpy pass per distinct
    open_days pattern, none per day or per site.
    """
    _check_frequency(frequency)
    carried = [column for column in ("site_id", "timezone") if column in sites.columns]
    if sites.empty:
        return _empty_slots(sites, carried)
    keys = [_pattern_key(_open_days_of(value)) for value in sites["open_days"]]
    # Slot and due dates once per pattern (a handful), then laid out site by site.
    found = {key: _pattern_slots(frequency, start, end, _pattern_days(key)) for key in set(keys)}
    counts = [len(found[key][0]) for key in keys]
    rows = np.repeat(np.arange(len(sites)), counts)
    slot = np.concatenate([found[key][0] for key in keys])
    due = np.concatenate([found[key][1] for key in keys])
    return (
        sites[carried]
        .take(rows)
        .reset_index(drop=True)
        .assign(slot_date=slot.astype(DATE_DTYPE), due_date=due.astype(DATE_DTYPE))
    )


def due_instants(
    slots: pd.DataFrame,
    due_by: time | None,
    *,
    date_column: str = "due_date",
    tz_column: str = "timezone",
) -> pd.Series:
    """UTC due instant per row: due_by on the row's date, or the day's end when due_by is None."""
    days = slots[date_column].to_numpy(dtype="datetime64[D]")
    zones = slots[tz_column].astype(str).to_numpy()
    instants = np.empty(len(slots), dtype="datetime64[s]")
    for tz in pd.unique(zones):
        rows = zones == tz
        # A few thousand distinct days per zone at most: the exact scalar rule on each.
        distinct, inverse = np.unique(days[rows], return_inverse=True)
        computed = [_due_or_day_end(day.item(), due_by, str(tz)) for day in distinct]
        naive_utc = [instant.replace(tzinfo=None) for instant in computed]
        instants[rows] = np.array(naive_utc, dtype="datetime64[s]")[inverse]
    utc = pd.DatetimeIndex(instants).tz_localize("UTC")
    return pd.Series(utc, index=slots.index, name="due_by_utc")


def period_starts(frequency: Frequency, dates: pd.Series) -> pd.Series:
    """First day of the slot period each date falls in: match runs to slots by this key."""
    _check_frequency(frequency)
    if frequency == "per_use":
        raise ValueError("per_use checklists have no slots")
    days = pd.to_datetime(dates).to_numpy(dtype="datetime64[D]")
    if frequency == "weekly":
        days = days - _weekdays(days).astype("timedelta64[D]")
    elif frequency == "monthly":
        days = days.astype("datetime64[M]").astype("datetime64[D]")
    return pd.Series(days.astype(DATE_DTYPE), index=dates.index, name="period_start")


def _due_or_day_end(day: date, due_by: time | None, tz: str) -> datetime:
    """due_instant, or the end of the day for templates without a due_by time."""
    return day_end_instant(day, tz) if due_by is None else due_instant(day, due_by, tz)


def _pattern_slots(
    frequency: Frequency, start: date, end: date, open_days: frozenset[int]
) -> tuple[DayArray, DayArray]:
    """Slot dates and due dates for one open_days pattern, as datetime64[D] arrays."""
    if frequency == "per_use" or end < start or not open_days:
        empty = np.array([], dtype="datetime64[D]")
        return empty, empty
    days = np.arange(
        np.datetime64(slot_period(frequency, start)[0], "D"),
        np.datetime64(slot_period(frequency, end)[1], "D") + 1,
    )
    days = days[np.isin(_weekdays(days), sorted(open_days))]
    keys = _period_keys(frequency, days)
    _, first_index = np.unique(keys, return_index=True)
    _, last_from_end = np.unique(keys[::-1], return_index=True)
    slot, due = days[first_index], days[::-1][last_from_end]
    inside = (slot >= np.datetime64(start, "D")) & (slot <= np.datetime64(end, "D"))
    return slot[inside], due[inside]


def _period_keys(frequency: Frequency, days: DayArray) -> npt.NDArray[np.int64]:
    """An integer per day, equal for days in the same slot period."""
    day_numbers = days.astype(np.int64)
    if frequency == "weekly":
        return day_numbers - _weekdays(days)
    if frequency == "monthly":
        return days.astype("datetime64[M]").astype(np.int64)
    return day_numbers


def _weekdays(days: DayArray) -> npt.NDArray[np.int64]:
    """Weekday (Monday = 0) of each datetime64[D]; 1970-01-01 was a Thursday."""
    return (days.astype(np.int64) + 3) % 7


def _pattern_key(days: frozenset[int]) -> str:
    """A hashable, sortable text key for an open_days set, e.g. "012345"."""
    return "".join(str(day) for day in sorted(days))


def _pattern_days(key: str) -> frozenset[int]:
    """The open_days set back from its _pattern_key."""
    return frozenset(int(char) for char in key)


def _empty_slots(sites: pd.DataFrame, carried: list[str]) -> pd.DataFrame:
    """A zero-row slots frame with the usual columns and dtypes."""
    frame = sites[carried].iloc[0:0].copy()
    frame["slot_date"] = pd.Series(dtype=DATE_DTYPE)
    frame["due_date"] = pd.Series(dtype=DATE_DTYPE)
    return frame.reset_index(drop=True)
