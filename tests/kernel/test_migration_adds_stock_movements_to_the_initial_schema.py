"""A database at the initial schema (0001) with stock on file upgrades to the head: the
stock_movements table appears, lots keep their count as the opening quantity, and the
engine reads the upgraded database and a disposal can be recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import inspect, select, text

from readiness.compliance import compliance_items
from readiness.db import Database
from readiness.migrate import current_revision, head_revision, upgrade
from readiness.models import StockLot, StockMovement
from readiness.policy.current import current_policy
from readiness.services.stock import StockEntry, record_stock

NOW = datetime(2026, 3, 9, 18, 0, tzinfo=UTC)


def test_it_upgrades_with_stock_on_file(db_url: str) -> None:
    db = Database(db_url)
    upgrade(db.engine, "0001")
    assert "stock_movements" not in inspect(db.engine).get_table_names()
    # Plain SQL with the columns 0001 has: the models describe the latest schema.
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sites (id, code, name, timezone, open_days, treats_children, active)"
                " VALUES (1, 'AUS1', 'Austin', 'America/Chicago', '', false, true)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO stock_lots (id, site_id, item, lot_number, expires_on, quantity)"
                " VALUES (1, 1, 'epinephrine_adult', 'EPA-1', '2026-02-28', 2)"
            )
        )
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision() != "0001"
    assert "stock_movements" in inspect(db.engine).get_table_names()
    with db.write() as session:
        assert session.scalars(select(StockLot.quantity)).all() == [2]
        items = compliance_items(session, current_policy(), now_utc=NOW).set_index("requirement")
        assert items.loc["stock.expired_epinephrine_adult", "status"] == "expired"
        entry = StockEntry("disposed", "AUS1", "EPA-1", 2, date(2026, 3, 9), reason="expired")
        record_stock(session, entry, actor="test", now_utc=NOW)
    with db.read() as session:
        items = compliance_items(session, current_policy(), now_utc=NOW).set_index("requirement")
        assert items.loc["stock.expired_epinephrine_adult", "status"] == "ok"
        assert session.scalars(select(StockMovement.kind)).all() == ["disposed"]
    db.dispose()
