"""open_days text becomes weekday numbers (Monday = 0); bad text is refused with the reason."""

from __future__ import annotations

import pytest

from readiness.rules.slots import EVERY_DAY, parse_open_days


@pytest.mark.parametrize(
    ("text", "days"),
    [
        (None, EVERY_DAY),
        ("", EVERY_DAY),
        ("   ", EVERY_DAY),
        ("mon-sat", {0, 1, 2, 3, 4, 5}),
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("mon-sun", EVERY_DAY),
        ("mon,tue,thu", {0, 1, 3}),
        ("Mon, TUE ,thu", {0, 1, 3}),
        ("sun", {6}),
        ("tue-tue", {1}),
        ("fri-mon", {4, 5, 6, 0}),
        ("sat-sun", {5, 6}),
        ("mon-wed,fri", {0, 1, 2, 4}),
        ("monday-friday", {0, 1, 2, 3, 4}),
        ("mon,mon", {0}),
    ],
)
def test_it_reads_open_days(text: str | None, days: set[int]) -> None:
    assert parse_open_days(text) == frozenset(days)


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("mon-xyz", "'xyz'"),
        ("weekdays", "'weekdays'"),
        ("mon,,tue", "''"),
        ("mon;tue", "'mon;tue'"),
        ("1-5", "'1'"),
        ("mon-", "''"),
    ],
)
def test_bad_open_days_name_the_setting_and_the_day(text: str, bad: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_open_days(text)
    message = str(raised.value)
    assert message.startswith(f"open_days {text!r}: {bad} is not a day"), message
    assert "mon-sat" in message
