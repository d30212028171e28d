"""A run that still collides on the slot index is refused with the message, not IntegrityError."""

from __future__ import annotations

import pytest
from checklist_world import AFTER_TEN, build_site, submit
from sqlalchemy import func, select

from readiness.audit import chain as audit
from readiness.db import Database
from readiness.errors import UserError
from readiness.models import ChecklistRun
from readiness.services import checklist_runs


def test_the_unique_slot_index_is_translated(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    with db.write() as session:
        build_site(session)
    submit(db, key="first")
    # As if the check ran before the other writer committed: only the index stops it.
    monkeypatch.setattr(checklist_runs, "_refuse_done_slot", lambda *_args: None)
    with pytest.raises(UserError, match="was already submitted by Ana Lopez at 08:12 CDT"):
        submit(db, key="second", staff_id="S-2", now_utc=AFTER_TEN)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(ChecklistRun)) == 1
        assert audit.verify(session).ok


def test_a_collision_on_the_same_key_returns_the_first_run(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.write() as session:
        build_site(session)
    first = submit(db, key="same")
    # A retry racing its first attempt: neither saw the other before inserting.
    monkeypatch.setattr(checklist_runs, "_repeat_of", lambda *_args: None)
    monkeypatch.setattr(checklist_runs, "_refuse_done_slot", lambda *_args: None)
    again = submit(db, key="same")
    assert (again.created, again.run.id) == (False, first.run.id)
