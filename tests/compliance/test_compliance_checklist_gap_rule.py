"""A monthly check with `max_gap_days: 30` (fire extinguishers, AEDs: NFPA 10 "at a
minimum of 30-day intervals") is due at most 30 site-local days after the last one: day
30 is the due day (due_soon), day 31 is overdue, whatever the calendar-month slot says.
The item takes the stricter of the slot and the gap rule, and the earlier due date.
Eyewear has no gap rule: one check per calendar month is enough."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import pytest
from compliance_support import Practice, items_of, local, row_of

from readiness.db import Database

TZ = "America/Chicago"
# (asset id, kind, template, days its checks were done)
CHECKED = [
    ("X-OCT", "fire_extinguisher", "extinguisher-monthly", [date(2025, 10, 1), date(2025, 11, 30)]),
    ("X-NOV20", "fire_extinguisher", "extinguisher-monthly", [date(2025, 11, 20)]),
    ("X-LEAP", "fire_extinguisher", "extinguisher-monthly", [date(2024, 2, 1)]),
    ("X-NOLEAP", "fire_extinguisher", "extinguisher-monthly", [date(2025, 2, 1)]),
    ("X-JAN31", "fire_extinguisher", "extinguisher-monthly", [date(2025, 1, 31)]),
    ("AED-OCT", "aed", "aed-monthly", [date(2025, 10, 1)]),
    ("EYE-OCT", "eyewear", "eyewear-monthly", [date(2025, 10, 1)]),
]
REQUIREMENT = {
    "fire_extinguisher": "extinguisher.monthly",
    "aed": "aed.monthly_inspection",
    "eyewear": "eyewear.inspection",
}


@pytest.fixture(scope="module")
def judged(practice_db: Database) -> Callable[[str, date], dict[str, object]]:
    with practice_db.write() as session:
        p = Practice(session)
        site = p.site("GAP", TZ)
        for asset_id, kind, template, days in CHECKED:
            asset = p.asset(site, asset_id, kind)
            for day in days:
                # Filed under the month's slot (its first day: the site opens every day).
                p.run(site, template, day.replace(day=1), local(day, "11:00", TZ), asset=asset)
    cache: dict[date, pd.DataFrame] = {}

    def row(asset_id: str, as_of: date) -> dict[str, object]:
        if as_of not in cache:
            cache[as_of] = items_of(practice_db, as_of=as_of)
        kind = next(k for a, k, _t, _d in CHECKED if a == asset_id)
        return row_of(cache[as_of], REQUIREMENT[kind], asset_id)

    return row


@pytest.mark.parametrize(
    ("asset_id", "as_of", "status", "due_on"),
    [
        # Checked 1 October: day 29, day 30 (the due day), day 31 (1 November).
        ("X-OCT", date(2025, 10, 15), "ok", date(2025, 10, 31)),
        ("X-OCT", date(2025, 10, 30), "ok", date(2025, 10, 31)),
        ("X-OCT", date(2025, 10, 31), "due_soon", date(2025, 10, 31)),
        ("X-OCT", date(2025, 11, 1), "overdue", date(2025, 10, 31)),
        # November's slot is not due before the 30th, but 45 days have passed.
        ("X-OCT", date(2025, 11, 15), "overdue", date(2025, 10, 31)),
        # Checked again on 30 November: in order, due 30 days on.
        ("X-OCT", date(2025, 11, 30), "ok", date(2025, 12, 30)),
        ("X-OCT", date(2025, 12, 1), "ok", date(2025, 12, 30)),
        # Across a month end, with December's slot still open until the 31st.
        ("X-NOV20", date(2025, 12, 19), "ok", date(2025, 12, 20)),
        ("X-NOV20", date(2025, 12, 20), "due_soon", date(2025, 12, 20)),
        ("X-NOV20", date(2025, 12, 21), "overdue", date(2025, 12, 20)),
        # 2024 is a leap year: 1 February + 30 days is 2 March.
        ("X-LEAP", date(2024, 3, 1), "ok", date(2024, 3, 2)),
        ("X-LEAP", date(2024, 3, 2), "due_soon", date(2024, 3, 2)),
        ("X-LEAP", date(2024, 3, 3), "overdue", date(2024, 3, 2)),
        # ... and in 2025 it is 3 March.
        ("X-NOLEAP", date(2025, 3, 2), "ok", date(2025, 3, 3)),
        ("X-NOLEAP", date(2025, 3, 3), "due_soon", date(2025, 3, 3)),
        ("X-NOLEAP", date(2025, 3, 4), "overdue", date(2025, 3, 3)),
        # Checked 31 January: February's slot (due the 28th) is the stricter rule; a past
        # day is judged at its close, when the slot due that day has ended.
        ("X-JAN31", date(2025, 2, 27), "ok", date(2025, 2, 28)),
        ("X-JAN31", date(2025, 2, 28), "overdue", date(2025, 2, 28)),
        ("X-JAN31", date(2025, 3, 1), "overdue", date(2025, 2, 28)),
        # The AED's monthly inspection has the same 30-day limit.
        ("AED-OCT", date(2025, 10, 31), "due_soon", date(2025, 10, 31)),
        ("AED-OCT", date(2025, 11, 1), "overdue", date(2025, 10, 31)),
        # Eyewear: a calendar month, nothing more.
        ("EYE-OCT", date(2025, 11, 15), "ok", date(2025, 11, 30)),
        ("EYE-OCT", date(2025, 12, 1), "overdue", date(2025, 11, 30)),
    ],
)
def test_the_stricter_rule_decides(
    judged: Callable[[str, date], dict[str, object]],
    asset_id: str,
    as_of: date,
    status: str,
    due_on: date,
) -> None:
    row = judged(asset_id, as_of)
    assert (row["status"], row["due_on"]) == (status, due_on)


def test_the_detail_names_the_gap(judged: Callable[[str, date], dict[str, object]]) -> None:
    assert judged("X-OCT", date(2025, 11, 15))["detail"] == (
        "Not done within 30 days of the last check (2025-10-01); due by 2025-10-31"
    )
    assert judged("X-OCT", date(2025, 10, 31))["detail"] == (
        "Due today: at most 30 days after the last check (2025-10-01)"
    )
    assert judged("X-OCT", date(2025, 10, 15))["detail"] == ("Done 2025-10-01; next due 2025-10-31")
    assert judged("X-OCT", date(2025, 11, 15))["last_done_on"] == date(2025, 10, 1)
