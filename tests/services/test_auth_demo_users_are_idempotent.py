"""The demo accounts: one per role (staff at the first site), made once, documented passwords."""

from __future__ import annotations

from factories import site, staff
from sqlalchemy import func, select

from readiness.db import Database
from readiness.models import AuditEvent
from readiness.services import users as auth


def test_it_makes_one_account_per_role_once(db: Database) -> None:
    with db.write() as session:
        aus = site(session, "AUS1")
        site(session, "PHX1", "America/Phoenix")
        staff(session, aus, "S-2")
        staff(session, aus, "S-1")
        made = auth.ensure_demo_users(session, actor="demo")
    assert made == [(role, role, auth.DEMO_PASSWORDS[role]) for role in auth.ROLES]
    with db.read() as session:
        events = session.scalar(select(func.count()).select_from(AuditEvent))
    with db.write() as session:
        assert auth.ensure_demo_users(session, actor="demo") == made
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == events
        for username, role, password in made:
            who = auth.authenticate(session, username, password)
            assert who is not None and who.role == role
        assert auth.signed_in(session, "staff") == auth.Principal(
            "staff", "staff", ("AUS1",), "S-1"
        )
        assert auth.signed_in(session, "officer") == auth.Principal("officer", "officer")


def test_without_sites_there_is_no_staff_account_yet(db: Database) -> None:
    with db.write() as session:
        made = auth.ensure_demo_users(session, actor="demo")
    assert [role for _, role, _ in made] == ["officer", "inspector", "admin"]
