"""`verify` names a record superseded by two current corrections (two amendments that raced)."""

from __future__ import annotations

from datetime import date

from factories import cert, site, staff
from sqlalchemy import text

from readiness.audit import chain as audit
from readiness.audit import records
from readiness.db import Database
from readiness.models import Certification


def _amended_card(db: Database) -> tuple[int, int]:
    """A card and its one current correction."""
    with db.write() as session:
        old = cert(session, staff(session, site(session)))
        new = records.amend(
            session, old, {"issued_on": date(2025, 3, 16)}, actor="officer", reason="typo"
        )
        return old.id, new.id


def _verify(db: Database) -> audit.VerifyResult:
    with db.read() as session:
        return audit.verify(session)


def test_one_current_correction_is_in_order(db: Database) -> None:
    _amended_card(db)
    result = _verify(db)
    assert result.ok, result.problems


def test_a_second_current_correction_made_by_hand_is_named(db: Database) -> None:
    old_id, new_id = _amended_card(db)
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO certifications (staff_pk, cert_type, issued_on, record_state,"
                " expiry_derived, supersedes_id, recorded_at, recorded_by)"
                " SELECT staff_pk, cert_type, issued_on, 'current', expiry_derived,"
                " supersedes_id, recorded_at, recorded_by FROM certifications WHERE id = :new"
            ),
            {"new": new_id},
        )
    problems = _verify(db).problems
    assert f"certifications {old_id}: 2 current records supersede it" in "\n".join(problems)


def test_a_voided_duplicate_is_no_longer_a_problem_of_currency(db: Database) -> None:
    old_id, new_id = _amended_card(db)
    with db.write() as session:
        extra = Certification(
            staff_pk=session.get(Certification, new_id).staff_pk,  # type: ignore[union-attr]
            cert_type="bls",
            issued_on=date(2025, 3, 17),
            supersedes_id=old_id,
        )
        records.create(session, extra, actor="officer")
    assert "2 current records supersede it" in "\n".join(_verify(db).problems)
    with db.write() as session:
        duplicate = session.get(Certification, extra.id)
        assert duplicate is not None
        records.void(session, duplicate, actor="officer", reason="duplicate correction")
    result = _verify(db)
    assert result.ok, result.problems
