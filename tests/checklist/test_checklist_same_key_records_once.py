"""The same idempotency key twice (a double tap, a retry) makes one run and one set of events."""

from __future__ import annotations

import pytest
from checklist_world import OPENING_OK, build_site, submit
from sqlalchemy import func, select

from readiness.db import Database
from readiness.errors import UserError
from readiness.models import AuditEvent, ChecklistRun, CorrectiveAction


def _counts(db: Database) -> tuple[int, int, int]:
    with db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(ChecklistRun)) or 0,
            session.scalar(select(func.count()).select_from(CorrectiveAction)) or 0,
            session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
        )


def test_the_second_submission_with_the_key_writes_nothing(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    low_oxygen = OPENING_OK | {"o2_psi": 700}
    first = submit(db, key="tablet-1:form-7", answers=low_oxygen)
    after_first = _counts(db)
    again = submit(db, key="tablet-1:form-7", answers=low_oxygen)

    assert _counts(db) == after_first
    assert after_first[:2] == (1, 1)
    assert (first.created, again.created) == (True, False)
    assert again.run.id == first.run.id
    assert [a.id for a in again.actions] == [a.id for a in first.actions]
    assert "already recorded (same key)" in again.describe()


def test_a_key_is_never_reused_for_another_checklist(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    submit(db, key="k-1")
    with pytest.raises(UserError, match="key 'k-1' was already used for run 1"):
        submit(db, key="k-1", template_id="kit-monthly", asset_id="KIT-1")
