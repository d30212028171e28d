"""The slots of many sites and days read at once (the reminder pass) are those each site's
day shows on its own: closed days, done and owed slots, weekly and monthly ones alike."""

from __future__ import annotations

from datetime import UTC, date, datetime

from checklist_world import LASER_OK, build_site, submit
from sqlalchemy import select

from readiness.checklist.due import due_slots, slots_of_days
from readiness.db import Database
from readiness.models import Site
from readiness.policy.templates import load_templates

SUNDAY, MONDAY, TUESDAY = date(2026, 3, 8), date(2026, 3, 9), date(2026, 3, 10)
# Tuesday 18:00 in Chicago: Tuesday's daily slots are overdue unless done.
TUESDAY_EVENING = datetime(2026, 3, 10, 23, 0, tzinfo=UTC)


def test_one_read_for_all_sites_gives_each_site_day_its_own_slots(db: Database) -> None:
    templates = load_templates()
    with db.write() as session:
        build_site(session)
        build_site(session, "DAL1", lasers=2)
    submit(db)  # AUS1's Monday opening check
    submit(db, slot_date=TUESDAY, now_utc=datetime(2026, 3, 10, 13, 0, tzinfo=UTC))
    submit(
        db,
        site_code="DAL1",
        staff_id="DAL1-S1",
        template_id="laser-preuse-daily",
        asset_id="L-2-DAL1",
        answers=LASER_OK,
        slot_date=TUESDAY,
        now_utc=datetime(2026, 3, 10, 14, 0, tzinfo=UTC),
    )
    with db.read() as session:
        sites = list(session.scalars(select(Site).order_by(Site.code)))
        wanted = [(site, day) for site in sites for day in (SUNDAY, MONDAY, TUESDAY)]
        together = slots_of_days(session, wanted, TUESDAY_EVENING, templates)
        alone = {
            (site.code, day): due_slots(session, site.code, day, TUESDAY_EVENING, templates)
            for site, day in wanted
        }
    assert together == alone
    # The world is not trivial: a closed day, done and overdue slots at both sites.
    assert together[("AUS1", SUNDAY)] == []
    statuses = {(code, s.status) for (code, _), slots in together.items() for s in slots}
    assert {
        ("AUS1", "done"),
        ("AUS1", "overdue"),
        ("DAL1", "done"),
        ("DAL1", "overdue"),
    } <= statuses
