"""Declarative base, the UTC instant type and the evidence-record columns."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, Dialect, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware instant stored in UTC on every engine.

    SQLite's DateTime drops the offset, so there the value is kept as fixed-width
    ISO 8601 text in UTC (which also sorts correctly); PostgreSQL uses timestamptz.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(32))
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: instants must be timezone-aware")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Base of every table; constraint names are stable for migrations."""

    metadata = MetaData(naming_convention=NAMING)
    # Relationship names whose rows belong to this record in its audit snapshot.
    __audit_children__: ClassVar[tuple[str, ...]] = ()
    # Secret columns that appear in audit snapshots only as a SHA-256 digest.
    __audit_redact__: ClassVar[frozenset[str]] = frozenset()
    # False for operational tables (outbox, heartbeats) that are not audited.
    __audited__: ClassVar[bool] = True
    # True for evidence: never updated in content, only superseded or voided.
    __evidence__: ClassVar[bool] = False


RECORD_STATES = ("current", "superseded", "voided")


class EvidenceMixin:
    """Columns of an evidence record: who recorded it and its lifecycle state."""

    __evidence__: ClassVar[bool] = True

    # Not indexed: nearly every row is current, so an index on it selects nothing and, on a
    # database without statistics, lures the planner away from the indexes that do.
    record_state: Mapped[str] = mapped_column(String(12), default="current")
    supersedes_id: Mapped[int | None] = mapped_column(default=None)
    void_reason: Mapped[str | None] = mapped_column(String(500), default=None)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str] = mapped_column(String(120))


def utc(value: datetime) -> datetime:
    """Normalise an aware datetime to UTC (refusing naive ones)."""
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}")
    return value.astimezone(UTC)
