"""The read models behind the pages: lists, matrices, reorder list, drills, incidents."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest
from dashboard_world import ADMIN, TODAY, build_world

from readiness.compliance import compliance_items, scenario_readiness
from readiness.db import Database
from readiness.policy.current import current_policy
from readiness.services.incidents import IncidentReport, log_incident
from readiness.views import overview
from readiness.views.drills import coverage, staff_without_drills
from readiness.views.incidents import incident_log, retraining_flags
from readiness.views.incidents import trend as incident_trend
from readiness.views.staffing import certificate_matrix, gaps_for_role, staff_frame
from readiness.views.stock import reorder_list, stock_lots

# The faces load the policy and pass it into each write.
POLICY = current_policy()

NOW = datetime(2026, 3, 9, 13, 12, tzinfo=UTC)
TODAYS = {"AUS1": TODAY, "PHX1": TODAY}


@pytest.fixture
def world(sqlite_db: Database) -> Database:
    build_world(sqlite_db)
    return sqlite_db


def _items(db: Database) -> pd.DataFrame:
    with db.read() as session:
        return compliance_items(session, current_policy(), now_utc=NOW)


def test_the_lists_agree_with_the_items(world: Database) -> None:
    items = _items(world)
    figures = overview.headline(items, TODAYS, open_actions=1)
    assert figures["open corrective actions"] == 1
    for status in overview.HEADLINE_STATUSES:
        assert figures[status] == (items["status"] == status).sum()
    attention = overview.needs_attention(items, TODAYS)
    assert set(attention["status"]) <= set(overview.NOT_OK)
    worst = [overview.NOT_OK.index(s) for s in attention["status"]]
    assert worst == sorted(worst)  # worst first
    due = overview.due_within(items, TODAYS, 30)
    assert due["days_left"].between(0, 30).all()
    assert set(due["status"]) <= {"ok", "due_soon"}
    assert len(overview.due_within(items, TODAYS, 90)) >= len(due)
    assert figures["due in 30 days"] == len(due)
    only = overview.filtered(items, sites=["PHX1"], categories=["equipment"])
    assert set(only["site"]) == {"PHX1"} and set(only["category"]) == {"equipment"}


def test_the_matrix_shows_each_site_and_what_blocks_it(world: Database) -> None:
    scenarios = scenario_readiness(_items(world), current_policy())
    matrix = overview.readiness_matrix(scenarios)
    assert list(matrix["site"]) == ["AUS1", "PHX1"]
    cell = matrix.loc[matrix["site"] == "AUS1", "anaphylaxis"].item()
    blocking = overview.blocking_items(scenarios, "AUS1")
    count = (blocking["scenario"] == "anaphylaxis").sum()
    assert cell == f"NOT READY ({count})"
    assert "failed" in set(blocking.loc[blocking["requirement"] == "drill.anaphylaxis", "status"])
    assert overview.not_ready_sites(scenarios)[0] in {"AUS1", "PHX1"}


def test_the_reorder_list_keeps_the_minimum_in_date(world: Database) -> None:
    policy = current_policy()
    with world.read() as session:
        lots = stock_lots(session, ["AUS1", "PHX1"], TODAYS)
        reorder = reorder_list(session, policy, ["AUS1", "PHX1"], TODAYS, lots)
    epi = reorder[reorder["item"] == "epinephrine_adult"].set_index("site")
    # AUS1 holds one pen expiring 2026-04-15 (inside 60 days): two to buy, today.
    assert epi.loc["AUS1", "buy"] == 2 and epi.loc["AUS1", "by"] == TODAY
    assert epi.loc["PHX1", "buy"] == 2
    assert "epinephrine_pediatric" not in set(reorder["item"])  # no site treats children
    pads = reorder[reorder["item"] == "aed_pads"]
    assert set(pads["why"]) == {"AED-1: no date on file", "AED-1-PHX1: no date on file"}
    assert lots.loc[0, "state"] == "expiring" and lots.loc[0, "days_left"] == 37


def test_staff_certificates_and_gaps(world: Database) -> None:
    items = _items(world)
    with world.read() as session:
        staff = staff_frame(session, ["AUS1"])
    matrix = certificate_matrix(items[items["site"] == "AUS1"], staff, current_policy()).set_index(
        "staff_id"
    )
    assert matrix.loc["S-1", "cert.bls"] == "ok"
    assert matrix.loc["S-3", "cert.bls"] == "expired"
    gaps = gaps_for_role(items, staff)
    assert ("S-3", "cert.bls", "expired") in set(
        zip(gaps["staff_id"], gaps["requirement"], gaps["status"], strict=True)
    )


def test_drill_coverage_and_staff_without_a_drill(world: Database) -> None:
    items = _items(world)
    table = coverage(items).set_index("site")
    # The only drill (2026-02-02) failed: the requirement was never satisfied.
    assert table.loc["AUS1", "drill.anaphylaxis"] == "failed · never"
    assert table.loc["PHX1", "drill.fire"] == "missing · never"
    with world.read() as session:
        absent = staff_without_drills(session, {"AUS1": TODAY}, current_policy())
    assert list(absent["staff_id"]) == ["S-3"] and list(absent["last_drill"]) == ["never"]


def test_a_recurring_incident_type_flags_retraining(world: Database) -> None:
    with world.write() as session:
        for n, day in enumerate((15, 20), start=2):
            report = IncidentReport(
                "AUS1",
                datetime(2026, 2, day, 11, 0),
                f"C-2026-000{n}",
                "burn",
                "minor",
                asset_id="L-1",
            )
            log_incident(session, ADMIN, report, now_utc=NOW, policy=POLICY)
        log = incident_log(session, ["AUS1", "PHX1"])
    flags = retraining_flags(log, current_policy(), TODAY)
    assert flags.to_dict("records") == [
        {
            "site": "AUS1",
            "incident_type": "burn",
            "incidents": 3,
            "threshold": 3,
            "window_days": 90,
            "last_on": date(2026, 2, 20),
        }
    ]
    assert retraining_flags(log, current_policy(), date(2026, 6, 1)).empty  # outside the window
    by_device = incident_trend(log, "device")
    assert by_device.loc["2026-02", "L-1"] == 3
    assert incident_trend(log, "operator").loc["2026-02", "S-2"] == 1
