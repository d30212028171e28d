"""The queries that read checklist runs by slot, site and date walk an index, on a database
with no planner statistics (as the commands left one before they gathered them).

A plan-shape check, not a timing: on SQLite every step on checklist_runs is a SEARCH with the
index meant for the query, never a SCAN nor a SEARCH on another; on PostgreSQL, with
sequential scans priced out, the plan names that index and has no Seq Scan (a query that
index cannot answer still shows one).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from checklist_world import OPENING_OK, build_site, submit
from sqlalchemy import event

from readiness.checklist.lookup import active_sites
from readiness.compliance import compliance_items
from readiness.db import Database
from readiness.policy.pack import load_policy
from readiness.policy.templates import load_templates
from readiness.reminders.facts import load_late_slots

TUESDAY = date(2026, 3, 10)
TUESDAY_8AM = datetime(2026, 3, 10, 13, 0, tzinfo=UTC)
# 18:00 in Chicago on Tuesday: the day's slots are due and some are not done.
TUESDAY_EVENING = datetime(2026, 3, 10, 23, 0, tzinfo=UTC)


def _world(db: Database) -> None:
    """Two sites with a few days of runs, one of them reading the kit seal."""
    with db.write() as session:
        build_site(session)
        build_site(session, "DAL1")
    submit(db)
    submit(db, site_code="DAL1", staff_id="DAL1-S1")


@contextmanager
def _runs_read(db: Database) -> Iterator[list[tuple[str, Any]]]:
    """The SELECT statements on checklist_runs run inside the block, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def capture(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "checklist_runs" in statement:
            seen.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)


def _plan(db: Database, statement: str, params: Any) -> list[str]:
    """The plan lines of a statement."""
    with db.engine.connect() as conn:
        if db.dialect == "sqlite":
            return [
                row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
            ]
        conn.exec_driver_sql("SET enable_seqscan = off")
        return [row[0] for row in conn.exec_driver_sql(f"EXPLAIN {statement}", params)]


def _walks(db: Database, plan: list[str], index: str) -> bool:
    """True when checklist_runs is read only through `index`, never whole."""
    if db.dialect == "sqlite":
        steps = [line for line in plan if " checklist_runs" in line]
        return bool(steps) and all(
            line.startswith("SEARCH checklist_runs USING") and f"INDEX {index} (" in line
            for line in steps
        )
    return any(index in line for line in plan) and not any(
        "Seq Scan on checklist_runs" in line for line in plan
    )


def _assert_walks(db: Database, seen: list[tuple[str, Any]], index: str) -> None:
    assert seen, "no query read checklist_runs"
    for statement, params in seen:
        plan = _plan(db, statement, params)
        assert _walks(db, plan, index), f"{statement}\n" + "\n".join(plan)


def test_the_reminder_pass_looks_slots_up_by_key(db: Database) -> None:
    _world(db)
    with db.read() as session, _runs_read(db) as seen:
        sites = active_sites(session)
        late = load_late_slots(
            session, sites, load_templates(), TUESDAY_EVENING, timedelta(hours=1)
        )
    assert {slot.site for slot in late} == {"AUS1", "DAL1"}
    # One query for the slots of both sites, not one per site.
    assert len(seen) == 1
    _assert_walks(db, seen, "uq_checklist_runs_current_slot")


def test_the_last_seal_reading_walks_the_site_newest_first(db: Database) -> None:
    _world(db)
    with _runs_read(db) as seen:
        # Refused unless the last reading (A-1001) is found: the seal query ran.
        submission = submit(
            db, answers=OPENING_OK | {"kit_seal": "A-1001"}, slot_date=TUESDAY, now_utc=TUESDAY_8AM
        )
    assert submission.created
    seal_queries = [(s, p) for s, p in seen if "checklist_responses" in s]
    _assert_walks(db, seal_queries, "ix_checklist_runs_site_submitted")
    # Newest first straight off the index: no sort of the site's whole history.
    for statement, params in seal_queries:
        assert not any(
            "TEMP B-TREE" in line or "Sort" in line for line in _plan(db, statement, params)
        )


def test_the_engine_reads_the_window_of_runs_by_site_template_and_slot_date(
    db: Database,
) -> None:
    _world(db)
    with db.read() as session, _runs_read(db) as seen:
        compliance_items(session, load_policy(), templates=load_templates(), now_utc=TUESDAY_8AM)
    # The runs of the current slot periods: bounded by slot date on both sides.
    window = [(s, p) for s, p in seen if "slot_date >=" in s and "slot_date <=" in s]
    _assert_walks(db, window, "ix_checklist_runs_site_template_slot")
