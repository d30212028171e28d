"""Staff without a drill: the cycle is the policy's longest drill interval (12 months), and a
drill counts on the site's own day. A drill at 19:30 in Chicago on 5 March 2025 is 01:30 UTC on
the 6th: on 5 March 2026 that person's cycle has run out (listed), on 4 March it has not."""

from __future__ import annotations

from datetime import UTC, date, datetime

from checklist_world import build_site

from readiness.access import Principal
from readiness.db import Database
from readiness.policy.current import current_policy
from readiness.services.drills import log_drill
from readiness.views.drills import drill_cycle, staff_without_drills

POLICY = current_policy()
OFFICER = Principal("olga", "officer")


def absent_on(db: Database, today: date) -> list[tuple[str, object]]:
    with db.read() as session:
        frame = staff_without_drills(session, {"AUS1": today}, POLICY)
    return list(zip(frame["staff_id"], frame["last_drill"], strict=True))


def test_the_cycle_ends_on_the_site_local_anniversary(db: Database) -> None:
    assert drill_cycle(POLICY) is not None and drill_cycle(POLICY).label == "12 months"
    with db.write() as session:
        build_site(session)
        log_drill(
            session, OFFICER, site_code="AUS1", scenario="fire",
            held_at=datetime(2025, 3, 5, 19, 30), participants=["S-1", "S-2"], outcome="pass",
            now_utc=datetime(2025, 3, 6, 2, 0, tzinfo=UTC), policy=POLICY,
        )  # fmt: skip
    assert absent_on(db, date(2026, 3, 4)) == [("S-3", "never")]
    assert absent_on(db, date(2026, 3, 5)) == [
        ("S-1", date(2025, 3, 5)),
        ("S-2", date(2025, 3, 5)),
        ("S-3", "never"),
    ]
