"""The planner's statistics are gathered after `readiness init`, the demo and an import that
wrote rows (not after a dry run), so queries are planned on what the tables hold."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import text

from readiness.audit import records
from readiness.config import load_settings
from readiness.db import Database
from readiness.demo import build_demo
from readiness.importing.run import import_dir
from readiness.models import Site
from readiness.services.setup import initialise

GOOD = Path(__file__).resolve().parents[1] / "data" / "import_good"


def _analysed(db: Database) -> set[str]:
    """Tables the planner has statistics of."""
    with db.engine.connect() as conn:
        if db.dialect == "sqlite":
            if not conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
            ).first():
                return set()
            return set(conn.exec_driver_sql("SELECT DISTINCT tbl FROM sqlite_stat1").scalars())
        # A table never analysed has reltuples -1 (PostgreSQL 14 and later).
        query = text(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples >= 0"
            " AND relnamespace = 'public'::regnamespace"
        )
        return set(conn.execute(query).scalars())


def test_init_gathers_statistics_of_tables_with_rows(db: Database) -> None:
    with db.write() as session:
        records.create(session, Site(code="AUS1", name="Austin", timezone="UTC"), actor="test")
    assert "sites" not in _analysed(db)
    initialise(db, load_settings({}), actor="test")
    assert "sites" in _analysed(db)


def test_the_demo_leaves_statistics(db: Database) -> None:
    build_demo(db, sites=1, days=10, seed=3, if_empty=False, as_of=date(2026, 3, 9))
    assert {"checklist_runs", "checklist_responses", "certifications"} <= _analysed(db)


def test_an_import_that_wrote_rows_refreshes_them_and_a_dry_run_does_not(db: Database) -> None:
    assert import_dir(db, GOOD, dry_run=True, actor="test").errors == []
    assert "staff" not in _analysed(db)
    assert import_dir(db, GOOD, dry_run=False, actor="test").written
    assert {"sites", "staff", "drills"} <= _analysed(db)
