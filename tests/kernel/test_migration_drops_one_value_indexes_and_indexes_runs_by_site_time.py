"""Migration 0006 drops the record_state indexes (nearly every row is current, so they select
nothing) and adds the index of a site's runs by submission time; its downgrade restores 0005."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, inspect

from readiness.db import Database
from readiness.migrate import alembic_config, current_revision, upgrade

EVIDENCE = (
    "certifications",
    "checklist_runs",
    "drills",
    "incidents",
    "service_events",
    "site_documents",
    "stock_movements",
)


def _indexes(db: Database) -> dict[str, set[str]]:
    """Index names by table."""
    found = inspect(db.engine)
    return {table: {str(ix["name"]) for ix in found.get_indexes(table)} for table in EVIDENCE}


def _downgrade(engine: Engine, revision: str) -> None:
    """Alembic's downgrade, on the engine as `upgrade` runs it."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def test_it_upgrades_and_downgrades_on_both_engines(db_url: str) -> None:
    db = Database(db_url)
    upgrade(db.engine, "0005")
    before = _indexes(db)
    assert all(f"ix_{table}_record_state" in before[table] for table in EVIDENCE)
    assert "ix_checklist_runs_site_submitted" not in before["checklist_runs"]

    upgrade(db.engine, "0006")
    after = _indexes(db)
    assert current_revision(db.engine) == "0006"
    assert not any(f"ix_{table}_record_state" in after[table] for table in EVIDENCE)
    assert "ix_checklist_runs_site_submitted" in after["checklist_runs"]
    # The indexes that do select stay.
    assert {"uq_checklist_runs_current_slot", "ix_checklist_runs_site_template_slot"} <= after[
        "checklist_runs"
    ]

    _downgrade(db.engine, "0005")
    assert current_revision(db.engine) == "0005"
    assert _indexes(db) == before
    db.dispose()
