"""Twenty tablets checking twenty lasers at once: every run lands and the audit chain holds."""

from __future__ import annotations

import threading

from checklist_world import ACTOR, BEFORE_TEN, LASER_OK, SITE, build_site
from sqlalchemy import func, select

from readiness.audit import chain as audit
from readiness.db import Database
from readiness.models import ChecklistRun, ChecklistTemplateVersion
from readiness.services.checklist_runs import submit_checklist

LASERS = 20


def _tablet(url: str, n: int, barrier: threading.Barrier, errors: list[BaseException]) -> None:
    db = Database(url)
    try:
        barrier.wait()
        with db.write() as session:
            submit_checklist(
                session,
                site_code=SITE,
                template_id="laser-preuse-daily",
                staff_id="S-1",
                asset_id=f"L-{n}",
                answers=LASER_OK,
                actor=ACTOR,
                now_utc=BEFORE_TEN,
            )
    except BaseException as error:  # collected and asserted on below
        errors.append(error)
    finally:
        db.dispose()


def test_every_laser_check_is_recorded(db: Database) -> None:
    with db.write() as session:
        build_site(session, lasers=LASERS)
    barrier = threading.Barrier(LASERS)
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=_tablet, args=(db.url, n, barrier, errors))
        for n in range(1, LASERS + 1)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(ChecklistRun)) == LASERS
        # The first writer recorded the template version; the others found it.
        assert session.scalar(select(func.count()).select_from(ChecklistTemplateVersion)) == 1
        result = audit.verify(session)
    assert result.ok, result.problems[:3]
