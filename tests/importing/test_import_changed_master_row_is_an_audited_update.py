"""A changed master-data row (site, staff, asset, stock) is updated in place, audited."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from readiness.audit import chain as audit
from readiness.db import Database
from readiness.importing.run import import_dir, import_file
from readiness.models import AuditEvent, Staff, StockLot

GOOD = Path(__file__).resolve().parents[1] / "data" / "import_good"


def test_a_changed_staff_row_is_an_update_with_before_after_and_reason(
    db: Database, tmp_path: Path
) -> None:
    import_dir(db, GOOD, dry_run=False, actor="test")
    path = tmp_path / "staff.csv"
    path.write_text(
        "staff_id,site_code,full_name,role,is_lso\n"
        "S-101,AUS1,Dr. Maria Alvarez,medical_director,no\n"
        "S-104,PHX1,Sam Ortiz,front_desk,no\n",
        encoding="utf-8",
    )
    report = import_file(db, "staff", path, dry_run=False, actor="officer")
    assert report.errors == []
    assert (report.counts["staff"].amended, report.counts["staff"].unchanged) == (1, 1)
    with db.read() as session:
        moved = session.scalars(select(Staff).where(Staff.staff_id == "S-104")).one()
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        assert audit.verify(session).ok
    assert event is not None
    assert (event.action, event.entity, event.entity_id) == ("update", "staff", str(moved.id))
    assert event.actor == "officer"
    assert event.reason == f"import {path} row 3"
    assert event.before is not None and event.after is not None
    before, after = json.loads(event.before), json.loads(event.after)
    assert after["site_id"] == moved.site_id != before["site_id"]
    assert {k for k in after if after[k] != before[k]} == {"site_id"}


def test_a_changed_stock_quantity_is_an_update(db: Database, tmp_path: Path) -> None:
    import_dir(db, GOOD, dry_run=False, actor="test")
    path = tmp_path / "stock.csv"
    path.write_text(
        "site_code,item,lot_number,expires_on,quantity\n"
        "AUS1,epinephrine_adult,EP24A117,2026-08-31,1\n",
        encoding="utf-8",
    )
    report = import_file(db, "stock", path, dry_run=False, actor="test")
    assert report.counts["stock"].amended == 1
    with db.read() as session:
        lot = session.scalars(select(StockLot).where(StockLot.lot_number == "EP24A117")).one()
        lots = session.scalars(select(StockLot)).all()
    assert lot.quantity == 1
    assert len(lots) == 4  # master data: changed in place, not copied
