"""change_site_plan: every change is a new dated row with its reason and author, audited;
the same values make nothing; a same-day correction wins while the first stays on record;
a change dated before the latest is refused; a duty given to no one is printed as missing;
only officers and admins of the site may change it. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from checklist_world import ACTOR, build_site
from sqlalchemy import func, select

from readiness.access import AccessDenied, Principal
from readiness.audit import chain as audit
from readiness.db import Database
from readiness.errors import UserError
from readiness.export.plan.facts import site_facts
from readiness.models import AuditEvent, EmergencyRole, Site, SiteContacts
from readiness.services.site_contacts import change_site_plan, change_site_plan_as

JAN, FEB = date(2026, 1, 5), date(2026, 2, 1)


def change(db: Database, on: date, phone: str, lead: str = "rn", reason: str = "r") -> str:
    with db.write() as session:
        site = session.scalars(select(Site).where(Site.code == "AUS1")).one()
        done = change_site_plan(
            session,
            site,
            effective_from=on,
            reason=reason,
            actor=ACTOR,
            contacts={"ed_phone": phone},
            roles={("all", "lead"): lead},
        )
        return done.describe()


def count(db: Database, model: type) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def phone_and_lead(db: Database, on: date) -> tuple[str | None, str | None]:
    with db.read() as session:
        facts = site_facts(session, "AUS1", as_of=on)
    lead = facts.role("fire", "lead")
    return facts.contacts["ed_phone"], None if lead is None else lead.text


def test_versions_by_day_corrections_and_refusals(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    assert change(db, JAN, "512-555-0100").startswith("Recorded a new version")
    assert change(db, JAN, "512-555-0100").startswith("Nothing changed")
    change(db, FEB, "512-555-0199", lead="")
    change(db, FEB, "512-555-0198", lead="", reason="typo in the new number")
    assert phone_and_lead(db, date(2026, 1, 4)) == (None, None)
    assert phone_and_lead(db, JAN) == ("512-555-0100", "the RN on duty")
    assert phone_and_lead(db, FEB) == ("512-555-0198", None)
    assert (count(db, SiteContacts), count(db, EmergencyRole)) == (3, 2)
    with pytest.raises(UserError, match="would rewrite what it said since"):
        change(db, JAN, "512-555-0000")
    with pytest.raises(UserError, match="say why"):
        change(db, FEB, "512-555-0001", reason=" ")
    with db.read() as session:
        latest = session.scalars(select(SiteContacts).order_by(SiteContacts.id.desc())).first()
        assert latest is not None
        assert (latest.reason, latest.recorded_by) == ("typo in the new number", ACTOR)
        events = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.entity == "site_contacts")
        )
        assert events == 3
        assert audit.verify(session).ok


def test_only_officers_and_admins_of_the_site_change_it(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    args = {
        "site_code": "AUS1",
        "effective_from": JAN,
        "reason": "r",
        "contacts": {"ed_phone": "1"},
        "roles": None,
    }
    for who in (
        Principal("ana", "staff", ("AUS1",), "S-1"),
        Principal("ins", "inspector"),
        Principal("off", "officer", ("PHX1",)),
    ):
        with db.write() as session, pytest.raises(AccessDenied):
            change_site_plan_as(session, who, **args)  # type: ignore[arg-type]
    with db.write() as session:
        done = change_site_plan_as(session, Principal("off", "officer"), **args)  # type: ignore[arg-type]
        assert done.changed
    # A form drawn before that change is refused, not applied over it.
    with db.write() as session, pytest.raises(UserError, match="changed while this page"):
        change_site_plan_as(session, Principal("off", "officer"), based_on="0:0", **args)  # type: ignore[arg-type]
