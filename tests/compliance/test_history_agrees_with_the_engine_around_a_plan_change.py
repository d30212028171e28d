"""Around a change of the emergency plan, the history's verdict for each member of staff on
each day is the compliance engine's for that day (`compliance_items(as_of=day)`): the
version in force that day, acknowledged on or before it. Also when a role change is
undone the next day: the version acknowledged before is back in force, and counts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from plan_change_practice import (
    CHANGED_ON,
    OUT_DAYS,
    build_practice,
    days,
    engine_out,
    history_out,
)

from readiness.db import Database
from readiness.importing.run import import_file

# A few days either side of the first signing and of the change on 2 March.
AROUND = ((date(2026, 2, 18), date(2026, 2, 21)), (date(2026, 2, 27), date(2026, 3, 6)))
ROLE_CHANGED, ROLE_BACK = date(2026, 3, 6), date(2026, 3, 7)


def test_history_and_engine_give_the_same_days(db: Database, tmp_path: Path) -> None:
    build_practice(db, tmp_path)
    for first, last in AROUND:
        engine = engine_out(db, first, last)
        assert history_out(db, first, last) == engine
        # And both say what was worked out by hand.
        assert engine == {key: out & days(first, last) for key, out in OUT_DAYS.items()}


def test_a_role_change_undone_the_next_day(db: Database, tmp_path: Path) -> None:
    build_practice(db, tmp_path)
    # At DAL1 Cara Diaz brings the AED on 6 March only; from 7 March Ben Cole again, so
    # the plan is the one D-1 to D-3 acknowledged from 3 to 5 March.
    for assignee, on in (("D-3", ROLE_CHANGED), ("D-2", ROLE_BACK)):
        change = tmp_path / f"aed-{on}.csv"
        change.write_text(
            "site_code,scenario,duty,assignee,effective_from,reason\n"
            f"DAL1,cardiac_arrest,aed,{assignee},{on},AED cover\n",
            encoding="utf-8",
        )
        report = import_file(db, "emergency_roles", change, dry_run=False, actor="test")
        assert report.errors == [] and report.counts["emergency_roles"].created == 1
    first, last = CHANGED_ON, date(2026, 3, 8)
    engine = engine_out(db, first, last)
    assert history_out(db, first, last) == engine
    assert engine[("DAL1", "D-1")] == {CHANGED_ON, ROLE_CHANGED}
    assert engine[("DAL1", "D-3")] == days(CHANGED_ON, date(2026, 3, 4)) | {ROLE_CHANGED}
    assert engine[("DAL1", "D-4")] == days(CHANGED_ON, last)
    assert engine[("DEN1", "E-1")] == engine[("DAL1", "D-5")] == set()
