"""Incidents of each clinic: complications at random plus the pinned ones, their
follow-ups and corrective actions; case references are pseudonymous."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Final

from readiness.demo import catalog
from readiness.demo.clinic import OPERATORS, Clinic, Horizon, Person, local
from readiness.demo.evidence import corrective_action, lifecycle, open_day
from readiness.demo.writer import Change, Rec
from readiness.models import Incident, IncidentFollowup
from readiness.models.incident import NO_PROTOCOL
from readiness.policy.handouts import current_protocols

INCIDENTS_PER_YEAR: Final = 3.0


def incidents(clinic: Clinic, h: Horizon) -> list[Rec]:
    """Complications at random, plus the pinned ones; case references are set later."""
    rng = clinic.rng("incidents")
    kinds = list(catalog.INCIDENT_KINDS)
    weights = [catalog.INCIDENT_KINDS[k].weight for k in kinds]
    chance = INCIDENTS_PER_YEAR / (52 * len(clinic.open_days))
    recs: list[Rec] = []
    for day in h.days():
        if clinic.is_open(day) and rng.random() < chance:
            recs += _incident(clinic, h, rng, rng.choices(kinds, weights)[0], day)
    span = (h.end - h.start).days
    if "incident_open" in clinic.features:
        day = open_day(clinic, h, h.end - timedelta(days=min(12, span)))
        recs += _incident(clinic, h, rng, "burn", day, severity="moderate", keep_open=True)
    if "epi_below_min" in clinic.features:
        day = open_day(clinic, h, h.end - timedelta(days=min(9, span)))
        recs += _incident(clinic, h, rng, "anaphylaxis", day, severity="major", uses_pen=True)
    if "incident_cluster" in clinic.features and span >= 80:
        # Three blistering cases by one operator within 90 days: a retraining flag.
        operator = (clinic.on_staff(h.end, ("aesthetician", "rn")) or [clinic.director()])[0]
        for back in (75, 40, 10):
            day = open_day(clinic, h, h.end - timedelta(days=min(back, span)))
            recs += _incident(clinic, h, rng, "blistering", day, operator=operator)
    return recs


def _protocol_followed(kind_name: str) -> dict[str, str | None]:
    """The demo's teams follow the protocol of the incident's type (none for the others)."""
    protocols = current_protocols()
    name = protocols.for_incident(kind_name)
    version = protocols.version_of(name) if name else None
    return {"protocol": name or NO_PROTOCOL, "protocol_version": version, "protocol_reason": None}


def _incident(
    clinic: Clinic,
    h: Horizon,
    rng: random.Random,
    kind_name: str,
    day: date,
    *,
    severity: str | None = None,
    operator: Person | None = None,
    keep_open: bool = False,
    uses_pen: bool = False,
) -> list[Rec]:
    kind = catalog.INCIDENT_KINDS[kind_name]
    severity = severity or rng.choice(kind.severities)
    operators = clinic.on_staff(day, OPERATORS) or [clinic.director()]
    operator = operator or rng.choice(operators)
    lasers = clinic.devices_of("laser", day)
    laser = rng.choice(lasers) if kind.laser and lasers else None
    occurred = local(day, rng.randint(9 * 60, 17 * 60 + 30), clinic.tz)
    at = occurred + timedelta(minutes=rng.randint(20, 150))
    transferred = kind_name == "anaphylaxis" or (kind_name == "syncope" and rng.random() < 0.05)
    reportable = (
        transferred
        or kind_name in ("anaphylaxis", "laser_eye_exposure")
        or (kind_name == "burn" and severity != "minor")
    )
    deadline = catalog.REPORTING_DAYS.get(clinic.city.state) if reportable else None
    referral = kind.referral if severity != "minor" or kind_name == "laser_eye_exposure" else None
    row = {
        "site_id": clinic.pk,
        "occurred_at": occurred,
        "case_ref": "",
        "incident_type": kind_name,
        "severity": severity,
        "asset_pk": laser.pk if laser else None,
        "operator_pk": operator.pk,
        "description": rng.choice(kind.descriptions),
        "actions_taken": rng.choice(kind.actions),
        "referral": referral,
        "transferred": transferred,
        "possibly_reportable": reportable,
        "report_due_on": day + timedelta(days=deadline) if deadline is not None else None,
        "logged_by": (clinic.lso(day) or operator).pk,
        **_protocol_followed(kind_name),
        **lifecycle(at),
    }
    incident = Rec(Incident, at, row)
    recs = [incident, *_followups(clinic, h, incident, day, kind.followup_days, rng)]
    if kind.corrective and (severity != "minor" or keep_open):
        closes = (
            None
            if keep_open
            else local(day + timedelta(days=rng.randint(5, 30)), 16 * 60, clinic.tz)
        )
        recs.append(
            corrective_action(
                clinic,
                h,
                source="incident",
                source_rec=incident,
                opened_at=at + timedelta(minutes=2),
                description=kind.corrective,
                severity="major" if severity != "critical" else "critical",
                due_on=day + timedelta(days=14),
                requirement="laser.service" if kind_name == "device_malfunction" else None,
                subject=laser.asset_id if laser and kind_name == "device_malfunction" else None,
                closes_at=closes,
            )
        )
    if uses_pen:
        _use_pen(clinic, day, at)
    return recs


def _followups(
    clinic: Clinic,
    h: Horizon,
    incident: Rec,
    day: date,
    offsets: tuple[int, ...],
    rng: random.Random,
) -> list[Rec]:
    recs = []
    for offset in offsets:
        due = day + timedelta(days=offset)
        row = {"incident_id": None, "due_on": due, "done_on": None, "note": None}
        rec = Rec(
            IncidentFollowup,
            incident.at + timedelta(minutes=1),
            row,
            links={"incident_id": incident},
        )
        done = due + timedelta(days=rng.randint(0, 3))
        if done <= h.end and rng.random() > 0.08:
            note = rng.choice(
                (
                    "Reviewed: healing as expected.",
                    "Resolved; no further follow-up needed.",
                    "Reviewed with photographs; improving.",
                )
            )
            rec.changes.append(
                Change(
                    local(done, 15 * 60, clinic.tz),
                    {"done_on": done, "note": note},
                    "Follow-up done",
                )
            )
        recs.append(rec)
    return recs


def _use_pen(clinic: Clinic, day: date, at: datetime) -> None:
    """One adult auto-injector used: the lot in use drops by one and is not yet replaced."""
    lots = [lot for lot in clinic.lots if lot.item == "epinephrine_adult" and lot.on_hand(day)]
    if not lots:
        return
    lot = max(lots, key=lambda candidate: candidate.expires_on)
    left = lot.on_hand(day) - 1
    lot.used.append((day, left))
    assert lot.rec is not None
    reason = "One auto-injector used in an anaphylaxis emergency; replacement ordered"
    lot.rec.changes.append(Change(at + timedelta(minutes=5), {"quantity": left}, reason))


def assign_case_refs(incident_recs: list[Rec]) -> None:
    """C-YYYY-NNNN, numbered through each year across the whole practice, in time order."""
    counters: dict[int, int] = {}
    for rec in sorted(incident_recs, key=lambda r: (r.row["occurred_at"], r.row["site_id"])):
        year = rec.row["occurred_at"].year
        counters[year] = counters.get(year, 0) + 1
        rec.row["case_ref"] = f"C-{year}-{counters[year]:04d}"
