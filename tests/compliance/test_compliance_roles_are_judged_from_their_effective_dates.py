"""End to end through import files (tests/data/history_practice, `staff_roles.csv`): a
staff member's role and LSO flag are judged as they stood on the day asked. Jo Ames
(H-2) was an aesthetician until she became an RN on 1 June 2025, so ACLS is owed only
from that day; Dr. Varga (H-1) became the laser safety officer on 1 March 2025, so the
site has its LSO, and she owes a current LSO card, only from then."""

from __future__ import annotations

import pytest
from history_practice import import_practice, status
from sqlalchemy import select

from readiness.db import Database
from readiness.models import Staff


@pytest.fixture
def imported(db: Database) -> Database:
    return import_practice(db)


def test_acls_is_owed_only_from_the_day_she_became_a_nurse(
    imported: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    before = status(imported, "2025-05-31", capsys)
    assert ("cert.acls", "H-2") not in before  # an aesthetician owes no ACLS
    assert before[("cert.bls", "H-2")]["status"] == "ok"
    after = status(imported, "2025-06-01", capsys)
    assert after[("cert.acls", "H-2")]["status"] == "missing"


def test_the_lso_counts_only_from_the_day_she_was_named(
    imported: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    before = status(imported, "2025-02-28", capsys)
    assert before[("site.lso_designated", "HIS1")]["status"] == "missing"
    assert ("cert.lso", "H-1") not in before
    named = status(imported, "2025-03-01", capsys)
    assert named[("site.lso_designated", "HIS1")]["status"] == "ok"
    assert "(H-1)" in named[("site.lso_designated", "HIS1")]["detail"]
    assert named[("cert.lso", "H-1")]["status"] == "ok"


def test_the_staff_rows_hold_todays_role_and_a_reimport_changes_nothing(
    imported: Database,
) -> None:
    with imported.read() as session:
        roles = {s.staff_id: (s.role, s.is_lso) for s in session.scalars(select(Staff))}
    assert roles == {"H-1": ("medical_director", True), "H-2": ("rn", False)}
    again = import_practice(imported)
    with again.read() as session:
        assert {s.staff_id: (s.role, s.is_lso) for s in session.scalars(select(Staff))} == roles
