"""effective dates: staff hired_on/left_on, asset status history with effective dates

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 09:00:00.000000

Existing rows get the best dates the database holds, read from the audit trail: an
asset's history replays every status its audited states had, each from the local day it
was recorded, the first one from the earlier of its creation and its first service event;
a staff member is hired from the earlier of their creation and their first certificate,
and one made inactive left on the day that was recorded.

The new columns change what a staff or asset row holds, and `readiness verify` compares
every row with its last audited state, so the migration appends to the audit chain (in
its own transaction, as actor "migration 0004"): one update per staff and asset row and
one create per history row. It vouches only for rows that still match their last audited
state: a row changed behind the application's back stays reported by verify.
"""

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

import readiness.models.base

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTOR = "migration 0004"
REASON = "effective dates backfilled from the audit trail by migration 0004"
GENESIS = "0" * 64
# Secret columns audited as a digest (the models' __audit_redact__ at this revision).
REDACT = {"staff": frozenset({"pin_hash"})}


def upgrade() -> None:
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hired_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("left_on", sa.Date(), nullable=True))
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("in_service_from", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("retired_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("status_since", sa.Date(), nullable=True))
    op.create_table(
        "asset_status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asset_pk", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["asset_pk"], ["assets.id"], name=op.f("fk_asset_status_changes_asset_pk_assets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_status_changes")),
    )
    with op.batch_alter_table("asset_status_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_asset_status_changes_asset_pk"), ["asset_pk"], unique=False
        )
    _backfill(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("asset_status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_asset_status_changes_asset_pk"))
    op.drop_table("asset_status_changes")
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.drop_column("status_since")
        batch_op.drop_column("retired_on")
        batch_op.drop_column("in_service_from")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_column("left_on")
        batch_op.drop_column("hired_on")


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
    staff = sa.Table("staff", meta, autoload_with=conn)
    assets = sa.Table("assets", meta, autoload_with=conn)
    changes = sa.Table("asset_status_changes", meta, autoload_with=conn)
    zones: dict[int, str] = dict(conn.execute(sa.text("SELECT id, timezone FROM sites")).all())
    trail = _trail(conn)
    specs: list[dict[str, Any]] = []
    first_card: dict[int, Any] = dict(
        conn.execute(
            sa.text(
                "SELECT staff_pk, MIN(issued_on) FROM certifications"
                " WHERE record_state = 'current' GROUP BY staff_pk"
            )
        ).all()
    )
    for row in conn.execute(sa.select(staff).order_by(staff.c.id)).mappings():
        states = trail.get(("staff", str(row["id"])))
        if not states or not _unchanged(staff, row, states[-1][1], ("hired_on", "left_on")):
            continue
        tz = ZoneInfo(zones.get(row["site_id"]) or "UTC")
        created = _local_day(states[0][0], tz)
        values = {"hired_on": _earliest(created, _as_date(first_card.get(row["id"])))}
        if not row["active"]:
            values["left_on"] = _left_on(states, tz)
        specs.append(_update(conn, staff, row, values, ("hired_on", "left_on")))
    first_service: dict[int, Any] = dict(
        conn.execute(
            sa.text(
                "SELECT asset_pk, MIN(performed_on) FROM service_events"
                " WHERE record_state = 'current' GROUP BY asset_pk"
            )
        ).all()
    )
    new_cols = ("in_service_from", "retired_on", "status_since")
    for row in conn.execute(sa.select(assets).order_by(assets.c.id)).mappings():
        states = trail.get(("assets", str(row["id"])))
        if not states or not _unchanged(assets, row, states[-1][1], new_cols):
            continue
        tz = ZoneInfo(zones.get(row["site_id"]) or "UTC")
        start = _earliest(_local_day(states[0][0], tz), _as_date(first_service.get(row["id"])))
        steps = _status_steps(states, tz, start)
        for status, since in steps:
            specs.append(_create(conn, changes, row["id"], status, since))
        values = {
            "in_service_from": steps[0][1] if steps[0][0] == "in_service" else None,
            "retired_on": steps[-1][1] if steps[-1][0] == "retired" else None,
            "status_since": steps[-1][1],
        }
        specs.append(_update(conn, assets, row, values, new_cols))
    _append(conn, specs)


