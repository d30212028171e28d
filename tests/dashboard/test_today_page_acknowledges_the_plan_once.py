"""The Today page's "Emergency plan" section shows the site's numbers and roles and lets the
signed-in nurse acknowledge the current version: recorded once, even when the same form
is sent twice, after which the section says when she acknowledged it."""

from __future__ import annotations

import pytest
from checklist_world import ACTOR, BEFORE_TEN, build_site
from sqlalchemy import func, select
from today_page import open_today

from readiness.access import Principal
from readiness.db import Database
from readiness.models import PlanAcknowledgement
from readiness.services.plan_acknowledgements import acknowledge_plan
from readiness.services.site_contacts import change_site_plan


def _count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(PlanAcknowledgement)) or 0


def test_the_nurse_reads_and_acknowledges_once(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite_db.write() as session:
        site = build_site(session)
        change_site_plan(
            session,
            site,
            effective_from=BEFORE_TEN.date(),
            reason="the site's first plan",
            actor=ACTOR,
            contacts={"emergency_number": "911", "ed_name": "St David's"},
            roles={("all", "lead"): "S-2"},
        )
    at = open_today(sqlite_db, monkeypatch)
    (plan,) = at.expander
    assert plan.label.startswith("Emergency plan (version ")
    assert plan.label.endswith("please read and acknowledge")
    shown = "\n".join(m.value for m in plan.markdown)
    assert "**Emergency:** 911" in shown and "St David's" in shown
    assert "Lee Park (S-2) leads" in shown
    assert "**Poison control:** not on file" in shown

    at.button(key="plan_submit").click().run()
    assert "Tick the box to say you have read the plan" in at.error[0].value
    assert _count(sqlite_db) == 0

    key = at.session_state["plan_form_key"]
    at.checkbox(key="plan_read").check()
    at.button(key="plan_submit").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Ana Lopez acknowledged the emergency plan (version ")
    assert _count(sqlite_db) == 1
    assert "You acknowledged this version on 09 March 2026." in [s.value for s in at.success]

    # The same form sent again (a second tap before the page redrew) records nothing new.
    with sqlite_db.write() as session:
        version = session.scalars(select(PlanAcknowledgement.plan_version)).one()
        again = acknowledge_plan(
            session,
            Principal("staff-s-1", "staff", ("AUS1",), "S-1"),
            site_code="AUS1",
            staff_id="S-1",
            plan_version=version,
            pin=None,
            now_utc=BEFORE_TEN,
            key=key,
        )
    assert not again.created and _count(sqlite_db) == 1


def test_an_officer_sees_who_has_not_acknowledged(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite_db.write() as session:
        build_site(session)
    at = open_today(sqlite_db, monkeypatch, staff_id=None)
    (plan,) = at.expander
    assert not plan.label.endswith("please read and acknowledge")  # not linked to staff
    assert "plan_submit" not in [b.key for b in at.button]
    waiting = [c.value for c in plan.caption if c.value.startswith("Not acknowledged yet")]
    assert waiting == ["Not acknowledged yet (3 people): Ana Lopez, Dr Maya Chen, Lee Park"]
