"""The digest e-mail carries the audit chain head, so officers keep one outside the database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reminder_world import OFFICER, TUESDAY_9AM, build_practice, mailer, setup

from readiness.audit import chain as audit
from readiness.db import Database
from readiness.reminders.digest import DigestLine, compose_digest
from readiness.reminders.run import run_pass

if TYPE_CHECKING:
    from smtpserver import SmtpServer

pytest_plugins = ["smtpserver"]


def test_a_digest_given_a_head_prints_it_for_verify() -> None:
    head = (42, "ab" * 32)
    body = compose_digest(OFFICER, [DigestLine("drill", "AUS1: drill due")], head).body
    assert f"Audit chain head: 42:{'ab' * 32}" in body
    assert f"readiness verify --head 42:{'ab' * 32}" in body
    assert "Audit chain head" not in compose_digest(OFFICER, [DigestLine("drill", "x")]).body


def test_the_sent_digest_shows_the_head_at_sending(db: Database, smtp_server: SmtpServer) -> None:
    build_practice(db)
    run_pass(db, setup(), mailer(smtp_server.port), TUESDAY_9AM)
    with db.read() as session:
        seq, digest = audit.head(session)
        assert audit.check_head(session, seq, digest) is None
    assert seq > 0
    (officer,) = smtp_server.to(OFFICER)
    assert f"Audit chain head: {seq}:{digest}" in officer.body
