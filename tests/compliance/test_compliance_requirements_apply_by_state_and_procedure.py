"""A requirement with applies_if is judged only at sites where it holds: Texas's laser
inventory at a Texas site, not at a New York one; a Texas hair removal certificate only
where laser hair removal is done in Texas (practice imported from files)."""

from __future__ import annotations

from datetime import date

import pytest
from compliance_support import items_of, row_of, status_of
from multistate_support import imported

from readiness.db import Database


@pytest.fixture(scope="module")
def multistate(practice_db: Database) -> Database:
    return imported(practice_db)


def test_laser_inventory_is_not_required_at_a_new_york_site(multistate: Database) -> None:
    items = items_of(multistate, as_of=date(2026, 3, 9))
    for code in ("NYC1", "NYC2"):
        row = row_of(items, "laser.inventory", code)
        assert (row["status"], row["due_on"]) == ("not_applicable", None)
        assert row["detail"] == "Not required here: applies to sites in TX"


def test_laser_inventory_is_judged_at_a_texas_site(multistate: Database) -> None:
    # Reviewed 2025-11-02, every 12 months: ok until the warning window opens.
    on_time = row_of(items_of(multistate, as_of=date(2026, 3, 9)), "laser.inventory", "AUS1")
    assert (on_time["status"], on_time["due_on"]) == ("ok", date(2026, 11, 2))
    due = items_of(multistate, as_of=date(2026, 11, 2))
    assert status_of(due, "laser.inventory", "AUS1") == "due_soon"
    late = items_of(multistate, as_of=date(2026, 11, 3))
    assert status_of(late, "laser.inventory", "AUS1") == "overdue"


def test_a_procedure_condition_needs_the_state_and_the_procedure(multistate: Database) -> None:
    items = items_of(multistate, as_of=date(2026, 3, 9))
    # AUS1 is in Texas and does laser hair removal: its aesthetician has no certificate.
    assert status_of(items, "tx.hair_removal_operator", "A-2") == "missing"
    # NYC1 does laser hair removal too, but not in Texas.
    nurse = row_of(items, "tx.hair_removal_operator", "N-1")
    assert nurse["status"] == "not_applicable"
    assert nurse["detail"] == (
        "Not required here: applies to sites in TX, performing laser_hair_removal"
    )
    # Arizona's rule applies nowhere in this practice.
    arizona = items[items["requirement"] == "az.hair_removal_operator"]
    assert set(arizona["status"]) == {"not_applicable"}
