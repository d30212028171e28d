"""A small practice for the reminder tests, and helpers to run passes against an SMTP server.

AUS1 (America/Chicago, open every day): Ana (S-1, RN, ana@clinic.test) whose BLS
card expires on 2026-05-01; Lee (S-2, NP, lee@clinic.test), current BLS, who owns a
corrective action due 2026-03-05; Dr Chen (S-3, medical director, no e-mail); an
officer user (officer@clinic.test); an incident logged by Ana on 2026-03-02 with a
follow-up due 2026-03-09; two in-date adult epinephrine pens.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import cache
from typing import TypeVar

import pandas as pd
from sqlalchemy.orm import Session

from readiness.audit import records
from readiness.checklist.in_force import templates_in_force
from readiness.compliance import COLUMNS
from readiness.config import Settings
from readiness.db import Database
from readiness.models import (
    Certification,
    CorrectiveAction,
    Incident,
    IncidentFollowup,
    Site,
    Staff,
    StockLot,
    User,
)
from readiness.models.base import Base
from readiness.policy.pack import Policy, load_policy
from readiness.policy.templates import Template
from readiness.reminders.facts import Directory, Facts, Officer
from readiness.reminders.mailer import SmtpMailer
from readiness.reminders.plan import Plan, ReminderRules, plan_reminders
from readiness.reminders.run import PassSetup

ACTOR = "test"
SITE = "AUS1"
TZ = "America/Chicago"
ANA, LEE, OFFICER = "ana@clinic.test", "lee@clinic.test", "officer@clinic.test"
SENDER = "readiness@clinic.test"
BLS_EXPIRES = date(2026, 5, 1)
# Tuesday 2026-03-10, 09:00 CDT: after the 07:00 digest, before the 10:00 checks are late.
TUESDAY_9AM = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)

R = TypeVar("R", bound=Base)


@cache
def policy() -> Policy:
    """The default policy pack."""
    return load_policy()


@cache
def templates() -> Mapping[str, Template]:
    """The default checklist templates, with the policy applied."""
    return templates_in_force(None, policy())


def setup(officer_email: str = "") -> PassSetup:
    """A pass setup with the real compliance engine."""
    return PassSetup.of(policy(), templates(), officer_email)


def fixed_items(items: pd.DataFrame, officer_email: str = "") -> PassSetup:
    """A pass setup whose compliance items are the given frame, whatever the database says."""
    base = setup(officer_email)
    return PassSetup(base.policy, base.templates, base.rules, officer_email, lambda *_: items)


def smtp_settings(port: int) -> Settings:
    """Settings pointing at the test SMTP server."""
    return Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_from=SENDER)


def mailer(port: int) -> SmtpMailer:
    """An SMTP mailer for the test server."""
    return SmtpMailer(smtp_settings(port))


def build_practice(db: Database, *, officer: bool = True) -> None:
    """The practice described in the module docstring (without the officer user if asked)."""
    with db.write() as session:
        site = _add(session, Site(code=SITE, name="Clinic AUS1", timezone=TZ))
        ana = _person(session, site, "S-1", "Ana Lopez", "rn", ANA)
        lee = _person(session, site, "S-2", "Lee Park", "np", LEE)
        _person(session, site, "S-3", "Dr Maya Chen", "medical_director", None)
        _card(session, ana, date(2024, 4, 20), BLS_EXPIRES)
        _card(session, lee, date(2025, 6, 1), date(2027, 6, 30))
        if officer:
            user = User(username="olga", role="officer", email=OFFICER, created_at=TUESDAY_9AM)
            _add(session, user)
        _add(
            session,
            CorrectiveAction(
                site_id=site.id,
                source="manual",
                description="Replace the cracked eyewear lens",
                owner_pk=lee.id,
                due_on=date(2026, 3, 5),
                opened_at=datetime(2026, 3, 1, 15, tzinfo=UTC),
                opened_by=ACTOR,
            ),
        )
        incident = _add(
            session,
            Incident(
                site_id=site.id,
                occurred_at=datetime(2026, 3, 2, 17, tzinfo=UTC),
                case_ref="C-0001",
                incident_type="blistering",
                severity="minor",
                logged_by=ana.id,
            ),
        )
        session.add(IncidentFollowup(incident_id=incident.id, due_on=date(2026, 3, 9)))
        session.add(
            StockLot(
                site_id=site.id,
                item="epinephrine_adult",
                lot_number="EPI-1",
                expires_on=date(2027, 1, 31),
                quantity=2,
            )
        )


def _add(session: Session, record: R) -> R:
    """Create a record through the audited service and flush it for its id."""
    created = records.create(session, record, actor=ACTOR)
    session.flush()
    return created


def _person(
    session: Session, site: Site, staff_id: str, name: str, role: str, email: str | None
) -> Staff:
    return _add(
        session,
        Staff(staff_id=staff_id, site_id=site.id, full_name=name, role=role, email=email),
    )


def _card(session: Session, person: Staff, issued: date, expires: date) -> None:
    _add(
        session,
        Certification(staff_pk=person.id, cert_type="bls", issued_on=issued, expires_on=expires),
    )


# --- pure planner inputs ------------------------------------------------------------

ZONES = {"AUS1": "America/Chicago", "PHX1": "America/Phoenix"}
DIRECTORY = Directory(
    staff_emails={"S-1": ANA, "S-2": LEE},
    site_staff={"AUS1": (ANA, LEE)},
    officers=(Officer(OFFICER),),
)
RULES = ReminderRules(
    tiers={"cert.bls": (90, 60, 30), "aed.pads": (60,), "laser.service": (30,)},
    escalation_after_days=7,
    every_days=7,
)
# (category, subject_type) by requirement prefix, as the default policy has them.
_KINDS = {
    "cert": ("certification", "staff"),
    "aed": ("equipment", "asset"),
    "laser": ("equipment", "asset"),
    "stock": ("stock", "site"),
    "doc": ("document", "site"),
    "drill": ("drill", "site"),
    "oxygen": ("checklist", "site"),
    "plan": ("document", "staff"),
}


def item(
    requirement: str = "cert.bls",
    subject: str = "S-1",
    status: str = "due_soon",
    due_on: date | None = None,
    *,
    site: str = SITE,
    detail: str = "",
) -> dict[str, object]:
    """One compliance item row."""
    category, subject_type = _KINDS[requirement.split(".")[0]]
    return {
        "site": site,
        "category": category,
        "requirement": requirement,
        "subject_type": subject_type,
        "subject": subject,
        "status": status,
        "due_on": pd.Timestamp(due_on) if due_on else pd.NaT,
        "last_done_on": pd.NaT,
        "detail": detail or f"{requirement} {status}",
    }


def items(*rows: dict[str, object]) -> pd.DataFrame:
    """A compliance items frame of the given rows (empty with its columns when none)."""
    return pd.DataFrame(list(rows), columns=list(COLUMNS))


def facts(**changes: object) -> Facts:
    """Facts of AUS1 and PHX1 with DIRECTORY, changed as given."""
    return replace(Facts(zones=ZONES, directory=DIRECTORY, summary_zone=TZ), **changes)


def plan_at(now: datetime, frame: pd.DataFrame, **changes: object) -> Plan:
    """The plan over the frame and facts(**changes) at now."""
    return plan_reminders(frame, facts(**changes), RULES, now)


def keys_to(plan: Plan, recipient: str) -> set[str]:
    """The keys of the plan's reminders for one recipient."""
    return {r.key for r in plan.reminders if r.recipient == recipient}
