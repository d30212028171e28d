"""Daily, weekly and monthly slots honour open days, month ends, year ends and leap days."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.rules.slots import (
    Frequency,
    expected_slots,
    parse_open_days,
    period_starts,
    slot_dates,
    slot_due_date,
    slot_for,
    slot_period,
)


def d(text: str) -> date:
    """A date from YYYY-MM-DD."""
    return date.fromisoformat(text)


def ds(texts: str) -> list[date]:
    """Dates from space-separated YYYY-MM-DD texts."""
    return [d(text) for text in texts.split()]


@pytest.mark.parametrize(
    ("frequency", "start", "end", "open_days", "expected"),
    [
        # Sunday 8 March is closed at a mon-sat site.
        ("daily", "2026-03-05", "2026-03-10", "mon-sat",
         "2026-03-05 2026-03-06 2026-03-07 2026-03-09 2026-03-10"),
        ("daily", "2026-03-09", "2026-03-15", "mon,tue,thu", "2026-03-09 2026-03-10 2026-03-12"),
        ("daily", "2026-03-07", "2026-03-08", "mon-fri", ""),
        ("daily", "2028-02-27", "2028-03-01", "", "2028-02-27 2028-02-28 2028-02-29 2028-03-01"),
        ("daily", "2026-02-27", "2026-03-01", "", "2026-02-27 2026-02-28 2026-03-01"),
        ("daily", "2026-03-10", "2026-03-09", "", ""),
        # Weekly: the ISO week of Sunday 1 March began on 23 February, before the range.
        ("weekly", "2026-03-01", "2026-03-31", "",
         "2026-03-02 2026-03-09 2026-03-16 2026-03-23 2026-03-30"),
        ("weekly", "2026-03-01", "2026-03-31", "thu,fri",
         "2026-03-05 2026-03-12 2026-03-19 2026-03-26"),
        ("weekly", "2026-03-04", "2026-03-16", "mon-sat", "2026-03-09 2026-03-16"),
        ("weekly", "2026-03-04", "2026-03-16", "wed", "2026-03-04 2026-03-11"),
        ("weekly", "2026-12-25", "2027-01-08", "fri", "2026-12-25 2027-01-01 2027-01-08"),
        ("weekly", "2028-02-28", "2028-03-05", "tue", "2028-02-29"),
        # Monthly: the first open day of each month.
        ("monthly", "2026-01-01", "2026-12-31", "mon-fri",
         "2026-01-01 2026-02-02 2026-03-02 2026-04-01 2026-05-01 2026-06-01 "
         "2026-07-01 2026-08-03 2026-09-01 2026-10-01 2026-11-02 2026-12-01"),
        ("monthly", "2026-01-15", "2026-03-01", "", "2026-02-01 2026-03-01"),
        ("monthly", "2028-02-01", "2028-02-29", "tue", "2028-02-01"),
        ("monthly", "2026-12-01", "2027-01-31", "sat", "2026-12-05 2027-01-02"),
        ("per_use", "2026-01-01", "2026-12-31", "", ""),
    ],
)  # fmt: skip
def test_slot_dates(
    frequency: Frequency, start: str, end: str, open_days: str, expected: str
) -> None:
    assert slot_dates(frequency, d(start), d(end), parse_open_days(open_days)) == ds(expected)


@pytest.mark.parametrize(
    ("frequency", "day", "first", "last"),
    [
        ("daily", "2028-02-29", "2028-02-29", "2028-02-29"),
        ("weekly", "2028-02-29", "2028-02-28", "2028-03-05"),
        ("weekly", "2027-01-01", "2026-12-28", "2027-01-03"),
        ("monthly", "2028-02-10", "2028-02-01", "2028-02-29"),
        ("monthly", "2026-02-10", "2026-02-01", "2026-02-28"),
        ("monthly", "2026-04-30", "2026-04-01", "2026-04-30"),
        ("monthly", "2026-12-31", "2026-12-01", "2026-12-31"),
    ],
)
def test_slot_period(frequency: Frequency, day: str, first: str, last: str) -> None:
    assert slot_period(frequency, d(day)) == (d(first), d(last))


@pytest.mark.parametrize(
    ("frequency", "slot", "open_days", "due"),
    [
        ("daily", "2026-03-09", "mon-sat", "2026-03-09"),
        ("weekly", "2026-03-09", "mon-fri", "2026-03-13"),
        ("weekly", "2026-03-09", "", "2026-03-15"),
        ("monthly", "2026-05-01", "mon-sat", "2026-05-30"),
        ("monthly", "2026-05-01", "", "2026-05-31"),
        ("monthly", "2028-02-01", "tue", "2028-02-29"),
        ("monthly", "2027-02-01", "tue", "2027-02-23"),
    ],
)
def test_a_slot_is_due_on_the_last_open_day_of_its_period(
    frequency: Frequency, slot: str, open_days: str, due: str
) -> None:
    assert slot_due_date(frequency, d(slot), parse_open_days(open_days)) == d(due)


@pytest.mark.parametrize(
    ("frequency", "day", "open_days", "slot"),
    [
        ("daily", "2026-03-09", "mon-sat", "2026-03-09"),
        ("daily", "2026-03-08", "mon-sat", None),
        ("weekly", "2026-03-12", "mon-sat", "2026-03-09"),
        ("weekly", "2026-03-15", "mon-sat", "2026-03-09"),
        ("monthly", "2026-03-31", "mon-fri", "2026-03-02"),
        ("monthly", "2026-03-01", "mon-fri", "2026-03-02"),
        ("per_use", "2026-03-09", "", None),
    ],
)
def test_slot_for_finds_the_slot_covering_a_day(
    frequency: Frequency, day: str, open_days: str, slot: str | None
) -> None:
    expected = None if slot is None else d(slot)
    assert slot_for(frequency, d(day), parse_open_days(open_days)) == expected


@pytest.mark.parametrize("frequency", ["hourly", "Daily", ""])
def test_an_unknown_frequency_is_named(frequency: str) -> None:
    with pytest.raises(ValueError, match=f"unknown frequency {frequency!r}"):
        slot_dates(frequency, d("2026-01-01"), d("2026-01-31"), parse_open_days(""))  # type: ignore[arg-type]


def test_per_use_has_no_period() -> None:
    with pytest.raises(ValueError, match="per_use checklists have no slots"):
        slot_period("per_use", d("2026-01-01"))


SITES = pd.DataFrame(
    {
        "site_id": ["AUS1", "PHX1", "CHI1", "NYC1"],
        "timezone": ["America/Chicago", "America/Phoenix", "America/Chicago", "America/New_York"],
        "open_days": ["mon-sat", None, "mon,wed", float("nan")],
    }
)


def test_expected_slots_lists_each_site_in_order() -> None:
    slots = expected_slots(SITES, "daily", d("2026-03-06"), d("2026-03-09"))
    assert list(slots.columns) == ["site_id", "timezone", "slot_date", "due_date"]
    assert str(slots["slot_date"].dtype) == "datetime64[s]"
    rows = [
        (site, day.date().isoformat())
        for site, day in zip(slots["site_id"], slots["slot_date"], strict=True)
    ]
    assert rows == [
        ("AUS1", "2026-03-06"), ("AUS1", "2026-03-07"), ("AUS1", "2026-03-09"),
        ("PHX1", "2026-03-06"), ("PHX1", "2026-03-07"), ("PHX1", "2026-03-08"),
        ("PHX1", "2026-03-09"),
        ("CHI1", "2026-03-09"),
        ("NYC1", "2026-03-06"), ("NYC1", "2026-03-07"), ("NYC1", "2026-03-08"),
        ("NYC1", "2026-03-09"),
    ]  # fmt: skip


@pytest.mark.parametrize("frequency", ["daily", "weekly", "monthly", "per_use"])
def test_expected_slots_handles_no_sites_and_no_days(frequency: Frequency) -> None:
    assert expected_slots(SITES.iloc[0:0], frequency, d("2026-01-01"), d("2026-12-31")).empty
    assert expected_slots(SITES, frequency, d("2026-03-10"), d("2026-03-09")).empty


def test_expected_slots_refuses_bad_open_days() -> None:
    bad = SITES.assign(open_days=pd.Series(["mon-sat", "weekdays", None, None], dtype=object))
    with pytest.raises(ValueError, match="open_days 'weekdays'"):
        expected_slots(bad, "daily", d("2026-03-01"), d("2026-03-31"))


DAY_SETS = st.frozensets(st.integers(min_value=0, max_value=6), min_size=1)
DATES = st.dates(min_value=date(2025, 12, 1), max_value=date(2029, 3, 31))
FREQUENCY = st.sampled_from(["daily", "weekly", "monthly"])


@settings(max_examples=150, deadline=None)
@given(
    frequency=FREQUENCY,
    start=DATES,
    length=st.integers(min_value=0, max_value=120),
    patterns=st.lists(DAY_SETS, min_size=1, max_size=4),
)
def test_the_vectorised_slots_equal_the_scalar_rule(
    frequency: Frequency, start: date, length: int, patterns: list[frozenset[int]]
) -> None:
    end = start + timedelta(days=length)
    sites = pd.DataFrame({"site_id": range(len(patterns)), "open_days": patterns})
    slots = expected_slots(sites, frequency, start, end)
    for site_id, open_days in enumerate(patterns):
        mine = slots[slots["site_id"] == site_id]
        expected = slot_dates(frequency, start, end, open_days)
        assert [t.date() for t in mine["slot_date"]] == expected
        due = [slot_due_date(frequency, slot, open_days) for slot in expected]
        assert [t.date() for t in mine["due_date"]] == due


@settings(max_examples=100, deadline=None)
@given(frequency=FREQUENCY, days=st.lists(DATES, min_size=1, max_size=20))
def test_period_starts_match_slot_period(frequency: Frequency, days: list[date]) -> None:
    starts = period_starts(frequency, pd.Series(pd.to_datetime(days)))
    assert [t.date() for t in starts] == [slot_period(frequency, day)[0] for day in days]


@settings(max_examples=100, deadline=None)
@given(frequency=FREQUENCY, open_days=DAY_SETS, day=DATES)
def test_every_slot_lies_in_its_own_period_on_an_open_day(
    frequency: Frequency, open_days: frozenset[int], day: date
) -> None:
    slot = slot_for(frequency, day, open_days)
    first, last = slot_period(frequency, day)
    if slot is None:
        assert frequency == "daily" and day.weekday() not in open_days
        return
    assert first <= slot <= last and slot.weekday() in open_days
    assert slot <= slot_due_date(frequency, slot, open_days) <= last
