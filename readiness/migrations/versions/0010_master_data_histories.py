"""master data histories: role changes, site open days, stock locations with effective dates

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 02:00:00.000000

Three history tables, each row what held from `effective_from` on (None: since before
the records). Existing rows get the history their current values give, from the best
date the database holds: a staff member's role and LSO flag from `hired_on`, a site's
open days since before the records, a lot's location from `received_on`.

No existing row changes; the new history rows are audited creates appended to the
chain (in the migration's transaction, as actor "migration 0010"), so `readiness
verify` replays them like every other record.
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

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTOR = "migration 0010"
REASON = "history begun from the current values by migration 0010"
GENESIS = "0" * 64


def upgrade() -> None:
    op.create_table(
        "staff_role_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_pk", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("is_lso", sa.Boolean(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_pk"], ["staff.id"], name=op.f("fk_staff_role_changes_staff_pk_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_role_changes")),
    )
    with op.batch_alter_table("staff_role_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staff_role_changes_staff_pk"), ["staff_pk"], unique=False
        )
    op.create_table(
        "site_open_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("open_days", sa.String(length=40), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_site_open_days_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_open_days")),
    )
    with op.batch_alter_table("site_open_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_site_open_days_site_id"), ["site_id"], unique=False)
    op.create_table(
        "stock_location_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=60), nullable=False),
        sa.Column("lot_number", sa.String(length=80), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_id", "item", "lot_number"],
            ["stock_lots.site_id", "stock_lots.item", "stock_lots.lot_number"],
            name=op.f("fk_stock_location_changes_site_id_stock_lots"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_location_changes")),
    )
    with op.batch_alter_table("stock_location_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stock_location_changes_site_id"),
            ["site_id", "item", "lot_number"],
            unique=False,
        )
    _backfill(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("stock_location_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_location_changes_site_id"))
    op.drop_table("stock_location_changes")
    with op.batch_alter_table("site_open_days", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_site_open_days_site_id"))
    op.drop_table("site_open_days")
    with op.batch_alter_table("staff_role_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_role_changes_staff_pk"))
    op.drop_table("staff_role_changes")


# --- backfill ------------------------------------------------------------------------

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


def _backfill(conn: sa.Connection) -> None:
    meta = sa.MetaData()
    roles = sa.Table("staff_role_changes", meta, autoload_with=conn)
    days = sa.Table("site_open_days", meta, autoload_with=conn)
    places = sa.Table("stock_location_changes", meta, autoload_with=conn)
    specs: list[dict[str, Any]] = []
    staff = conn.execute(sa.text("SELECT id, role, is_lso, hired_on FROM staff ORDER BY id"))
    for pk, role, is_lso, hired_on in staff.all():
        values = {"staff_pk": pk, "role": role, "is_lso": bool(is_lso)}
        specs.append(_create(conn, roles, {**values, "effective_from": _as_date(hired_on)}))
    sites = conn.execute(sa.text("SELECT id, open_days FROM sites ORDER BY id"))
    for site_id, open_days in sites.all():
        values = {"site_id": site_id, "open_days": open_days, "effective_from": None}
        specs.append(_create(conn, days, values))
    lots = conn.execute(
        sa.text(
            "SELECT site_id, item, lot_number, location, received_on FROM stock_lots"
            " WHERE location IS NOT NULL ORDER BY id"
        )
    )
    for site_id, item, lot_number, location, received_on in lots.all():
        lot = {"site_id": site_id, "item": item, "lot_number": lot_number}
        values = {**lot, "location": location, "effective_from": _as_date(received_on)}
        specs.append(_create(conn, places, values))
    _append(conn, specs)


def _create(conn: sa.Connection, table: sa.Table, values: dict[str, Any]) -> dict[str, Any]:
    """Insert a history row and the audit event that creates it."""
    values = {**values, "reason": REASON}
    new_id = conn.execute(table.insert().values(**values).returning(table.c.id)).scalar_one()
    row = conn.execute(sa.select(table).where(table.c.id == new_id)).mappings().one()
    after = {column.key: row[column.key] for column in table.columns}
    return {
        "actor": ACTOR,
        "action": "create",
        "entity": table.name,
        "entity_id": str(new_id),
        "before": None,
        "after": _canonical(after),
        "reason": REASON,
    }


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


# --- the audit chain's snapshot form, as of this revision --------------------------


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


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
