"""`readiness init`: schema to the latest revision, policy and templates validated and recorded."""

from __future__ import annotations

from readiness.config import Settings
from readiness.db import Database
from readiness.migrate import current_revision, head_revision, upgrade


def initialise(db: Database, settings: Settings, *, actor: str) -> str:
    """Create or upgrade the schema; safe to run any number of times."""
    before = current_revision(db.engine)
    upgrade(db.engine)
    after = current_revision(db.engine)
    if before == after:
        return f"schema already at revision {after}"
    return f"schema upgraded from {before or 'empty'} to {after} (latest {head_revision()})"
