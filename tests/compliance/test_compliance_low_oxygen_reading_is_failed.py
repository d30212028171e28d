"""End to end: an oxygen reading below the policy minimum on the opening check fails the
item, and its corrective action keeps `oxygen.daily_pressure` failed until it is closed;
a reading of exactly the minimum passes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from checklist_world import BEFORE_TEN, OPENING_OK, SITE, build_site, submit

from readiness.compliance import compliance_items
from readiness.db import Database
from readiness.policy.pack import load_policy
from readiness.services.corrective_actions import close_corrective_action


def oxygen_item(db: Database, at: datetime = BEFORE_TEN) -> tuple[str, str]:
    with db.read() as session:
        items = compliance_items(session, load_policy(), sites=[SITE], now_utc=at)
    row = items[items["requirement"] == "oxygen.daily_pressure"].iloc[0]
    return str(row["status"]), str(row["detail"])


@pytest.mark.parametrize(("psi", "status"), [(999, "failed"), (1000, "ok")])
def test_a_reading_below_the_minimum_is_failed(db: Database, psi: int, status: str) -> None:
    with db.write() as session:
        build_site(session)
    submission = submit(db, answers=OPENING_OK | {"o2_psi": psi})
    assert submission.run.passed is (status == "ok")
    found, detail = oxygen_item(db)
    assert found == status
    if status == "failed":
        assert detail.startswith("Failed: Replace the cylinder with a full one")


def test_closing_the_action_gives_the_status_back(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    (action,) = submit(db, answers=OPENING_OK | {"o2_psi": 600}).actions
    later = BEFORE_TEN + timedelta(hours=1)
    with db.write() as session:
        close_corrective_action(
            session, action.id, "Full cylinder fitted", "Ana Lopez", actor="test", now_utc=later
        )
    assert oxygen_item(db, later)[0] == "ok"
