"""`verify` passes on a clean chain and names what was changed behind the application's back."""

from __future__ import annotations

import pytest
from factories import small_practice
from sqlalchemy import text

from readiness.audit import chain as audit
from readiness.db import Database


def _verify(db: Database) -> audit.VerifyResult:
    with db.read() as session:
        return audit.verify(session)


def _raw(db: Database, sql: str) -> None:
    with db.engine.begin() as conn:
        conn.execute(text(sql))


@pytest.fixture
def practice(db: Database) -> Database:
    with db.write() as session:
        small_practice(session)
    return db


def test_it_passes_on_a_clean_database(practice: Database) -> None:
    result = _verify(practice)
    assert result.ok, result.problems
    assert result.events == 9
    assert result.records == 9


def test_it_catches_a_raw_update_of_a_record(practice: Database) -> None:
    _raw(practice, "UPDATE staff SET full_name = 'Someone Else' WHERE staff_id = 'S-1'")
    problems = _verify(practice).problems
    assert problems == [
        "staff 2: differs from its last audited state (changed behind the application's back)"
    ]


def test_it_catches_a_raw_delete_of_a_record(practice: Database) -> None:
    _raw(practice, "DELETE FROM certifications WHERE id = 2")
    problems = _verify(practice).problems
    assert problems == [
        "certifications 2: audited record is missing (deleted behind the application's back)"
    ]


def test_it_catches_a_raw_insert_of_a_record(practice: Database) -> None:
    _raw(
        practice,
        "INSERT INTO sites (id, code, name, timezone, open_days, treats_children, active)"
        " VALUES (99, 'X1', 'Ghost', 'UTC', 'mon', false, true)",
    )
    assert _verify(practice).problems == [
        "sites 99: no audit event records this row (inserted behind the application's back)"
    ]


def test_it_catches_an_edited_audit_event(practice: Database) -> None:
    _raw(practice, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 4")
    assert _verify(practice).problems == [
        "audit chain broken at sequence 4: its content does not match its hash"
        " (the event was edited)"
    ]


def test_it_catches_a_deleted_audit_event(practice: Database) -> None:
    _raw(practice, "DELETE FROM audit_events WHERE seq = 5")
    assert _verify(practice).problems == [
        "audit chain broken at sequence 5: next event found is 6 (an event was deleted)"
    ]


def test_it_catches_deleting_the_last_event_and_its_record(practice: Database) -> None:
    """Trimming the tail leaves an unaudited record, since the record is still there."""
    _raw(practice, "DELETE FROM audit_events WHERE seq = 9")
    problems = _verify(practice).problems
    assert problems == [
        "assets 1: no audit event records this row (inserted behind the application's back)"
    ]


def test_it_catches_reordered_audit_events(practice: Database) -> None:
    _raw(practice, "UPDATE audit_events SET seq = 1000 WHERE seq = 3")
    _raw(practice, "UPDATE audit_events SET seq = 3 WHERE seq = 4")
    _raw(practice, "UPDATE audit_events SET seq = 4 WHERE seq = 1000")
    assert _verify(practice).problems[0].startswith("audit chain broken at sequence 3")
