"""A database of the previous release (0003) with staff and assets upgrades to the head:
staff get hired_on/left_on and assets a status history from the dates the audit trail
holds, the engine judges the past with them, and `verify` still passes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select

from readiness.audit import chain as audit
from readiness.compliance import compliance_items
from readiness.db import Database
from readiness.migrate import current_revision, head_revision, upgrade
from readiness.models import AssetStatusChange, Staff
from readiness.policy.current import current_policy

CREATED = datetime(2024, 3, 1, 15, 0, tzinfo=UTC)
HIRED = datetime(2025, 1, 10, 15, 0, tzinfo=UTC)
OUT = datetime(2025, 11, 10, 15, 0, tzinfo=UTC)
LEFT = datetime(2025, 7, 1, 15, 0, tzinfo=UTC)


def _write(session: Any, table: str, values: dict[str, Any], at: datetime, new: bool) -> None:
    """Insert or update a row with SQL and audit it as the previous release did."""
    reflected = sa.Table(table, sa.MetaData(), autoload_with=session.connection())
    if new:
        session.execute(reflected.insert().values(**values))
    else:
        session.execute(reflected.update().where(reflected.c.id == values["id"]).values(**values))
    row = session.execute(select(reflected).where(reflected.c.id == values["id"])).mappings()
    after = dict(row.one())
    spec = audit.EventSpec(
        "t", "create" if new else "update", table, str(values["id"]), None, after
    )
    spec.at = at
    audit.append_many(session, [spec])


def test_it_backfills_dates_and_verify_holds(db_url: str) -> None:
    db = Database(db_url)
    upgrade(db.engine, "0003")
    with db.write() as session:
        site = {"id": 1, "code": "AUS1", "name": "Austin", "timezone": "America/Chicago"}
        days = "mon,tue,wed,thu,fri,sat,sun"
        flags = {"open_days": days, "treats_children": False, "active": True}
        _write(session, "sites", {**site, **flags}, CREATED, True)
        person = {"id": 1, "staff_id": "S-1", "site_id": 1, "full_name": "Ann Lee", "role": "rn"}
        _write(session, "staff", {**person, "active": True, "is_lso": False}, HIRED, True)
        _write(session, "staff", {"id": 1, "active": False}, LEFT, False)
        aed = {"id": 1, "asset_id": "AED-1", "site_id": 1, "kind": "aed", "name": "AED"}
        _write(session, "assets", {**aed, "status": "in_service"}, CREATED, True)
        _write(session, "assets", {"id": 1, "status": "out_of_service"}, OUT, False)
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision() != "0003"
    with db.read() as session:
        staff = session.scalars(select(Staff)).one()
        assert (staff.hired_on, staff.left_on, staff.active) == (
            date(2025, 1, 10),
            date(2025, 7, 1),
            False,
        )
        history = session.scalars(select(AssetStatusChange).order_by(AssetStatusChange.id)).all()
        assert [(h.status, h.effective_from) for h in history] == [
            ("in_service", date(2024, 3, 1)),
            ("out_of_service", date(2025, 11, 10)),
        ]
        result = audit.verify(session)
        assert result.ok, result.problems
        items = _items(session, date(2025, 6, 30))
        assert items.loc[("cert.bls", "S-1"), "status"] == "missing"
        assert items.loc[("aed.pads", "AED-1"), "status"] != "not_applicable"
        later = _items(session, date(2025, 11, 10))
        assert later.loc[("cert.bls", "S-1"), "status"] == "not_applicable"
        assert later.loc[("aed.pads", "AED-1"), "status"] == "not_applicable"
    db.dispose()


def _items(session: Any, as_of: date) -> Any:
    items = compliance_items(
        session, current_policy(), as_of=as_of, now_utc=datetime(2026, 1, 1, tzinfo=UTC)
    )
    return items.set_index(["requirement", "subject"])
