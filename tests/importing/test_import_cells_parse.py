"""The cell parsers: open days, yes/no, whole numbers, dates and ids, as a table of cases."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from readiness.importing import cells
from readiness.importing.cells import CellError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("mon-sat", "mon,tue,wed,thu,fri,sat"),
        ("mon,tue,thu", "mon,tue,thu"),
        ("thu, Mon ,tue", "mon,tue,thu"),
        ("sat-mon", "mon,sat,sun"),
        ("fri-tue", "mon,tue,fri,sat,sun"),
        ("Monday-Friday", "mon,tue,wed,thu,fri"),
        ("mon-fri,sun", "mon,tue,wed,thu,fri,sun"),
        ("wed", "wed"),
        ("mon-sun", cells.EVERY_DAY),
        ("sun-sat", cells.EVERY_DAY),
        ("", None),
        (None, None),
    ],
)
def test_open_days_normalise_monday_first(raw: str | None, expected: str | None) -> None:
    assert cells.week_days(raw) == expected


@pytest.mark.parametrize("raw", ["funday", "mon-", "mon-tue-wed", "mon;tue", "1-5", "mo"])
def test_bad_open_days(raw: str) -> None:
    with pytest.raises(CellError, match=r"^not a list of days \(e.g. mon-sat or mon,tue,thu\): "):
        cells.week_days(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("yes", True),
        ("YES", True),
        ("y", True),
        ("true", True),
        ("1", True),
        (1, True),
        (1.0, True),
        (True, True),
        ("no", False),
        ("N", False),
        ("False", False),
        ("0", False),
        (0, False),
        (False, False),
        ("  ", None),
    ],
)
def test_yes_no(raw: Any, expected: bool | None) -> None:
    assert cells.yes_no(raw) is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2", 2), ("2.0", 2), (2.0, 2), (7, 7), (" 12 ", 12), ("+3", 3), ("0", 0), (None, None)],
)
def test_whole_numbers(raw: Any, expected: int | None) -> None:
    assert cells.whole_number(0)(raw) == expected


@pytest.mark.parametrize("raw", ["2.5", 2.5, "1e3", "two", True, date(2025, 1, 1), "nan"])
def test_not_whole_numbers(raw: Any) -> None:
    with pytest.raises(CellError, match=r"^not a whole number: "):
        cells.whole_number(0)(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-02-29", date(2024, 2, 29)),
        (date(2024, 3, 15), date(2024, 3, 15)),
        (datetime(2024, 3, 15), date(2024, 3, 15)),
        (" 2024-03-15 ", date(2024, 3, 15)),
    ],
)
def test_dates(raw: Any, expected: date) -> None:
    assert cells.day(raw) == expected


@pytest.mark.parametrize("raw", ["2023-02-29", "20240315", "15/03/2024", "2024-3-5", 45000, "x"])
def test_not_dates(raw: Any) -> None:
    with pytest.raises(CellError, match=r"^not a date \(YYYY-MM-DD\)"):
        cells.day(raw)


def test_participants_split_on_semicolons_without_repeats() -> None:
    assert cells.id_list(" S-1; S-2;;S-1 ;") == ("S-1", "S-2")
    assert cells.id_list(" ; ") is None


def test_numbers_in_text_columns_keep_their_digits() -> None:
    assert cells.text(12345.0) == "12345"
    assert cells.text(1.5) == "1.5"
    assert cells.text("  =1+2 ") == "=1+2"


def test_time_zone_names_are_checked_by_zoneinfo() -> None:
    assert cells.time_zone("America/Phoenix") == "America/Phoenix"
    for bad in ("America/Dalas", "../../etc/passwd", "CST6CDTX"):
        with pytest.raises(CellError, match=r"^unknown time zone "):
            cells.time_zone(bad)
