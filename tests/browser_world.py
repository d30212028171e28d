"""The practice the browser walkthrough runs on: the demo, its accounts, and a known today.

The demo's history ends the day before today in UTC, which in the evening in the
Americas is the sites' own today: so today's opening check at the staff user's site
is voided if the demo did it (the browser does it), and the previous open day's is
filled if the demo missed it, so that the daily items can turn green today.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from checklist_world import OPENING_OK
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness import clock
from readiness.audit import records
from readiness.db import Database
from readiness.demo import build_demo
from readiness.migrate import upgrade
from readiness.models import ChecklistRun, Site, Staff, User
from readiness.rules import slots
from readiness.services.checklist_runs import submit_checklist
from readiness.services.users import ensure_demo_users

OPENING = "opening-daily"


def prepare(db: Database) -> dict[str, Any]:
    """Build the demo and its users; returns the staff user's site, today and signer."""
    upgrade(db.engine)
    build_demo(db, sites=2, days=30, seed=1, if_empty=False)
    with db.write() as session:
        accounts = {
            user: password for user, _, password in ensure_demo_users(session, actor="test")
        }
        staff_user = session.scalars(select(User).where(User.username == "staff")).one()
        site = session.get(Site, staff_user.site_id)
        signer = session.get(Staff, staff_user.staff_pk)
        assert site is not None and signer is not None
        today = slots.site_today(clock.utc_now(), site.timezone)
        _void_today(session, site, today)
        _fill_previous_open_day(session, site, signer, today)
        return {"site": site.code, "signer": signer.full_name, "today": today, "accounts": accounts}


def _void_today(session: Session, site: Site, today: date) -> None:
    """Today's opening check is the browser's to do."""
    query = select(ChecklistRun).where(
        ChecklistRun.site_id == site.id,
        ChecklistRun.template_id == OPENING,
        ChecklistRun.slot_date == today,
        ChecklistRun.record_state == "current",
    )
    for run in session.scalars(query):
        records.void(session, run, actor="test", reason="the browser test does today's check")


def _fill_previous_open_day(session: Session, site: Site, signer: Staff, today: date) -> None:
    """The latest ended slot done (late if need be), so only today's slot is open."""
    open_days = slots.parse_open_days(site.open_days)
    day = today - timedelta(days=1)
    while day.weekday() not in open_days:
        day -= timedelta(days=1)
    done = session.scalar(
        select(ChecklistRun.id).where(
            ChecklistRun.site_id == site.id,
            ChecklistRun.template_id == OPENING,
            ChecklistRun.slot_date == day,
            ChecklistRun.record_state == "current",
        )
    )
    if done is None:
        answers = OPENING_OK | {"kit_seal.note": "seal replaced (test setup)"}
        submit_checklist(
            session, site_code=site.code, template_id=OPENING, staff_id=signer.staff_id,
            answers=answers, slot_date=day, actor="test", now_utc=clock.utc_now(),
        )  # fmt: skip
