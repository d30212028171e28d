"""A submission prepared before the writers' lock is judged again by what changed meanwhile.

Two tablets read the same state; one records first. The other's recording, under the
lock, must see that: a newer seal number, the slot now done, the kit taken out of
service. Otherwise the first to prepare would win whatever the second recorded.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from checklist_world import ACTOR, BEFORE_TEN, OPENING_OK, build_site, submit
from sqlalchemy import func, select

from readiness.audit import chain as audit
from readiness.audit import records
from readiness.db import Database
from readiness.errors import UserError
from readiness.models import Asset, ChecklistRun
from readiness.policy.answers import AnswerError
from readiness.services.checklist_runs import record_checklist
from readiness.services.prepared_runs import Prepared, prepare_checklist

TUESDAY = date(2026, 3, 10)
TUESDAY_8AM = datetime(2026, 3, 10, 13, 0, tzinfo=UTC)
RESTOCK: dict[str, Any] = {
    "reason": "Drill on Monday",
    "items_used": "Trainer auto-injector",
    "restocked": True,
    "contents_checked": True,
    "epi_adult_count": 2,
    "epi_adult_expiry": "2027-01-31",
    "kit_seal": "A-1001",
}


def _prepare(db: Database, **kwargs: Any) -> Prepared:
    args: dict[str, Any] = {
        "site_code": "AUS1",
        "template_id": "kit-restock",
        "staff_id": "S-1",
        "asset_id": "KIT-1",
        "answers": RESTOCK,
        "now_utc": TUESDAY_8AM,
    }
    with db.read() as session:
        return prepare_checklist(session, **(args | kwargs))


def _record(db: Database, prepared: Prepared) -> None:
    with db.write() as session:
        record_checklist(session, prepared, actor=ACTOR)


def _runs(db: Database) -> int:
    with db.read() as session:
        assert audit.verify(session).ok
        return session.scalar(select(func.count()).select_from(ChecklistRun)) or 0


def test_a_seal_changed_meanwhile_is_compared_with_the_newer_number(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    submit(db)  # Monday's opening check reads seal A-1001
    opening = {"template_id": "opening-daily", "asset_id": None, "answers": OPENING_OK}
    tuesday = _prepare(db, **opening, slot_date=TUESDAY)  # A-1001 again: nothing to explain
    assert all(result.passed for result in tuesday.results)
    resealed = _prepare(db, answers=RESTOCK | {"kit_seal": "B-2002"})
    _record(db, resealed)  # the kit is restocked and resealed first
    with pytest.raises(AnswerError, match="seal number changed from B-2002 to A-1001"):
        _record(db, tuesday)
    assert _runs(db) == 2


def test_a_slot_done_meanwhile_is_refused_under_the_lock(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    args = {"template_id": "opening-daily", "asset_id": None, "answers": OPENING_OK}
    first = _prepare(db, **args, now_utc=BEFORE_TEN)
    second = _prepare(db, **args, staff_id="S-2", now_utc=BEFORE_TEN)
    _record(db, first)
    with pytest.raises(UserError, match="was already submitted by Ana Lopez at 08:12 CDT"):
        _record(db, second)
    assert _runs(db) == 1


def test_a_kit_taken_out_of_service_meanwhile_is_refused(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    prepared = _prepare(db)
    with db.write() as session:
        kit = session.scalars(select(Asset).where(Asset.asset_id == "KIT-1")).one()
        records.update(session, kit, {"status": "out_of_service"}, actor=ACTOR, reason="lost")
    with pytest.raises(UserError, match="asset KIT-1 is out of service"):
        _record(db, prepared)
    assert _runs(db) == 0
