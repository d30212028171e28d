"""site contacts and emergency roles kept as dated versions

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 04:30:00.000000

`site_contacts` held one row per site and `emergency_roles` one row per (site,
scenario, duty), each changed in place. Both become histories: every row gains
`effective_from`, `reason` and `recorded_by`, and the one-row-per-key constraints go,
so a change appends a row and the plan as of a past day can be printed as it was.

Each existing row becomes the first version, in force from the site-local day its
values were last recorded (the audit trail's last event for the row, which also names
who recorded it); a row the trail does not know holds from the day its site was
recorded, else from the day of this migration. Those values are audited updates
appended to the chain (actor "migration 0013"), so `readiness verify` replays them.
"""

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

import readiness.models.base

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTOR = "migration 0013"
REASON = "first dated version of the values on record, made by migration 0013"
GENESIS = "0" * 64
TABLES = ("site_contacts", "emergency_roles")
UNIQUE = {
    "site_contacts": "uq_site_contacts_site_id",
    "emergency_roles": "uq_emergency_roles_site_id",
}


def upgrade() -> None:
    for name in TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column("effective_from", sa.Date(), nullable=True))
            batch_op.add_column(sa.Column("reason", sa.String(length=500), nullable=True))
            batch_op.add_column(sa.Column("recorded_by", sa.String(length=120), nullable=True))
            batch_op.drop_constraint(UNIQUE[name], type_="unique")
    with op.batch_alter_table("site_contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_site_contacts_site_id"), ["site_id"], unique=False)
    _backfill(op.get_bind())
    for name in TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.alter_column("effective_from", existing_type=sa.Date(), nullable=False)
            batch_op.alter_column(
                "recorded_by", existing_type=sa.String(length=120), nullable=False
            )


def downgrade() -> None:
    # Back to one row per key: the version in force now (the latest) of each is kept.
    conn = op.get_bind()
    conn.execute(
        sa.text(
            "DELETE FROM site_contacts WHERE id NOT IN (SELECT MAX(c.id) FROM site_contacts c"
            " WHERE c.effective_from = (SELECT MAX(d.effective_from) FROM site_contacts d"
            " WHERE d.site_id = c.site_id) GROUP BY c.site_id)"
        )
    )
    conn.execute(
        sa.text(
            "DELETE FROM emergency_roles WHERE id NOT IN (SELECT MAX(r.id) FROM emergency_roles r"
            " WHERE r.effective_from = (SELECT MAX(q.effective_from) FROM emergency_roles q"
            " WHERE q.site_id = r.site_id AND q.scenario = r.scenario AND q.duty = r.duty)"
            " GROUP BY r.site_id, r.scenario, r.duty)"
        )
    )
    conn.execute(sa.text("DELETE FROM emergency_roles WHERE assignee = ''"))
    with op.batch_alter_table("site_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_site_contacts_site_id"))
    with op.batch_alter_table("site_contacts", schema=None) as batch_op:
        batch_op.create_unique_constraint(UNIQUE["site_contacts"], ["site_id"])
    with op.batch_alter_table("emergency_roles", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            UNIQUE["emergency_roles"], ["site_id", "scenario", "duty"]
        )
    for name in TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_column("recorded_by")
            batch_op.drop_column("reason")
            batch_op.drop_column("effective_from")


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
NEW_COLUMNS = ("effective_from", "reason", "recorded_by")


def _backfill(conn: sa.Connection) -> None:
    meta = sa.MetaData()
    zones = {row[0]: row[1] for row in conn.execute(sa.text("SELECT id, timezone FROM sites"))}
    opened = _site_days(conn, zones)
    today = datetime.now(UTC).date()
    specs: list[dict[str, Any]] = []
    for name in TABLES:
        table = sa.Table(name, meta, autoload_with=conn)
        last = _last_events(conn, name)
        for row in conn.execute(sa.select(table).order_by(table.c.id)).mappings().all():
            event = last.get(str(row["id"]))
            if event is not None:
                at, actor = event
                since = at.astimezone(ZoneInfo(zones[row["site_id"]])).date()
            else:
                since, actor = opened.get(row["site_id"], today), ACTOR
            values = {"effective_from": since, "reason": REASON, "recorded_by": actor}
            conn.execute(table.update().where(table.c.id == row["id"]).values(**values))
            before = {k: v for k, v in row.items() if k not in NEW_COLUMNS}
            specs.append(_update(name, row["id"], before, {**before, **values}))
    _append(conn, specs)


def _last_events(conn: sa.Connection, entity: str) -> dict[str, tuple[datetime, str]]:
    """Row id -> (instant, actor) of the last audit event that wrote the row."""
    query = (
        sa.select(EVENTS.c.entity_id, EVENTS.c.at, EVENTS.c.actor)
        .where(EVENTS.c.entity == entity, EVENTS.c.after.is_not(None))
        .order_by(EVENTS.c.seq)
    )
    return {entity_id: (at, actor) for entity_id, at, actor in conn.execute(query)}


def _site_days(conn: sa.Connection, zones: dict[int, str]) -> dict[int, date]:
    """Site id -> the site-local day the site was first recorded (its audited create)."""
    query = (
        sa.select(EVENTS.c.entity_id, EVENTS.c.at)
        .where(EVENTS.c.entity == "sites", EVENTS.c.action == "create")
        .order_by(EVENTS.c.seq)
    )
    days: dict[int, date] = {}
    for entity_id, at in conn.execute(query):
        site_id = int(entity_id)
        if site_id in zones:
            days.setdefault(site_id, at.astimezone(ZoneInfo(zones[site_id])).date())
    return days


def _update(
    entity: str, row_id: int, before: dict[str, Any], after: dict[str, Any]
) -> dict[str, Any]:
    return {
        "actor": ACTOR,
        "action": "update",
        "entity": entity,
        "entity_id": str(row_id),
        "before": _canonical(before),
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
