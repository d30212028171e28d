"""Alembic environment: runs on the connection handed in by readiness.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import readiness.models  # noqa: F401  (registers every table on Base.metadata)
from readiness.models.base import Base

config = context.config
target_metadata = Base.metadata


def run(connection: Connection) -> None:
    """Run the migrations on one connection (batch mode so SQLite can alter tables)."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `readiness init`, which supplies the connection")
run(connection)
