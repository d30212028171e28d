"""applicability and staff at several sites: sites.procedures, assets.laser_kind,
staff_assignments

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 23:30:00.000000

The new columns change what a site or asset row holds (a null more), and `readiness
verify` compares every row with its last audited state, so the migration appends one
update per site and asset row to the audit chain (in its own transaction, as actor
"migration 0005"). It vouches only for rows that still match their last audited state:
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

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTOR = "migration 0005"
REASON = "new columns (sites.procedures, assets.laser_kind) added empty by migration 0005"
GENESIS = "0" * 64
# (table, column added) whose rows the migration vouches for again.
ADDED = (("sites", "procedures"), ("assets", "laser_kind"))


def upgrade() -> None:
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.add_column(sa.Column("procedures", sa.String(length=300), nullable=True))
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("laser_kind", sa.String(length=32), nullable=True))
    op.create_table(
        "staff_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_pk", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_pk"], ["staff.id"], name=op.f("fk_staff_assignments_staff_pk_staff")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_staff_assignments_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_assignments")),
    )
    with op.batch_alter_table("staff_assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staff_assignments_staff_pk"), ["staff_pk"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_staff_assignments_site_id"), ["site_id"], unique=False)
    _revouch(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("staff_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_assignments_site_id"))
        batch_op.drop_index(batch_op.f("ix_staff_assignments_staff_pk"))
    op.drop_table("staff_assignments")
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.drop_column("laser_kind")
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.drop_column("procedures")


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
    """One update event per row that matched its last audited state before the new column."""
    meta = sa.MetaData()
    specs = []
    for name, added in ADDED:
        table = sa.Table(name, meta, autoload_with=conn)
        last = _last_states(conn, name)
        for row in conn.execute(sa.select(table).order_by(table.c.id)).mappings():
            after = {c.key: row[c.key] for c in table.columns}
            before = {k: v for k, v in after.items() if k != added}
            if last.get(str(row["id"])) != _canonical(before):
                continue
            specs.append(
                {
                    "actor": ACTOR,
                    "action": "update",
                    "entity": name,
                    "entity_id": str(row["id"]),
                    "before": _canonical(before),
                    "after": _canonical(after),
                    "reason": REASON,
                }
            )
    _append(conn, specs)


def _last_states(conn: sa.Connection, entity: str) -> dict[str, str]:
    """Each row's last audited state (canonical JSON) by entity id."""
    query = (
        sa.select(EVENTS.c.entity_id, EVENTS.c.after)
        .where(EVENTS.c.entity == entity)
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
