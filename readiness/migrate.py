"""Create or upgrade the schema to the latest Alembic revision."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Rows SQLite samples per index when it gathers statistics: enough to rank the indexes,
# and seconds rather than minutes on a practice of hundreds of thousands of runs.
SQLITE_ANALYSIS_LIMIT = 1000


def alembic_config() -> Config:
    """An Alembic config pointing at the migrations inside the package."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to `revision`; running it twice does nothing the second time."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def refresh_statistics(engine: Engine) -> None:
    """Gather the planner's statistics (after init, the demo, an import that wrote rows).

    Without them SQLite guesses row counts and can walk a whole table for a query an index
    answers. Empty tables get no statistics, so running this on a new database is harmless.
    """
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
        conn.exec_driver_sql("ANALYZE")


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    """The newest revision shipped with this version of Readiness."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
