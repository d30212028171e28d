"""plan.acknowledged end to end: when every member of a site's staff acknowledged the
current plan it is ok for each; a new member of staff owes it, and a new version of the
plan (a changed number) is owed again by everyone, until they acknowledge it."""

from __future__ import annotations

from datetime import date

from checklist_world import ACTOR, BEFORE_TEN, build_site
from sqlalchemy import select

from readiness.access import Principal
from readiness.audit import records
from readiness.compliance import compliance_items
from readiness.compliance.plan_versions import plan_versions
from readiness.db import Database
from readiness.models import Site, Staff
from readiness.policy.current import current_policy
from readiness.services.plan_acknowledgements import acknowledge_plan
from readiness.services.site_contacts import change_site_plan

TODAY = date(2026, 3, 9)
STAFF = {"S-1": "Ana", "S-2": "Lee", "S-3": "Maya"}


def statuses(db: Database, as_of: date = TODAY) -> dict[str, tuple[str, str]]:
    with db.read() as session:
        items = compliance_items(session, current_policy(), as_of=as_of, now_utc=BEFORE_TEN)
    rows = items[items["requirement"] == "plan.acknowledged"]
    return {str(r.subject): (str(r.status), str(r.detail)) for r in rows.itertuples(index=False)}


def acknowledge_all(db: Database, people: list[str]) -> None:
    with db.write() as session:
        site = session.scalars(select(Site).where(Site.code == "AUS1")).one()
        version = plan_versions(session, [site.id])[site.id]
        for staff_id in people:
            acknowledge_plan(
                session,
                Principal(STAFF.get(staff_id, staff_id).lower(), "staff", ("AUS1",), staff_id),
                site_code="AUS1",
                staff_id=staff_id,
                plan_version=version,
                pin=None,
                now_utc=BEFORE_TEN,
            )


def test_all_acknowledged_then_a_newcomer_and_a_new_version(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    before = statuses(db)
    assert {s for s, _ in before.values()} == {"missing"}
    assert before["S-1"][1].startswith("Has not acknowledged the emergency plan (version ")

    acknowledge_all(db, list(STAFF))
    after = statuses(db)
    assert {s for s, _ in after.values()} == {"ok"}, after
    assert after["S-2"][1].startswith("Acknowledged the emergency plan (version ")
    assert after["S-2"][1].endswith(" on 2026-03-09")
    # The day before they signed, it was still owed.
    assert {s for s, _ in statuses(db, date(2026, 3, 8)).values()} == {"missing"}

    with db.write() as session:
        site = session.scalars(select(Site).where(Site.code == "AUS1")).one()
        newcomer = Staff(staff_id="S-9", site_id=site.id, full_name="Kim Roe", role="front_desk")
        records.create(session, newcomer, actor=ACTOR)
    joined = statuses(db)
    assert joined["S-9"][0] == "missing"
    assert {joined[s][0] for s in STAFF} == {"ok"}

    with db.write() as session:
        site = session.scalars(select(Site).where(Site.code == "AUS1")).one()
        change_site_plan(
            session,
            site,
            effective_from=TODAY,
            reason="new ED phone",
            actor=ACTOR,
            contacts={"ed_phone": "512-555-0100"},
        )
    changed = statuses(db)
    assert {s for s, _ in changed.values()} == {"missing"}
    assert changed["S-1"][1].startswith(
        "The emergency plan changed since it was acknowledged on 2026-03-09"
    )

    acknowledge_all(db, ["S-1", "S-9"])
    final = statuses(db)
    assert (final["S-1"][0], final["S-9"][0]) == ("ok", "ok")
    assert (final["S-2"][0], final["S-3"][0]) == ("missing", "missing")


def test_staff_who_left_owe_nothing(db: Database) -> None:
    with db.write() as session:
        build_site(session)
        lee = session.scalars(select(Staff).where(Staff.staff_id == "S-2")).one()
        records.update(session, lee, {"active": False}, actor=ACTOR, reason="left")
    found = statuses(db)
    assert found["S-2"][0] == "not_applicable"
