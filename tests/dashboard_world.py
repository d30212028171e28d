"""A small practice for the dashboard tests: two sites, one record of each kind, a user per role.

The clock is pinned by the tests to 08:12 CDT on Monday 2026-03-09 (BEFORE_TEN).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from checklist_world import BEFORE_TEN, build_site, submit
from signin_helpers import make_user
from sqlalchemy import select

from readiness import clock
from readiness.access import Principal
from readiness.audit import records
from readiness.db import Database
from readiness.models import Staff, StockLot, User
from readiness.policy.current import current_policy
from readiness.services.assets import record_service_event
from readiness.services.certifications import add_certification
from readiness.services.drills import ActionPlan, log_drill
from readiness.services.incidents import IncidentReport, log_incident

# The faces load the policy and pass it into each write.
POLICY = current_policy()

ADMIN = Principal("builder", "admin")
TODAY = date(2026, 3, 9)
ROLES = ("staff", "officer", "inspector", "admin")


def build_world(db: Database) -> None:
    """AUS1 and PHX1 with staff, a laser, an AED, a kit; certificates, stock, a service, a
    drill with an open corrective action, an incident, Saturday's opening check at AUS1;
    one user per role (staff at AUS1), named after the role."""
    with db.write() as session:
        build_site(session)
        build_site(session, "PHX1")
        add_certification(
            session,
            ADMIN,
            staff_id="S-1",
            cert_type="bls",
            issued_on=date(2025, 3, 15),
            today=TODAY,
            policy=POLICY,
        )
        add_certification(
            session,
            ADMIN,
            staff_id="S-3",
            cert_type="bls",
            issued_on=date(2023, 1, 10),
            today=TODAY,
            policy=POLICY,
        )
        lot = StockLot(
            site_id=1,
            item="epinephrine_adult",
            lot_number="E-1",
            expires_on=date(2026, 4, 15),
            quantity=1,
        )
        records.create(session, lot, actor="test")
        record_service_event(
            session,
            ADMIN,
            asset_id="L-1",
            kind="service",
            performed_on=date(2025, 6, 1),
            performed_by="Acme Lasers",
            result="pass",
            today=TODAY,
            policy=POLICY,
        )
        log_drill(
            session,
            ADMIN,
            site_code="AUS1",
            scenario="anaphylaxis",
            held_at=datetime(2026, 2, 2, 9, 0),
            participants=["S-1", "S-2"],
            outcome="fail",
            now_utc=BEFORE_TEN,
            actions=[ActionPlan("Move the epinephrine to the treatment room", date(2026, 3, 20))],
            policy=POLICY,
        )
        log_incident(
            session,
            ADMIN,
            IncidentReport(
                site_code="AUS1",
                occurred_at=datetime(2026, 2, 10, 14, 0),
                case_ref="C-2026-0001",
                incident_type="burn",
                severity="minor",
                asset_id="L-1",
                operator_staff_id="S-2",
            ),
            now_utc=BEFORE_TEN,
            policy=POLICY,
        )
    # Saturday's opening check (Sunday is closed): the daily items are due today, not overdue.
    submit(db, slot_date=date(2026, 3, 7))
    for role in ROLES:
        make_user(db, role, "AUS1" if role == "staff" else None, name=role)
    # The staff user is Ana Lopez (S-1): she signs the Today page's checks in her own name.
    with db.write() as session:
        user = session.scalars(select(User).where(User.username == "staff")).one()
        ana = session.scalars(select(Staff).where(Staff.staff_id == "S-1")).one()
        records.update(session, user, {"staff_pk": ana.id}, actor="test", reason="linked")


def pin_the_clock(monkeypatch: pytest.MonkeyPatch, db: Database) -> None:
    """The dashboard on `db` at BEFORE_TEN."""
    monkeypatch.setenv("READINESS_DB_URL", db.url)
    monkeypatch.setattr(clock, "utc_now", lambda: BEFORE_TEN)
