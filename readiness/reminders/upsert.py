"""INSERT statements that can say ON CONFLICT, for the dialect of the session at hand."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_for(session: Session, model: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT into the model's table with .on_conflict_do_nothing/.on_conflict_do_update."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(model)
    if dialect == "sqlite":
        return sqlite.insert(model)
    raise ValueError(f"no ON CONFLICT insert for the {dialect} dialect")
