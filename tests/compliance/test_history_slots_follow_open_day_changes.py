"""Over a stretch of history a site's slots follow the open days in force on each day:
the stretch is cut where the open days changed, a daily slot is owed only on a day open
then, and a weekly or monthly period cut by a change is owed once."""

from __future__ import annotations

from datetime import UTC, date, datetime

from readiness.compliance.history.period import SiteInfo, slot_dates_over
from readiness.rules.slots import EVERY_DAY

MON_TO_SAT = frozenset(range(6))
MON_TO_FRI = frozenset(range(5))
CHANGE = date(2025, 9, 1)  # a Monday


def _site(*changes: tuple[date, frozenset[int]]) -> SiteInfo:
    instant = datetime(2025, 1, 1, tzinfo=UTC)
    return SiteInfo(
        1, "HIS1", "His", "America/Chicago", MON_TO_SAT, None, instant, instant, changes
    )


def test_days_take_the_latest_change_on_or_before_them() -> None:
    site = _site((date.min, EVERY_DAY), (CHANGE, MON_TO_SAT))
    assert site.open_days_on(date(2025, 8, 31)) == EVERY_DAY
    assert site.open_days_on(CHANGE) == MON_TO_SAT
    assert _site().open_days_on(CHANGE) == MON_TO_SAT  # no history: the site's own days


def test_a_day_before_the_first_change_takes_the_first() -> None:
    site = _site((CHANGE, MON_TO_FRI))
    assert site.open_days_on(date(2025, 1, 5)) == MON_TO_FRI


def test_the_stretch_is_cut_where_the_days_changed() -> None:
    site = _site((date.min, EVERY_DAY), (CHANGE, MON_TO_SAT))
    spans = site.open_day_spans(date(2025, 8, 25), date(2025, 9, 7))
    assert spans == [
        (date(2025, 8, 25), date(2025, 8, 31), EVERY_DAY),
        (CHANGE, date(2025, 9, 7), MON_TO_SAT),
    ]
    daily = [day for day, _ in slot_dates_over("daily", spans)]
    assert date(2025, 8, 31) in daily and date(2025, 9, 7) not in daily
    assert len(daily) == 13


def test_a_month_cut_by_a_change_is_owed_once() -> None:
    site = _site((date.min, MON_TO_FRI), (date(2025, 9, 15), EVERY_DAY))
    spans = site.open_day_spans(date(2025, 9, 1), date(2025, 10, 31))
    monthly = slot_dates_over("monthly", spans)
    assert monthly == [(date(2025, 9, 1), MON_TO_FRI), (date(2025, 10, 1), EVERY_DAY)]
