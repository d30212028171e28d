"""The export's days out for `aed.records_match` are the days on which the engine, asked day
by day, finds the AED's latest label reading at odds with its record: from the day a wrong
reading is known until a later reading agrees; every day while no checklist reads a field."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from compliance_support import ACTOR, Practice

from readiness.compliance import compliance_items
from readiness.compliance.history.lapses import days_out
from readiness.db import Database
from readiness.export.build import Rules, context, snapshot
from readiness.export.context import ExportRequest
from readiness.rules.status import BLOCKING
from readiness.services.checklist_runs import submit_checklist

TZ = "America/Chicago"
START, END = date(2026, 1, 25), date(2026, 3, 9)
NOW = datetime(2026, 3, 9, 22, 0, tzinfo=UTC)
RECORD = {"pads_expire_on": date(2028, 1, 31), "battery_expires_on": date(2027, 11, 30)}
# Per site: (check day, battery label read) of its monthly inspections.
CHECKS = {
    "FIXED": [(date(2026, 2, 3), "2027-12-31"), (date(2026, 3, 3), "2027-11-30")],
    "BROKE": [(date(2026, 1, 27), "2027-11-30"), (date(2026, 2, 20), "2027-10-31")],
    "NEVER": [],
}
CODES = sorted(CHECKS)


def answers(battery: str) -> dict[str, Any]:
    passed = ("indicator_ready", "case_undamaged", "pads_sealed", "spare_pads", "rescue_kit")
    return {
        **dict.fromkeys((*passed, "cabinet_sign"), True),
        "pads_expiry": "2028-01-31",
        "battery_expiry": battery,
    }


@pytest.fixture(scope="module")
def db(practice_db: Database) -> Database:
    rules = Rules.load()
    with practice_db.write() as session:
        p = Practice(session)
        for code in CODES:
            site = p.site(code, TZ)
            p.staff(site, f"{code}-RN")
            p.asset(site, f"AED-{code}", "aed", **RECORD)
    for code, checks in CHECKS.items():
        for day, battery in checks:
            with practice_db.write() as session:
                submit_checklist(
                    session,
                    site_code=code,
                    template_id="aed-monthly",
                    staff_id=f"{code}-RN",
                    asset_id=f"AED-{code}",
                    answers=answers(battery),
                    slot_date=day,
                    actor=ACTOR,
                    # 17:00 UTC: late morning in Chicago whatever the season.
                    now_utc=datetime(day.year, day.month, day.day, 17, tzinfo=UTC),
                    templates=rules.templates,
                )
    return practice_db


def test_days_out_match_the_engine_day_by_day(db: Database) -> None:
    rules = Rules.load()
    request = ExportRequest(tuple(CODES), START, END, "test", NOW)
    blocking = {str(s) for s in BLOCKING}
    ask: dict[str, Any] = {"sites": CODES, "templates": rules.templates, "now_utc": NOW}
    with snapshot(db) as session:
        ctx = context(session, request, rules)
        items = compliance_items(session, rules.policy, as_of=dict.fromkeys(CODES, END), **ask)
        items = items[items["requirement"] == "aed.records_match"]
        fast = days_out(
            session,
            rules.policy,
            rules.templates,
            ctx.sites,
            items,
            start=START,
            end=END,
            now_utc=NOW,
        )
        slow: Counter[tuple[str, str]] = Counter()
        day = START
        while day <= END:
            judged = compliance_items(session, rules.policy, as_of=dict.fromkeys(CODES, day), **ask)
            failing = judged[
                judged["status"].isin(blocking) & (judged["requirement"] == "aed.records_match")
            ]
            slow.update(set(zip(failing["site"], failing["requirement"], strict=True)))
            day += timedelta(days=1)
    # FIXED: out from 3 February to 2 March; BROKE: from 20 February to the end; NEVER: never.
    assert slow == {
        ("FIXED", "aed.records_match"): 28,
        ("BROKE", "aed.records_match"): 18,
    }
    assert {k: v for k, v in fast.items() if v} == dict(slow)
