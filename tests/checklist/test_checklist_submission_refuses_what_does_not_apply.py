"""A submission is refused, in one clear sentence, when the checklist does not apply."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from checklist_world import ACTOR, LASER_OK, build_site, submit
from sqlalchemy import func, select

from readiness.audit import records
from readiness.db import Database
from readiness.errors import UserError
from readiness.models import Asset, AuditEvent, Staff

CASES = [
    pytest.param({"template_id": "nope"}, "no checklist template 'nope'", id="unknown-template"),
    pytest.param({"site_code": "XXX"}, "no site with code 'XXX'", id="unknown-site"),
    pytest.param({"staff_id": "S-9"}, "no staff member with id 'S-9'", id="unknown-staff"),
    pytest.param({"staff_id": "PHX1-S1"}, "does not work at AUS1", id="staff-of-another-site"),
    pytest.param({"staff_id": "S-4"}, "is not active", id="inactive-staff"),
    pytest.param({"asset_id": "AED-1"}, "site checklist: give no asset", id="asset-on-site-list"),
    pytest.param(
        {"template_id": "laser-preuse-daily", "answers": LASER_OK},
        "give the asset id",
        id="missing-asset",
    ),
    pytest.param(
        {"template_id": "laser-preuse-daily", "asset_id": "AED-1", "answers": LASER_OK},
        "asset AED-1 is of kind aed; laser-preuse-daily is for laser",
        id="wrong-kind",
    ),
    pytest.param(
        {"template_id": "laser-preuse-daily", "asset_id": "L-1-PHX1", "answers": LASER_OK},
        "asset L-1-PHX1 is not at AUS1",
        id="asset-of-another-site",
    ),
    pytest.param(
        {"template_id": "laser-preuse-daily", "asset_id": "L-2", "answers": LASER_OK},
        "asset L-2 is out of service",
        id="out-of-service",
    ),
    pytest.param(
        {"slot_date": date(2026, 3, 8), "now_utc": datetime(2026, 3, 8, 15, tzinfo=UTC)},
        "AUS1 is closed on Sunday 2026-03-08",
        id="closed-day",
    ),
    pytest.param({"slot_date": date(2026, 3, 10)}, "is in the future at AUS1", id="future-day"),
]


@pytest.mark.parametrize(("changes", "message"), CASES)
def test_it_refuses_and_writes_nothing(db: Database, changes: dict[str, Any], message: str) -> None:
    with db.write() as session:
        aus = build_site(session, lasers=2)
        build_site(session, "PHX1")
        leaver = Staff(
            staff_id="S-4", site_id=aus.id, full_name="Sam Gone", role="rn", active=False
        )
        records.create(session, leaver, actor=ACTOR)
        laser = session.scalars(select(Asset).where(Asset.asset_id == "L-2")).one()
        records.update(session, laser, {"status": "out_of_service"}, actor=ACTOR, reason="repair")
    with db.read() as session:
        events = session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(UserError, match=message):
        submit(db, **changes)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == events
