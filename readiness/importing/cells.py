"""Parsers of one import cell: text, dates, date-times, numbers, yes/no, choices, day lists.

Every parser takes the raw cell (text from a CSV, a typed value from an XLSX), returns
None for an empty cell and raises CellError with the reason shown to the user otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from readiness.models import EVERY_DAY

Cell = str | int | float | bool | date | datetime | time | None
Parser = Callable[[Cell], Any]

WEEK = EVERY_DAY.split(",")
_DAY_NAMES = {name: name for name in WEEK} | {
    "monday": "mon",
    "tuesday": "tue",
    "wednesday": "wed",
    "thursday": "thu",
    "friday": "fri",
    "saturday": "sat",
    "sunday": "sun",
}
_YES = frozenset({"yes", "y", "true", "t", "1"})
_NO = frozenset({"no", "n", "false", "f", "0"})
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHOLE = re.compile(r"[+-]?\d+(\.0*)?")
_NAME = re.compile(r"[a-z][a-z0-9_]*")
DATE_TIME_EXAMPLE = "2026-03-09T09:00"


class CellError(ValueError):
    """A cell whose value cannot be used; the message is the reason shown to the user."""


def shown(value: Cell) -> str:
    """A cell value quoted for an error message, shortened when long."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text_ = value.isoformat() if isinstance(value, date | time) else str(value)
    if len(text_) > 60:
        text_ = text_[:57] + "..."
    return repr(text_)


def is_blank(value: Cell) -> bool:
    """True for an empty cell (None, or only whitespace)."""
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Cell) -> str | None:
    """Free text, stripped; numbers typed into an XLSX cell become their digits."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        if "\x00" in value:
            # PostgreSQL text cannot hold NUL; say so here rather than fail the transaction.
            raise CellError(f"contains a NUL character: {shown(value.replace(chr(0), ''))}")
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        # Card and lot numbers typed into Excel arrive as floats such as 12345.0.
        return str(int(value))
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def name(value: Cell) -> str | None:
    """A lowercase type name of an open vocabulary (bls, epinephrine_adult, ...)."""
    raw = text(value)
    if raw is None:
        return None
    lowered = raw.lower()
    if not _NAME.fullmatch(lowered):
        raise CellError(f"not a type name (letters, digits and _): {shown(raw)}")
    return lowered


def choice(options: Sequence[str]) -> Parser:
    """A parser accepting one of `options`, case-insensitively."""

    def parse(value: Cell) -> str | None:
        raw = text(value)
        if raw is None:
            return None
        if raw.lower() not in options:
            raise CellError(f"{shown(raw)} is not one of: {', '.join(options)}")
        return raw.lower()

    return parse


def day(value: Cell) -> date | None:
    """A calendar date: YYYY-MM-DD text or an Excel date cell."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        if value.time() != time(0) or value.tzinfo is not None:
            raise CellError(f"not a date (YYYY-MM-DD), it has a time of day: {shown(value)}")
        return value.date()
    if isinstance(value, date):
        return value
    raw = str(value).strip()
    if not _ISO_DATE.fullmatch(raw):
        raise CellError(f"not a date (YYYY-MM-DD): {shown(value)}")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise CellError(f"not a date (YYYY-MM-DD): {shown(value)}") from None


def instant(value: Cell) -> datetime | None:
    """An ISO 8601 date-time; without an offset it is naive and local to its site."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time(0))
    raw = str(value).strip()
    problem = f"not a date-time (ISO 8601, e.g. {DATE_TIME_EXAMPLE}): {shown(value)}"
    if not isinstance(value, str) or not _ISO_DATE.match(raw):
        raise CellError(problem)
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        raise CellError(problem) from None


def site_instant(value: datetime, zone_name: str) -> datetime:
    """A date-time in UTC; a naive one is read as wall-clock time in the site's zone."""
    try:
        if value.tzinfo is not None:
            return value.astimezone(UTC)
        zone = ZoneInfo(zone_name)
        moment = value.replace(tzinfo=zone).astimezone(UTC)
    except OverflowError:
        raise CellError(f"out of range: {shown(value)}") from None
    # A wall time inside the spring-forward gap never happened: say so rather than guess.
    if moment.astimezone(zone).replace(tzinfo=None) != value:
        raise CellError(
            f"{shown(value)} does not exist in {zone_name} (the clocks skip it at the DST change)"
        )
    return moment


# The largest value of the INTEGER columns on both engines.
MAX_WHOLE_NUMBER = 2**31 - 1


def whole_number(minimum: int) -> Parser:
    """A parser of integers from `minimum` to MAX_WHOLE_NUMBER; 2.0 counts as 2."""

    def parse(value: Cell) -> int | None:
        if is_blank(value):
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise CellError(f"not a whole number: {shown(value)}")
        if isinstance(value, float):
            if not value.is_integer():
                raise CellError(f"not a whole number: {shown(value)}")
            number = int(value)
        elif isinstance(value, str):
            if not _WHOLE.fullmatch(value.strip()):
                raise CellError(f"not a whole number: {shown(value)}")
            number = int(float(value.strip()))
        else:
            number = value
        if number < minimum:
            raise CellError(f"must be {minimum} or more: {shown(value)}")
        if number > MAX_WHOLE_NUMBER:
            raise CellError(f"must be {MAX_WHOLE_NUMBER} or less: {shown(value)}")
        return number

    return parse


def yes_no(value: Cell) -> bool | None:
    """yes/no, true/false, y/n or 1/0 (any case); an XLSX boolean cell as it is."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    raw = str(int(value) if isinstance(value, float) and value.is_integer() else value)
    lowered = raw.strip().lower()
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    raise CellError(f"not yes or no: {shown(value)}")


def time_zone(value: Cell) -> str | None:
    """An IANA time zone name known to zoneinfo."""
    raw = text(value)
    if raw is None:
        return None
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        # ValueError: keys such as "../etc" that zoneinfo refuses outright.
        raise CellError(
            f"unknown time zone {shown(raw)} (an IANA name such as America/Chicago)"
        ) from None
    return raw


def week_days(value: Cell) -> str | None:
    """Open days such as mon-sat, mon,tue,thu or sat-mon, as EVERY_DAY's Monday-first list."""
    raw = text(value)
    if raw is None:
        return None
    chosen: set[str] = set()
    for part in raw.lower().split(","):
        days = _day_range(part.strip())
        if days is None:
            raise CellError(f"not a list of days (e.g. mon-sat or mon,tue,thu): {shown(raw)}")
        chosen.update(days)
    return ",".join(d for d in WEEK if d in chosen)


def _day_range(part: str) -> list[str] | None:
    """The days of one item of a day list ("tue" or "sat-mon", wrapping past Sunday)."""
    ends = [end.strip() for end in part.split("-")]
    if len(ends) > 2 or any(end not in _DAY_NAMES for end in ends):
        return None
    first, last = (WEEK.index(_DAY_NAMES[end]) for end in (ends[0], ends[-1]))
    count = (last - first) % 7 + 1
    return [WEEK[(first + i) % 7] for i in range(count)]


def id_list(value: Cell) -> tuple[str, ...] | None:
    """Ids separated by ';' (drill participants), in order, without repeats."""
    raw = text(value)
    if raw is None:
        return None
    ids = [part.strip() for part in raw.split(";")]
    unique = tuple(dict.fromkeys(i for i in ids if i))
    return unique or None
