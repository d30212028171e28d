"""End to end: a practice imported today with hiring, leaving and status dates
(tests/data/onboarded_practice), judged on past days with `readiness status --as-of`:
each day is judged with the staff and assets as they stood on it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from checklist_world import readiness

from readiness.cli import main
from readiness.db import Database

PRACTICE = Path(__file__).resolve().parents[1] / "data" / "onboarded_practice"

Items = dict[tuple[str, str], dict[str, str]]


@pytest.fixture
def imported(db: Database) -> Database:
    proc = readiness("--db", db.url, "import", "--dir", str(PRACTICE))
    assert proc.returncode == 0, proc.stderr
    return db


def status(db: Database, as_of: str, capsys: pytest.CaptureFixture[str]) -> Items:
    """(requirement, subject) -> item of `readiness status --as-of` at ONB1."""
    capsys.readouterr()
    code = main(["--db", db.url, "status", "--format", "json", "--as-of", as_of])
    assert code in (0, 1)  # 1: something is not ok
    items = json.loads(capsys.readouterr().out)
    return {(i["requirement"], i["subject"]): i for i in items if i["site"] == "ONB1"}


def of_subject(items: Items, subject: str) -> dict[str, str]:
    return {req: item["status"] for (req, subj), item in items.items() if subj == subject}


def test_bls_expired_on_31_may_then_not_owed_once_she_left(
    imported: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    # O-2's card is valid through 31 May 2025; she left on 15 September 2025.
    assert status(imported, "2025-05-31", capsys)[("cert.bls", "O-2")]["status"] == "due_soon"
    june = status(imported, "2025-06-01", capsys)[("cert.bls", "O-2")]
    assert june["status"] == "expired"
    assert june["due_on"] == "2025-05-31"
    last_day = status(imported, "2025-09-14", capsys)[("cert.bls", "O-2")]
    assert last_day["status"] == "expired"
    gone = status(imported, "2025-09-15", capsys)[("cert.bls", "O-2")]
    assert gone["status"] == "not_applicable"


def test_staff_hired_later_owe_nothing_before_their_first_day(
    imported: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    # O-3 starts on 1 August 2025 without a BLS card.
    before = of_subject(status(imported, "2025-07-31", capsys), "O-3")
    assert set(before.values()) <= {"not_applicable"}
    hired = status(imported, "2025-08-01", capsys)[("cert.bls", "O-3")]
    assert hired["status"] == "missing"
    # O-4 left in June 2024: nothing owed a year later, although her card lapsed.
    assert set(of_subject(status(imported, "2025-01-02", capsys), "O-4").values()) <= {
        "not_applicable"
    }


def test_an_asset_out_of_service_from_a_date_is_judged_only_before_it(
    imported: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    # L-ONB-1: last serviced 4 March 2024 (12 months), out of service from 1 July 2025.
    before = status(imported, "2025-06-30", capsys)
    service = before[("laser.service", "L-ONB-1")]
    assert service["status"] == "overdue"
    assert service["due_on"] == "2025-03-04"
    assert before[("laser.daily_check", "L-ONB-1")]["status"] != "not_applicable"
    after = of_subject(status(imported, "2025-07-01", capsys), "L-ONB-1")
    assert after and set(after.values()) == {"not_applicable"}
    # L-ONB-2 stayed in service: still judged on the same day.
    assert status(imported, "2025-07-01", capsys)[("laser.service", "L-ONB-2")]["status"] == "ok"


def test_an_asset_in_service_later_owes_nothing_before(
    imported: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    # L-ONB-3 came into service on 1 February 2026.
    assert set(of_subject(status(imported, "2026-01-31", capsys), "L-ONB-3").values()) <= {
        "not_applicable"
    }
    owed = of_subject(status(imported, "2026-02-01", capsys), "L-ONB-3")
    assert owed["laser.service"] != "not_applicable"
