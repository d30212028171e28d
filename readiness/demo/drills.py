"""Emergency drills of each clinic: every scenario on its rhythm, timed, now and then failed
and drilled again, with the participants on staff that day."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from readiness.demo import catalog
from readiness.demo.clinic import Clinic, Horizon, local
from readiness.demo.evidence import corrective_action, history_cut, lifecycle, open_day, recurring
from readiness.demo.writer import Rec
from readiness.models import Drill


def drills(clinic: Clinic, h: Horizon) -> list[Rec]:
    rng = clinic.rng("drills")
    recs: list[Rec] = []
    for scenario, months in catalog.DRILL_INTERVALS.items():
        gap = "drill_gap" in clinic.features and scenario == "cardiac_arrest"
        for day in recurring(rng, h, months, overdue=gap, gap=0.06, late=0.15):
            recs += _drill(clinic, h, scenario, open_day(clinic, h, day), rng)
    return recs


def _drill(clinic: Clinic, h: Horizon, scenario: str, day: date, rng: random.Random) -> list[Rec]:
    held_at = local(day, rng.choice((8 * 60, 8 * 60 + 15, 12 * 60 + 30, 17 * 60 + 15)), clinic.tz)
    at = max(h.t0, held_at + timedelta(minutes=rng.randint(40, 90)))
    people = clinic.on_staff(day)
    if scenario != "fire":
        people = rng.sample(people, min(len(people), rng.randint(3, 6)))
    aed = epi = oxygen = None
    if scenario == "cardiac_arrest":
        aed = _seconds(rng, 125, 35, 50, 320)
        oxygen = _seconds(rng, 150, 40, 60, 360)
        failed = aed > 180  # the policy's target time to the AED
    elif scenario == "anaphylaxis":
        epi = _seconds(rng, 100, 40, 30, 300)
        oxygen = _seconds(rng, 140, 40, 60, 360)
        failed = epi > 180
    else:
        failed = rng.random() < 0.05
    if failed:
        went_wrong, action = catalog.DRILL_FAIL[scenario]
        debrief = f"{went_wrong} Action: {action}"
    else:
        debrief = rng.choice(catalog.DRILL_PASS_DEBRIEFS[scenario])
    row = {
        "site_id": clinic.pk,
        "scenario": scenario,
        "held_at": held_at,
        "outcome": "fail" if failed else "pass",
        "time_to_aed_s": aed,
        "time_to_epinephrine_s": epi,
        "time_to_oxygen_s": oxygen,
        "debrief": debrief,
        **lifecycle(at),
    }
    drill = Rec(Drill, at, row, children=[{"staff_pk": p.pk} for p in people])
    if not failed:
        return [drill]
    requirement = "drill.laser_eye" if scenario == "laser_eye_exposure" else f"drill.{scenario}"
    closes = local(day + timedelta(days=rng.randint(14, 35)), 17 * 60, clinic.tz)
    follow_up = corrective_action(
        clinic,
        h,
        source="drill",
        source_rec=drill,
        opened_at=held_at + timedelta(minutes=95),
        description=catalog.DRILL_FAIL[scenario][1],
        severity="major",
        due_on=day + timedelta(days=30),
        requirement=requirement,
        closes_at=closes,
        resolution="Done and re-drilled; the target was met.",
    )
    return [drill, follow_up, *_re_drill(clinic, h, scenario, closes)]


def _re_drill(clinic: Clinic, h: Horizon, scenario: str, closes: datetime) -> list[Rec]:
    """The passing repeat drill the follow-up's resolution speaks of, held the day it closes.

    A failed drill keeps its requirement failed until a passing one (none after the history).
    """
    if closes >= history_cut(clinic, h):
        return []
    rng = clinic.rng(f"re-drill|{scenario}|{closes.isoformat()}")
    held_at = closes - timedelta(hours=4)
    at = max(h.t0, held_at + timedelta(minutes=45))
    day = held_at.astimezone(ZoneInfo(clinic.tz)).date()
    people = clinic.on_staff(day)
    people = rng.sample(people, min(len(people), 4))
    timed = scenario in ("cardiac_arrest", "anaphylaxis")
    row = {
        "site_id": clinic.pk,
        "scenario": scenario,
        "held_at": held_at,
        "outcome": "pass",
        "time_to_aed_s": rng.randint(70, 150) if scenario == "cardiac_arrest" else None,
        "time_to_epinephrine_s": rng.randint(60, 140) if scenario == "anaphylaxis" else None,
        "time_to_oxygen_s": rng.randint(80, 160) if timed else None,
        "debrief": "Repeat drill after the corrective action; the target was met.",
        **lifecycle(at),
    }
    return [Rec(Drill, at, row, children=[{"staff_pk": p.pk} for p in people])]


def _seconds(rng: random.Random, mean: float, sd: float, low: int, high: int) -> int:
    return int(min(high, max(low, rng.gauss(mean, sd))))
