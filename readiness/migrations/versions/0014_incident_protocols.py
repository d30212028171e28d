"""incidents name the protocol version followed

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 04:30:00.000000

Three nullable columns on incidents: the protocol followed (or "none"), its version and
the reason when none or another was followed. Incidents logged before stay NULL, which
the dashboard and the export show as "not recorded".

The new columns change what an incident row holds (three nulls more), and `readiness
verify` compares every row with its last audited state, so the migration appends one
update per incident row to the audit chain (in its own transaction, as actor "migration
0014"), as 0005 did. It vouches only for rows that still match their last audited state:
a row changed behind the application's back stays reported by verify.
"""

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from alembic import op

import readiness.models.base

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "incidents"
ADDED = ("protocol", "protocol_version", "protocol_reason")
ACTOR = "migration 0014"
REASON = "new columns (incidents.protocol, protocol_version, protocol_reason) added empty"
GENESIS = "0" * 64
# Instants of an incident row (text on SQLite): read as the application writes them.
INSTANTS = ("occurred_at", "recorded_at")


def upgrade() -> None:
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.add_column(sa.Column("protocol", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("protocol_version", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("protocol_reason", sa.String(length=300), nullable=True))
    _revouch(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        for column in reversed(ADDED):
            batch_op.drop_column(column)


# --- the audit chain, as of this revision ---------------------------------------------

EVENTS = sa.table(
    "audit_events",
    sa.column("seq", sa.Integer()),
    sa.column("at", readiness.models.base.UTCDateTime()),
    sa.column("actor", sa.String()),
    sa.column("action", sa.String()),
    sa.column("entity", sa.String()),
    sa.column("entity_id", sa.String()),
    sa.column("before", sa.Text()),
    sa.column("after", sa.Text()),
    sa.column("reason", sa.Text()),
    sa.column("prev_hash", sa.String()),
    sa.column("hash", sa.String()),
)


def _revouch(conn: sa.Connection) -> None:
    """One update event per incident that matched its last audited state before the columns."""
    instant = readiness.models.base.UTCDateTime(timezone=True)
    table = sa.Table(
        TABLE,
        sa.MetaData(),
        *(sa.Column(name, instant) for name in INSTANTS),
        autoload_with=conn,
    )
    last = _last_states(conn)
    specs = []
    for row in conn.execute(sa.select(table).order_by(table.c.id)).mappings():
        after = {c.key: row[c.key] for c in table.columns}
        before = {k: v for k, v in after.items() if k not in ADDED}
        if last.get(str(row["id"])) != _canonical(before):
            continue
        specs.append(
            {
                "actor": ACTOR,
                "action": "update",
                "entity": TABLE,
                "entity_id": str(row["id"]),
                "before": _canonical(before),
                "after": _canonical(after),
                "reason": REASON,
            }
        )
    _append(conn, specs)


def _last_states(conn: sa.Connection) -> dict[str, str]:
    """Each incident's last audited state (canonical JSON) by entity id."""
    query = (
        sa.select(EVENTS.c.entity_id, EVENTS.c.after)
        .where(EVENTS.c.entity == TABLE)
        .order_by(EVENTS.c.seq)
    )
    return {entity_id: after for entity_id, after in conn.execute(query)}


def _append(conn: sa.Connection, specs: list[dict[str, Any]]) -> None:
    """Append the events to the chain, each hashed over the previous one."""
    head = conn.execute(
        sa.select(EVENTS.c.seq, EVENTS.c.hash).order_by(EVENTS.c.seq.desc()).limit(1)
    ).first()
    seq, prev = (head.seq, head.hash) if head else (0, GENESIS)
    at = datetime.now(UTC)
    rows = []
    for spec in specs:
        seq += 1
        row = {"seq": seq, "at": at, **spec, "prev_hash": prev}
        keys = ("seq", "at", "actor", "action", "entity", "entity_id", "before", "after")
        fields = {k: row[k] for k in (*keys, "reason")}
        row["hash"] = hashlib.sha256((prev + "\n" + _canonical(fields)).encode()).hexdigest()
        prev = row["hash"]
        rows.append(row)
    if rows:
        conn.execute(EVENTS.insert(), rows)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot put {type(value).__name__} in an audit snapshot")


def _canonical(value: Any) -> str:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_encode
    )
