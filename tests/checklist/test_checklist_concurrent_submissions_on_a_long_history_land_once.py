"""Twenty tablets at once on a site with three years of checks: each submission lands once.

The look-ups are made before the writers' lock (`prepare_checklist` in a read session)
and only the recording holds it (`record_checklist`), as the Today page can. Ten forms
are each submitted twice at the same moment (a double tap on two tablets): ten runs,
the other ten answered with the run already recorded, and an unbroken audit chain.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from checklist_world import ACTOR, OPENING_OK, SITE, build_site
from sqlalchemy import func, select

from readiness.audit import chain as audit
from readiness.audit import records
from readiness.checklist.in_force import templates_in_force
from readiness.checklist.slot import slot_key
from readiness.db import Database
from readiness.models import ChecklistResponse, ChecklistRun, Site, Staff
from readiness.services.checklist_runs import Submission, record_checklist
from readiness.services.prepared_runs import prepare_checklist
from readiness.services.template_versions import record_version

DAYS = 1_095
FIRST_DAY = date(2023, 3, 1)
NOW = datetime(2026, 3, 9, 15, 0, tzinfo=UTC)
TABLETS = 20


def _history(db: Database) -> None:
    """An opening check on each of DAYS days, all reading seal A-1001 (one bulk write)."""
    opening = templates_in_force()["opening-daily"]
    with db.write() as session:
        site = build_site(session)
        signer = session.scalars(select(Staff).where(Staff.staff_id == "S-1")).one()
        record_version(session, opening, actor=ACTOR, now_utc=NOW)
        runs = [
            _run(opening.version, site, signer, FIRST_DAY + timedelta(days=n)) for n in range(DAYS)
        ]
        records.create_many(session, [(run, None) for run in runs], actor=ACTOR, at=NOW)


def _run(version: str, site: Site, signer: Staff, day: date) -> ChecklistRun:
    at = datetime.combine(day, time(13, 0), tzinfo=UTC)
    return ChecklistRun(
        template_id="opening-daily",
        template_version=version,
        site_id=site.id,
        slot_date=day,
        slot_key=slot_key("opening-daily", SITE, None, day),
        idempotency_key=f"history-{day}",
        submitted_by=signer.id,
        submitted_at=at,
        signature_name=signer.full_name,
        signature_meaning="performed",
        late=False,
        passed=True,
        responses=[
            ChecklistResponse(item_id=item, value=str(value), passed=True)
            for item, value in OPENING_OK.items()
        ],
    )


def _tablet(url: str, n: int, barrier: threading.Barrier, out: list[Any]) -> None:
    db = Database(url)
    answers = {
        "reason": f"Drill {n % 10}",
        "items_used": "Trainer auto-injector",
        "restocked": True,
        "contents_checked": True,
        "epi_adult_count": 2,
        "epi_adult_expiry": "2027-01-31",
        "kit_seal": f"B-{n % 10}",
    }
    try:
        barrier.wait()
        with db.read() as session:
            prepared = prepare_checklist(
                session,
                site_code=SITE,
                template_id="kit-restock",
                staff_id="S-1",
                asset_id="KIT-1",
                answers=answers,
                now_utc=NOW,
                key=f"restock-{n % 10}",
            )
        with db.write() as session:
            out.append(record_checklist(session, prepared, actor=ACTOR))
    except BaseException as error:  # collected and asserted on below
        out.append(error)
    finally:
        db.dispose()


def test_twenty_tablets_on_three_years_of_history_record_each_form_once(db: Database) -> None:
    _history(db)
    barrier = threading.Barrier(TABLETS)
    out: list[Any] = []
    threads = [
        threading.Thread(target=_tablet, args=(db.url, n, barrier, out)) for n in range(TABLETS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert [item for item in out if not isinstance(item, Submission)] == []
    assert sorted(item.created for item in out) == [False] * 10 + [True] * 10
    with db.read() as session:
        restocks = session.scalars(
            select(ChecklistRun).where(ChecklistRun.template_id == "kit-restock")
        ).all()
        assert sorted(run.idempotency_key for run in restocks) == [
            f"restock-{n}" for n in range(10)
        ]
        assert session.scalar(select(func.count()).select_from(ChecklistRun)) == DAYS + 10
        result = audit.verify(session)
    assert result.ok, result.problems[:3]
