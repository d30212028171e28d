"""Two tablets submitting the same slot at once: exactly one run, a clear message for the other."""

from __future__ import annotations

import threading

from checklist_world import ACTOR, BEFORE_TEN, OPENING_OK, SITE, build_site
from sqlalchemy import select

from readiness.audit import chain as audit
from readiness.db import Database
from readiness.errors import UserError
from readiness.models import ChecklistRun
from readiness.services.checklist_runs import submit_checklist

TABLETS = 2


def _tablet(url: str, n: int, barrier: threading.Barrier, outcomes: list[object]) -> None:
    db = Database(url)
    try:
        barrier.wait()
        with db.write() as session:
            submission = submit_checklist(
                session,
                site_code=SITE,
                template_id="opening-daily",
                staff_id="S-1" if n == 0 else "S-2",
                answers=OPENING_OK | {"o2_psi": 1500 + n},
                key=f"tablet-{n}",
                actor=ACTOR,
                now_utc=BEFORE_TEN,
            )
            outcomes.append(submission.run.id)
    except BaseException as error:  # collected and asserted on below
        outcomes.append(error)
    finally:
        db.dispose()


def test_one_run_lands_and_the_other_tablet_is_told_why(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    barrier = threading.Barrier(TABLETS)
    outcomes: list[object] = []
    threads = [
        threading.Thread(target=_tablet, args=(db.url, n, barrier, outcomes))
        for n in range(TABLETS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(outcomes) == TABLETS
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], UserError), repr(errors[0])
    assert "opening-daily for AUS1 on 2026-03-09 was already submitted by" in str(errors[0])
    assert "amend it with a reason instead" in str(errors[0])
    with db.read() as session:
        runs = session.scalars(select(ChecklistRun)).all()
        assert audit.verify(session).ok
    assert len(runs) == 1
