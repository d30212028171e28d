"""A database at 0004 with sites and assets upgrades to 0005 (sites.procedures,
assets.laser_kind, staff_assignments): `verify` still vouches for every row it vouched
for, and a row changed behind the application's back stays reported."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select

from readiness.audit import chain as audit
from readiness.db import Database
from readiness.migrate import upgrade

AT = datetime(2025, 5, 1, 15, 0, tzinfo=UTC)


def _create(session: Any, table: str, values: dict[str, Any]) -> None:
    """Insert a row with SQL and audit it as the previous release did."""
    reflected = sa.Table(table, sa.MetaData(), autoload_with=session.connection())
    session.execute(reflected.insert().values(**values))
    row = session.execute(select(reflected).where(reflected.c.id == values["id"])).mappings()
    spec = audit.EventSpec("t", "create", table, str(values["id"]), None, dict(row.one()))
    spec.at = AT
    audit.append_many(session, [spec])


def test_verify_holds_across_the_upgrade(db_url: str) -> None:
    db = Database(db_url)
    upgrade(db.engine, "0004")
    with db.write() as session:
        flags = {"open_days": "mon,tue,wed,thu,fri", "treats_children": False, "active": True}
        for pk, code in ((1, "AUS1"), (2, "NYC1")):
            site = {"id": pk, "code": code, "name": code, "timezone": "America/Chicago"}
            _create(session, "sites", {**site, **flags})
        laser = {"id": 1, "asset_id": "L-1", "site_id": 1, "kind": "laser", "name": "Laser"}
        _create(session, "assets", {**laser, "status": "in_service"})
        # Changed behind the application's back before the upgrade.
        session.execute(sa.text("UPDATE sites SET name = 'Tampered' WHERE id = 2"))
    upgrade(db.engine)
    with db.read() as session:
        columns = {c["name"] for c in sa.inspect(session.connection()).get_columns("sites")}
        assert "procedures" in columns
        result = audit.verify(session)
    assert result.problems == [
        "sites 2: differs from its last audited state (changed behind the application's back)"
    ]
    db.dispose()
