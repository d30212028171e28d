"""A staff member with a PIN signs only with it; the PIN is stored argon2-hashed, never in clear."""

from __future__ import annotations

import json

import pytest
from checklist_world import ACTOR, build_site, submit
from sqlalchemy import select

from readiness.db import Database
from readiness.errors import UserError
from readiness.models import AuditEvent, Staff
from readiness.services.signatures import set_pin


def _set(db: Database, pin: str) -> None:
    with db.write() as session:
        person = session.scalars(select(Staff).where(Staff.staff_id == "S-1")).one()
        set_pin(session, person, pin, ACTOR)


def test_no_pin_or_a_wrong_pin_is_refused_and_the_right_one_signs(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    _set(db, "4821")
    with pytest.raises(UserError, match="Ana Lopez signs with a PIN"):
        submit(db)
    with pytest.raises(UserError, match="wrong PIN for Ana Lopez"):
        submit(db, pin="1111")
    submission = submit(db, pin="4821")
    assert (submission.run.signature_name, submission.run.signature_meaning) == (
        "Ana Lopez",
        "performed",
    )


def test_the_pin_is_hashed_and_the_audit_keeps_only_a_digest(db: Database) -> None:
    with db.write() as session:
        build_site(session)
    _set(db, "4821")
    with db.read() as session:
        stored = session.scalars(select(Staff.pin_hash).where(Staff.staff_id == "S-1")).one()
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "staff", AuditEvent.action == "update")
        ).one()
    assert stored is not None and stored.startswith("$argon2")
    after = json.loads(event.after or "{}")
    assert after["pin_hash"].startswith("sha256:")
    assert "4821" not in (event.after or "")


@pytest.mark.parametrize("pin", ["12", "abcd", "12 34", "1234567890123"])
def test_a_pin_is_four_to_twelve_digits(db: Database, pin: str) -> None:
    with db.write() as session:
        build_site(session)
    with pytest.raises(UserError, match="4 to 12 digits"):
        _set(db, pin)
