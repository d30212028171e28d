"""Closing a corrective action records the resolution and the closer's name, audited, once."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from checklist_world import ACTOR, OPENING_OK, build_site, submit
from sqlalchemy import select

from readiness.audit import chain as audit
from readiness.db import Database
from readiness.errors import UserError
from readiness.models import AuditEvent, CorrectiveAction
from readiness.services.corrective_actions import close_corrective_action

FIXED_AT = datetime(2026, 3, 9, 15, 40, tzinfo=UTC)


def _close(db: Database, ca_id: int, resolution: str = "Cylinder replaced, 2000 psi") -> None:
    with db.write() as session:
        close_corrective_action(session, ca_id, resolution, "Dr Maya Chen", ACTOR, FIXED_AT)


def test_it_closes_with_resolution_and_name(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    (action,) = submit(db, answers=OPENING_OK | {"o2_psi": 800}).actions
    _close(db, action.id)
    with db.read() as session:
        closed = session.get_one(CorrectiveAction, action.id)
        event = session.scalars(
            select(AuditEvent).where(
                AuditEvent.entity == "corrective_actions", AuditEvent.action == "update"
            )
        ).one()
        assert audit.verify(session).ok
    assert (closed.status, closed.closed_by, closed.closed_at) == (
        "closed",
        "Dr Maya Chen",
        FIXED_AT,
    )
    assert closed.resolution == "Cylinder replaced, 2000 psi"
    assert (event.actor, event.reason) == (ACTOR, "Cylinder replaced, 2000 psi")
    assert json.loads(event.before or "{}")["status"] == "open"
    assert json.loads(event.after or "{}")["status"] == "closed"


def test_closing_twice_or_without_a_resolution_is_refused(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    (action,) = submit(db, answers=OPENING_OK | {"o2_psi": 800}).actions
    with pytest.raises(UserError, match="needs a resolution"):
        _close(db, action.id, resolution="  ")
    _close(db, action.id)
    with pytest.raises(UserError, match="already closed by Dr Maya Chen"):
        _close(db, action.id)
    with pytest.raises(UserError, match="no corrective action 999"):
        _close(db, 999)