def _trail(conn: sa.Connection) -> dict[tuple[str, str], list[tuple[datetime, str]]]:
    """(instant, canonical after) of every audited state of staff and asset rows, in order."""
    query = (
        sa.select(EVENTS.c.entity, EVENTS.c.entity_id, EVENTS.c.at, EVENTS.c.after)
        .where(EVENTS.c.entity.in_(["staff", "assets"]), EVENTS.c.after.is_not(None))
        .order_by(EVENTS.c.seq)
    )
    found: dict[tuple[str, str], list[tuple[datetime, str]]] = defaultdict(list)
    for entity, entity_id, at, after in conn.execute(query):
        found[(entity, entity_id)].append((at, after))
    return found


def _unchanged(table: sa.Table, row: Any, last_after: str, new: Sequence[str]) -> bool:
    """True when the row (without the new columns) is its last audited state."""
    old = {k: v for k, v in _snapshot(table, row).items() if k not in new}
    return _canonical(old) == last_after


def _status_steps(
    states: list[tuple[datetime, str]], tz: ZoneInfo, start: date | None
) -> list[tuple[str, date | None]]:
    """(status, effective from) of each change of status in the audited states (several
    on one day stay in order: the later row decides, as the engine reads ties)."""
    steps: list[tuple[str, date | None]] = []
    for at, after in states:
        status = json.loads(after).get("status") or "in_service"
        if not steps or steps[-1][0] != status:
            steps.append((status, start if not steps else _local_day(at, tz)))
    return steps


def _left_on(states: list[tuple[datetime, str]], tz: ZoneInfo) -> date | None:
    """The local day of the last audited change from active to inactive (None: never seen)."""
    left, was_active = None, False
    for at, after in states:
        active = bool(json.loads(after).get("active"))
        if was_active and not active:
            left = _local_day(at, tz)
        was_active = active
    return left


def _update(
    conn: sa.Connection, table: sa.Table, row: Any, values: dict[str, Any], new: Sequence[str]
) -> dict[str, Any]:
    conn.execute(table.update().where(table.c.id == row["id"]).values(**values))
    now = conn.execute(sa.select(table).where(table.c.id == row["id"])).mappings().one()
    # Before: the last audited state, which did not have the new columns.
    before = {k: v for k, v in _snapshot(table, row).items() if k not in new}
    return _spec("update", table.name, row["id"], before, _snapshot(table, now))


def _create(
    conn: sa.Connection, table: sa.Table, asset_pk: int, status: str, since: date | None
) -> dict[str, Any]:
    values = {
        "asset_pk": asset_pk,
        "status": status,
        "effective_from": since,
        "reason": "status as recorded in the audit trail (migration 0004)",
    }
    new_id = conn.execute(table.insert().values(**values).returning(table.c.id)).scalar_one()
    row = conn.execute(sa.select(table).where(table.c.id == new_id)).mappings().one()
    return _spec("create", table.name, new_id, None, _snapshot(table, row))


def _spec(action: str, entity: str, ident: int, before: Any, after: Any) -> dict[str, Any]:
    return {
        "actor": ACTOR,
        "action": action,
        "entity": entity,
        "entity_id": str(ident),
        "before": None if before is None else _canonical(before),
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


def _snapshot(table: sa.Table, row: Any) -> dict[str, Any]:
    secret = REDACT.get(table.name, frozenset())
    out: dict[str, Any] = {}
    for column in table.columns:
        value = row[column.key]
        if column.key in secret and value is not None:
            value = "sha256:" + hashlib.sha256(value.encode()).hexdigest()
        out[column.key] = value
    return out


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


def _local_day(at: datetime, tz: ZoneInfo) -> date:
    return at.astimezone(tz).date()


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _earliest(*days: date | None) -> date | None:
    known = [d for d in days if d is not None]
    return min(known) if known else None
