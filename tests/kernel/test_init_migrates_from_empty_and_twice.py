"""`readiness init` creates the schema on an empty database and is safe to run twice."""

from __future__ import annotations

from sqlalchemy import inspect

from readiness.config import load_settings
from readiness.db import Database
from readiness.migrate import current_revision, head_revision
from readiness.models import Base
from readiness.services.setup import initialise


def test_it_creates_every_table_then_does_nothing(db_url: str) -> None:
    db = Database(db_url)
    settings = load_settings({})
    first = initialise(db, settings, actor="test")
    second = initialise(db, settings, actor="test")
    assert "upgraded from empty" in first
    assert second.startswith("schema already at revision")
    assert current_revision(db.engine) == head_revision()
    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    db.dispose()


def test_models_match_the_latest_migration(db_url: str) -> None:
    """Autogenerate finds nothing to add: the models and migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    db = Database(db_url)
    initialise(db, load_settings({}), actor="test")
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    db.dispose()
