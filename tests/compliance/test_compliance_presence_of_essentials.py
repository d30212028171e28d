"""Presence of the essentials: a site without an AED, kit, oxygen or extinguisher in
service is `missing` it (its out-of-service units owe no checks, so nothing else says
so), the detail names what is there and its state, and the scenarios that need it are
not ready."""

from __future__ import annotations

import pandas as pd
import pytest
from compliance_support import AS_OF, POLICY, Practice, items_of, row_of

from readiness.compliance import compliance_items, scenario_readiness
from readiness.db import Database
from readiness.policy.pack import Policy

ESSENTIALS = {
    "aed.present": "aed",
    "kit.present": "emergency_kit",
    "oxygen.present": "oxygen",
    "extinguisher.present": "fire_extinguisher",
}


@pytest.fixture(scope="module")
def items(practice_db: Database) -> pd.DataFrame:
    with practice_db.write() as session:
        p = Practice(session)
        good = p.site("GOOD")
        for kind in ESSENTIALS.values():
            p.asset(good, f"G-{kind}", kind)
        away = p.site("AWAY")
        p.asset(away, "A-AED1", "aed", status="out_of_service")
        retired = p.site("RETIRED")
        p.asset(retired, "R-AED1", "aed", status="retired")
        p.asset(retired, "R-AED2", "aed", status="retired")
        p.asset(retired, "R-FX1", "fire_extinguisher", status="retired")
        p.asset(retired, "R-FX2", "fire_extinguisher")
        p.asset(retired, "R-FX3", "fire_extinguisher", status="out_of_service")
        p.site("EMPTY")
    return items_of(practice_db, as_of=AS_OF)


@pytest.mark.parametrize("requirement", sorted(ESSENTIALS))
@pytest.mark.parametrize(
    ("site", "status"),
    [("GOOD", "ok"), ("EMPTY", "missing")],
)
def test_each_essential_is_ok_in_service_and_missing_without(
    items: pd.DataFrame, requirement: str, site: str, status: str
) -> None:
    row = row_of(items, requirement, site)
    assert (row["status"], row["subject_type"], row["due_on"]) == (status, "site", None)


@pytest.mark.parametrize(
    ("requirement", "site", "status", "detail"),
    [
        ("aed.present", "GOOD", "ok", "1 in service: G-aed 'aed G-aed'; minimum 1 in service"),
        (
            "aed.present",
            "AWAY",
            "missing",
            "No AED in service (1 out of service: A-AED1 'aed A-AED1'); minimum 1 in service",
        ),
        (
            "aed.present",
            "RETIRED",
            "missing",
            "No AED in service (2 retired: R-AED1 'aed R-AED1', R-AED2 'aed R-AED2');"
            " minimum 1 in service",
        ),
        (
            "extinguisher.present",
            "RETIRED",
            "ok",
            "1 in service: R-FX2 'fire_extinguisher R-FX2'; 1 out of service:"
            " R-FX3 'fire_extinguisher R-FX3'; 1 retired: R-FX1 'fire_extinguisher R-FX1';"
            " minimum 1 in service",
        ),
        ("aed.present", "EMPTY", "missing", "No AED on record at this site; minimum 1 in service"),
        (
            "kit.present",
            "AWAY",
            "missing",
            "No emergency kit on record at this site; minimum 1 in service",
        ),
    ],
)
def test_the_detail_names_what_is_there_and_its_state(
    items: pd.DataFrame, requirement: str, site: str, status: str, detail: str
) -> None:
    row = row_of(items, requirement, site)
    assert (row["status"], row["detail"]) == (status, detail)


def test_an_aed_away_makes_cardiac_arrest_not_ready(items: pd.DataFrame) -> None:
    # The away AED's own items owe nothing...
    assert row_of(items, "aed.pads", "A-AED1")["status"] == "not_applicable"
    ready = {
        (r["site"], r["scenario"]): r for r in scenario_readiness(items, POLICY).to_dict("records")
    }
    # ...but its absence blocks, as do the missing kit and oxygen.
    blocking = ready[("AWAY", "cardiac_arrest")]["blocking"]
    assert {"requirement": "aed.present", "subject": "AWAY", "status": "missing"} in blocking
    assert {b["requirement"] for b in ready[("GOOD", "cardiac_arrest")]["blocking"]}.isdisjoint(
        ESSENTIALS
    )
    fire = {b["requirement"] for b in ready[("EMPTY", "fire")]["blocking"]}
    assert "extinguisher.present" in fire and "aed.present" not in fire
    burn = {b["requirement"] for b in ready[("EMPTY", "laser_burn")]["blocking"]}
    assert "extinguisher.present" in burn
    anaphylaxis = {b["requirement"] for b in ready[("EMPTY", "anaphylaxis")]["blocking"]}
    assert {"kit.present", "oxygen.present"} <= anaphylaxis


def test_the_minimum_is_read_from_the_policy(items: pd.DataFrame, practice_db: Database) -> None:
    aed = POLICY.requirements["aed.present"]
    two = POLICY.model_copy(
        update={
            "requirements": {
                **POLICY.requirements,
                "aed.present": aed.model_copy(update={"minimum": 2}),
            }
        }
    )
    assert isinstance(two, Policy)
    with practice_db.read() as session:
        found = compliance_items(session, two, as_of=AS_OF, sites=["GOOD"])
    row = row_of(found, "aed.present", "GOOD")
    assert (row["status"], row["detail"]) == (
        "missing",
        "1 in service: G-aed 'aed G-aed'; minimum 2 in service",
    )
