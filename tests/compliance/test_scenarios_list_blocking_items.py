"""Scenario readiness from compliance items: blocked by failed, overdue, expired or
missing items the policy lists for the scenario, for any subject; never by due_soon,
ok or not_applicable ones; the mapping comes from the policy."""

from __future__ import annotations

import pandas as pd
import pytest
from compliance_support import POLICY

from readiness.compliance import COLUMNS, scenario_readiness
from readiness.policy.pack import Policy


def items(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    """Items from (site, requirement, subject, status); the other columns do not matter."""
    frame = pd.DataFrame(rows, columns=["site", "requirement", "subject", "status"])
    for column in COLUMNS:
        if column not in frame:
            frame[column] = None
    return frame[list(COLUMNS)]


def readiness(frame: pd.DataFrame, policy: Policy = POLICY) -> dict[tuple[str, str], dict]:
    table = scenario_readiness(frame, policy)
    return {(row["site"], row["scenario"]): row for row in table.to_dict("records")}


def test_every_site_gets_every_scenario_of_the_policy() -> None:
    found = readiness(
        items(("AUS1", "drill.fire", "AUS1", "ok"), ("PHX1", "drill.fire", "PHX1", "ok"))
    )
    assert sorted(found) == sorted(
        (site, name) for site in ("AUS1", "PHX1") for name in POLICY.scenarios
    )
    assert all(row["ready"] and row["blocking"] == [] for row in found.values())


@pytest.mark.parametrize(
    ("status", "ready"),
    [
        ("failed", False),
        ("overdue", False),
        ("expired", False),
        ("missing", False),
        ("due_soon", True),
        ("ok", True),
        ("not_applicable", True),
    ],
)
def test_only_the_blocking_statuses_block(status: str, ready: bool) -> None:
    found = readiness(items(("AUS1", "stock.epinephrine_adult", "AUS1", status)))
    assert found[("AUS1", "anaphylaxis")]["ready"] is ready
    # The same item is no requirement of the fire scenario.
    assert found[("AUS1", "fire")]["ready"] is True


def test_blocking_lists_each_item_worst_first() -> None:
    found = readiness(
        items(
            ("AUS1", "stock.epinephrine_adult", "AUS1", "missing"),
            ("AUS1", "kit.seal_daily", "AUS1", "overdue"),
            ("AUS1", "oxygen.daily_pressure", "AUS1", "failed"),
            ("AUS1", "staffing.bls_clinician", "AUS1", "due_soon"),
            ("PHX1", "stock.epinephrine_adult", "PHX1", "expired"),
        )
    )
    assert found[("AUS1", "anaphylaxis")]["blocking"] == [
        {"requirement": "oxygen.daily_pressure", "subject": "AUS1", "status": "failed"},
        {"requirement": "kit.seal_daily", "subject": "AUS1", "status": "overdue"},
        {"requirement": "stock.epinephrine_adult", "subject": "AUS1", "status": "missing"},
    ]
    assert found[("PHX1", "anaphylaxis")]["blocking"] == [
        {"requirement": "stock.epinephrine_adult", "subject": "PHX1", "status": "expired"}
    ]


def test_any_asset_of_a_per_asset_requirement_blocks() -> None:
    found = readiness(
        items(
            ("AUS1", "laser.daily_check", "L-1", "ok"),
            ("AUS1", "laser.daily_check", "L-2", "overdue"),
            ("AUS1", "laser.daily_check", "L-3", "not_applicable"),
        )
    )
    assert found[("AUS1", "laser_burn")]["blocking"] == [
        {"requirement": "laser.daily_check", "subject": "L-2", "status": "overdue"}
    ]


def test_one_lapsed_card_does_not_block_but_no_bls_clinician_does() -> None:
    # cert.bls supports cardiac arrest without blocking it; staffing.bls_clinician blocks.
    lapsed_card = readiness(items(("AUS1", "cert.bls", "S-1", "expired")))
    assert lapsed_card[("AUS1", "cardiac_arrest")]["ready"] is True
    nobody = readiness(items(("AUS1", "staffing.bls_clinician", "AUS1", "missing")))
    assert nobody[("AUS1", "cardiac_arrest")]["blocking"] == [
        {"requirement": "staffing.bls_clinician", "subject": "AUS1", "status": "missing"}
    ]


def test_the_mapping_is_read_from_the_policy() -> None:
    fire = POLICY.scenarios["fire"]
    stricter = POLICY.model_copy(
        update={
            "scenarios": {
                **POLICY.scenarios,
                "fire": fire.model_copy(update={"requires": [*fire.requires, "cert.bls"]}),
            }
        }
    )
    frame = items(("AUS1", "cert.bls", "S-1", "expired"))
    assert readiness(frame)[("AUS1", "fire")]["ready"] is True
    assert readiness(frame, stricter)[("AUS1", "fire")]["blocking"] == [
        {"requirement": "cert.bls", "subject": "S-1", "status": "expired"}
    ]


def test_no_items_no_rows() -> None:
    assert scenario_readiness(items(), POLICY).empty
