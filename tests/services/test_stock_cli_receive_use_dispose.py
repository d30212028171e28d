"""`readiness stock receive|use|dispose` through the module's own register() and handler:
a new lot is received, units used and disposed, each a dated movement; the same --key twice
records once; a refusal is a UserError; the audit chain still verifies every record."""

from __future__ import annotations

import argparse
from datetime import date

import pytest
from sqlalchemy import select

from readiness.audit import chain as audit
from readiness.audit import records
from readiness.commands import stock as stock_commands
from readiness.config import load_settings
from readiness.db import Database
from readiness.errors import UserError
from readiness.models import Site, StockLot, StockMovement
from readiness.services.stock import units_on_hand


def run(db: Database, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="readiness")
    parser.add_argument("--db")
    parser.add_argument("--actor")
    stock_commands.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["--db", db.url, "--actor", "nurse", *argv])
    return int(args.handler(args, load_settings({})))


def test_it_receives_uses_and_disposes(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    with db.write() as session:
        records.create(session, Site(code="AUS1", name="Austin", timezone="UTC"), actor="t")
    lot = ["--site", "AUS1", "--lot", "EPA-2411"]
    received = [*lot, "--item", "epinephrine_adult", "--expires", "2026-11-30", "--quantity", "4"]
    assert run(db, "stock", "receive", *received, "--date", "2026-03-01", "--location", "Kit") == 0
    assert (
        run(db, "stock", "use", *lot, "--quantity", "1", "--date", "2026-03-02", "--key", "k1") == 0
    )
    assert (
        run(db, "stock", "use", *lot, "--quantity", "1", "--date", "2026-03-02", "--key", "k1") == 0
    )
    assert (
        run(
            db,
            "stock",
            "dispose",
            *lot,
            "--quantity",
            "2",
            "--date",
            "2026-03-03",
            "--reason",
            "damaged carton",
        )
        == 0
    )
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "AUS1: 4 units of epinephrine_adult lot EPA-2411 received on 2026-03-01 (recorded);"
        " 4 on hand that day"
    )
    assert out[2].endswith("used on 2026-03-02 (already recorded); 3 on hand that day")
    assert out[3].endswith("disposed on 2026-03-03 (recorded); 1 on hand that day")
    with db.read() as session:
        moves = session.scalars(select(StockMovement).order_by(StockMovement.id)).all()
        assert [(m.kind, m.quantity, m.recorded_by) for m in moves] == [
            ("received", 4, "nurse"),
            ("used", 1, "nurse"),
            ("disposed", 2, "nurse"),
        ]
        found = session.scalars(select(StockLot)).one()
        assert (found.quantity, found.received_on, found.location) == (0, date(2026, 3, 1), "Kit")
        assert units_on_hand(session, found, date(2026, 2, 28)) == 0
        assert units_on_hand(session, found, date(2026, 3, 3)) == 1
        result = audit.verify(session)
    assert result.ok, result.problems


def test_a_refusal_is_a_user_error(db: Database) -> None:
    with db.write() as session:
        records.create(session, Site(code="AUS1", name="Austin", timezone="UTC"), actor="t")
    with pytest.raises(UserError, match="lot EPA-1 is new at AUS1: give its expiry date"):
        run(
            db,
            "stock",
            "receive",
            "--site",
            "AUS1",
            "--lot",
            "EPA-1",
            "--item",
            "epinephrine_adult",
            "--quantity",
            "2",
        )
    with pytest.raises(UserError, match="no lot 'EPA-1' at AUS1"):
        run(db, "stock", "dispose", "--site", "AUS1", "--lot", "EPA-1", "--quantity", "1")
