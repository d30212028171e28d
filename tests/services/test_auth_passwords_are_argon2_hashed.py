"""Passwords are argon2 hashes, checked at sign-in; the audit trail keeps only a digest."""

from __future__ import annotations

import json

import pytest
from factories import site
from sqlalchemy import select

from readiness.audit import chain as audit
from readiness.db import Database
from readiness.errors import UserError
from readiness.models import AuditEvent, User
from readiness.services import users as auth

PASSWORD = "a long enough secret"


def test_it_stores_an_argon2_hash_and_checks_it(db: Database) -> None:
    with db.write() as session:
        auth.create_user(
            session, username="Officer.Ann", role="officer", password=PASSWORD, actor="os:it"
        )
    with db.write() as session:
        user = session.scalars(select(User)).one()
        assert user.username == "officer.ann"
        assert user.password_hash is not None and user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
        assert auth.authenticate(session, "officer.ann", "wrong password") is None
        assert auth.authenticate(session, "nobody", PASSWORD) is None
        who = auth.authenticate(session, "  Officer.Ann ", PASSWORD)
    assert who == auth.Principal("officer.ann", "officer", None, None)
    assert who.actor == "user:officer.ann"


def test_the_audit_trail_keeps_a_digest_not_the_hash(db: Database) -> None:
    with db.write() as session:
        auth.create_user(session, username="ann", role="admin", password=PASSWORD, actor="os:it")
        auth.set_password(session, "ann", "another long secret", actor="os:it")
    with db.read() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.entity == "users")).all()
        hashes = [u.password_hash for u in session.scalars(select(User))]
        assert audit.verify(session).ok
    assert [(e.action, e.actor, e.reason) for e in events] == [
        ("create", "os:it", "user added as admin"),
        ("update", "os:it", "password set"),
    ]
    for event in events:
        after = json.loads(event.after or "{}")
        assert "$argon2" not in (event.after or "") and after["password_hash"] != hashes[0]


def test_a_disabled_user_cannot_sign_in_and_the_last_admin_stays(db: Database) -> None:
    with db.write() as session:
        auth.create_user(session, username="ann", role="admin", password=PASSWORD, actor="t")
        auth.create_user(session, username="bob", role="inspector", password=PASSWORD, actor="t")
        assert auth.disable_user(session, "bob", actor="t")
        assert not auth.disable_user(session, "bob", actor="t")
        assert auth.authenticate(session, "bob", PASSWORD) is None
        assert auth.signed_in(session, "bob") is None
        with pytest.raises(UserError, match="last active admin"):
            auth.disable_user(session, "ann", actor="t")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"password": "short"}, "at least 10 characters"),
        ({"password": "Carol.Smith1", "username": "carol.smith1"}, "must not be the user name"),
        ({"role": "owner"}, "role must be one of staff, officer, inspector, admin"),
        ({"username": "no spaces please"}, "user name 'no spaces please'"),
        ({"role": "staff"}, "a staff user belongs to one site"),
        ({"site_code": "NOPE"}, "no site with code 'NOPE'"),
        ({"email": "not-an-address"}, "not an e-mail address"),
    ],
)
def test_bad_users_are_refused_with_a_reason(
    db: Database, kwargs: dict[str, str], message: str
) -> None:
    args = {"username": "carol", "role": "officer", "password": PASSWORD} | kwargs
    with db.write() as session:
        site(session)
        with pytest.raises(UserError, match=message):
            auth.create_user(session, actor="t", **args)


def test_a_staff_user_belongs_to_their_staff_members_site(db: Database) -> None:
    from factories import staff

    with db.write() as session:
        staff(session, site(session, "PHX1", "America/Phoenix"), "S-9")
        auth.create_user(
            session, username="tab", role="staff", password=PASSWORD, staff_id="S-9", actor="t"
        )
        who = auth.signed_in(session, "tab")
    assert who == auth.Principal("tab", "staff", ("PHX1",), "S-9")
