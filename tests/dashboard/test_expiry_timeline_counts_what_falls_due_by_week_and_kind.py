"""The expiry timeline's read model: what falls due in the next 90 days (certificates, AED
pads and batteries, drugs, service and calibration), counted per week and kind; lapsed items,
items that need attention already, later ones and daily checks are left to the lists."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from readiness.policy.current import current_policy
from readiness.views.expiry_timeline import KINDS, kind_of, timeline

TODAY = date(2026, 3, 9)  # a Monday


def row(site: str, requirement: str, days_left: int, subject: str = "x") -> dict[str, object]:
    return {
        "site": site,
        "requirement": requirement,
        "subject": subject,
        "status": "due_soon" if days_left < 30 else "ok",
        "due_on": TODAY + timedelta(days=days_left),
        "days_left": days_left,
    }


def test_items_are_counted_per_week_and_kind() -> None:
    rows = pd.DataFrame(
        [
            row("AUS1", "aed.pads", 2),
            row("PHX1", "aed.pads", 4),
            row("AUS1", "cert.bls", 3, "S-1"),
            row("AUS1", "cert.acls", 9, "S-2"),
            row("AUS1", "stock.epinephrine_adult", 37),
            row("PHX1", "laser.service", 90),
            row("AUS1", "aed.battery", 91),  # beyond the 90 days
            row("AUS1", "cert.lso", -3),  # lapsed: "needs attention", not the timeline
            row("AUS1", "aed.daily_check", 0),  # a daily check is not an expiry
            {**row("PHX1", "stock.epinephrine_adult", 20), "status": "missing"},  # needs attention
        ]
    )
    weeks = timeline(rows, current_policy())
    assert weeks.to_dict("records") == [
        {"week": date(2026, 3, 9), "kind": "Certificates", "items": 1, "sites": 1},
        {"week": date(2026, 3, 9), "kind": "AED pads", "items": 2, "sites": 2},
        {"week": date(2026, 3, 16), "kind": "Certificates", "items": 1, "sites": 1},
        {"week": date(2026, 4, 13), "kind": "Drugs", "items": 1, "sites": 1},
        {"week": date(2026, 6, 1), "kind": "Service and calibration", "items": 1, "sites": 1},
    ]


def test_every_kind_comes_from_the_policy() -> None:
    policy = current_policy()
    found = {kind_of(r) for r in policy.requirements.values()} - {None}
    assert found == set(KINDS)
    assert kind_of(policy.requirements["aed.daily_check"]) is None


def test_nothing_due_is_an_empty_timeline() -> None:
    weeks = timeline(pd.DataFrame([row("AUS1", "cert.bls", 120)]), current_policy())
    assert weeks.empty and list(weeks.columns) == ["week", "kind", "items", "sites"]
