"""An amendment supersedes a run with corrected answers and a reason; the original stays visible."""

from __future__ import annotations

import pytest
from checklist_world import ACTOR, AFTER_TEN, OPENING_OK, build_site, submit
from sqlalchemy import select

from readiness.audit import chain as audit
from readiness.db import Database
from readiness.errors import UserError
from readiness.models import AuditEvent, ChecklistResponse, ChecklistRun
from readiness.services.checklist_runs import Submission, amend_checklist


def _amend(
    db: Database, run_id: int, answers: dict[str, object], reason: str = "typo"
) -> Submission:
    with db.write() as session:
        return amend_checklist(session, run_id, answers, reason, actor=ACTOR, now_utc=AFTER_TEN)


def test_it_supersedes_the_run_and_keeps_the_original(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    first = submit(db).run
    amended = _amend(db, first.id, OPENING_OK | {"o2_psi": 900}, reason="gauge misread: 900")

    with db.read() as session:
        runs = {run.id: run for run in session.scalars(select(ChecklistRun))}
        o2 = session.scalars(
            select(ChecklistResponse.value).where(
                ChecklistResponse.run_id == amended.run.id, ChecklistResponse.item_id == "o2_psi"
            )
        ).one()
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
        reasons = session.scalars(select(AuditEvent.reason).where(AuditEvent.action == "supersede"))
        assert audit.verify(session).ok
    old, new = runs[first.id], runs[amended.run.id]
    assert (old.record_state, new.record_state) == ("superseded", "current")
    assert new.supersedes_id == old.id and new.slot_key == old.slot_key
    assert (new.signature_name, new.submitted_at) == (old.signature_name, old.submitted_at)
    assert o2 == "900 psi" and not new.passed
    assert [a.requirement for a in amended.actions] == ["oxygen.daily_pressure"]
    assert actions[-3:] == ["supersede", "create", "create"]  # old run, new run, its action
    assert list(reasons) == ["gauge misread: 900"]


def test_it_needs_a_reason_and_a_current_run(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    first = submit(db).run
    with pytest.raises(UserError, match="needs a reason"):
        _amend(db, first.id, OPENING_OK, reason=" ")
    _amend(db, first.id, OPENING_OK | {"storage_temp_c": 22})
    with pytest.raises(UserError, match="is superseded: amend the current one"):
        _amend(db, first.id, OPENING_OK)
