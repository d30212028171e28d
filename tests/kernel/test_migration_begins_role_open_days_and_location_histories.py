"""A database of the previous release (0007) with sites, staff and stock upgrades to the
head: each staff member's role history begins with their role from `hired_on`, each
site's open days since before the records and each lot's location from `received_on`;
the engine judges the past with them, and `verify` still passes, histories included."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select

from readiness.audit import chain as audit
from readiness.compliance import compliance_items
from readiness.db import Database
from readiness.migrate import current_revision, head_revision, upgrade
from readiness.models import SiteOpenDays, StaffRoleChange, StockLocationChange
from readiness.policy.current import current_policy

AT = datetime(2025, 5, 1, 15, 0, tzinfo=UTC)


def _create(session: Any, table: str, values: dict[str, Any]) -> None:
    """Insert a row with SQL and audit it as the previous release did."""
    reflected = sa.Table(table, sa.MetaData(), autoload_with=session.connection())
    session.execute(reflected.insert().values(**values))
    row = session.execute(select(reflected).where(reflected.c.id == values["id"])).mappings()
    spec = audit.EventSpec("t", "create", table, str(values["id"]), None, dict(row.one()))
    spec.at = AT
    audit.append_many(session, [spec])


def _previous_release(db: Database) -> None:
    upgrade(db.engine, "0007")
    with db.write() as session:
        site = {"id": 1, "code": "AUS1", "name": "Austin", "timezone": "America/Chicago"}
        flags = {"open_days": "mon,tue,wed,thu,fri", "treats_children": False, "active": True}
        _create(session, "sites", {**site, **flags})
        person = {"site_id": 1, "active": True, "is_lso": True, "role": "rn"}
        ann = {"id": 1, "staff_id": "S-1", "full_name": "Ann Lee", "hired_on": date(2024, 2, 1)}
        _create(session, "staff", {**ann, **person})
        _create(session, "staff", {"id": 2, "staff_id": "S-2", "full_name": "Bo Ng", **person})
        lot = {"id": 1, "site_id": 1, "item": "epinephrine_adult", "expires_on": date(2027, 1, 31)}
        where = {"location": "Crash cart", "received_on": date(2025, 3, 1)}
        _create(session, "stock_lots", {**lot, "lot_number": "EP-1", "quantity": 2, **where})
        _create(session, "stock_lots", {**lot, "id": 2, "lot_number": "EP-2", "quantity": 1})


def test_histories_begin_from_the_best_dates_and_verify_holds(db_url: str) -> None:
    db = Database(db_url)
    _previous_release(db)
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision() != "0007"
    with db.read() as session:
        roles = session.scalars(select(StaffRoleChange).order_by(StaffRoleChange.staff_pk))
        assert [(r.staff_pk, r.role, r.is_lso, r.effective_from) for r in roles] == [
            (1, "rn", True, date(2024, 2, 1)),
            (2, "rn", True, None),  # no hiring date: since before the records
        ]
        days = session.scalars(select(SiteOpenDays)).one()
        assert (days.site_id, days.open_days, days.effective_from) == (
            1,
            "mon,tue,wed,thu,fri",
            None,
        )
        # A lot without a location has no history to begin.
        place = session.scalars(select(StockLocationChange)).one()
        assert (place.lot_number, place.location, place.effective_from) == (
            "EP-1",
            "Crash cart",
            date(2025, 3, 1),
        )
        result = audit.verify(session)
        assert result.ok, result.problems
        items = compliance_items(session, current_policy(), sites=["AUS1"], as_of=date(2025, 6, 2))
    lso = items[items["requirement"] == "cert.lso"]
    assert sorted(lso["subject"]) == ["S-1", "S-2"]
    db.dispose()
