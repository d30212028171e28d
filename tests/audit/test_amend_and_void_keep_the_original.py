"""A correction supersedes, a mistake is voided: the original stays visible and audited."""

from __future__ import annotations

import json
from datetime import date

import pytest
from factories import cert, site, staff
from sqlalchemy import select

from readiness.audit import chain as audit
from readiness.audit import records
from readiness.db import Database
from readiness.errors import UserError
from readiness.models import AuditEvent, Certification


@pytest.fixture
def card_id(db: Database) -> int:
    with db.write() as session:
        return cert(session, staff(session, site(session))).id


def test_amend_supersedes_with_a_reason(db: Database, card_id: int) -> None:
    with db.write() as session:
        old = session.get(Certification, card_id)
        assert old is not None
        new = records.amend(
            session, old, {"issued_on": date(2025, 3, 16)}, actor="officer", reason="typo on card"
        )
        new_id = new.id
    with db.read() as session:
        rows = session.scalars(select(Certification).order_by(Certification.id)).all()
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
        assert audit.verify(session).ok
    assert [(r.id, r.record_state, r.issued_on) for r in rows] == [
        (card_id, "superseded", date(2025, 3, 15)),
        (new_id, "current", date(2025, 3, 16)),
    ]
    assert rows[1].supersedes_id == card_id
    supersede, amend = events[-2:]
    assert (supersede.action, supersede.entity_id, supersede.reason) == (
        "supersede",
        str(card_id),
        "typo on card",
    )
    assert json.loads(supersede.before or "")["record_state"] == "current"
    assert (amend.action, amend.actor) == ("create", "officer")


def test_void_keeps_the_row_with_its_reason(db: Database, card_id: int) -> None:
    with db.write() as session:
        old = session.get(Certification, card_id)
        assert old is not None
        records.void(session, old, actor="officer", reason="entered for the wrong person")
    with db.read() as session:
        row = session.get(Certification, card_id)
        assert row is not None
        assert (row.record_state, row.void_reason) == ("voided", "entered for the wrong person")
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        assert last is not None and last.action == "void"
        assert json.loads(last.before or "")["void_reason"] is None
        assert audit.verify(session).ok


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_amend_and_void_need_a_reason(db: Database, card_id: int, reason: str | None) -> None:
    with pytest.raises(UserError, match="needs a reason"), db.write() as session:
        old = session.get(Certification, card_id)
        assert old is not None
        records.void(session, old, actor="officer", reason=reason)


def test_evidence_cannot_be_edited_in_place(db: Database, card_id: int) -> None:
    with pytest.raises(UserError, match="cannot be changed in place"), db.write() as session:
        old = session.get(Certification, card_id)
        assert old is not None
        old.issued_on = date(2020, 1, 1)
    with db.read() as session:
        row = session.get(Certification, card_id)
        assert row is not None and row.issued_on == date(2025, 3, 15)


def test_evidence_cannot_be_deleted(db: Database, card_id: int) -> None:
    with pytest.raises(UserError, match="never deleted"), db.write() as session:
        session.delete(session.get(Certification, card_id))


def test_a_superseded_record_cannot_be_amended_again(db: Database, card_id: int) -> None:
    with db.write() as session:
        old = session.get(Certification, card_id)
        assert old is not None
        records.amend(session, old, {"provider": "AHA"}, actor="a", reason="add provider")
    with pytest.raises(UserError, match="is superseded"), db.write() as session:
        old = session.get(Certification, card_id)
        assert old is not None
        records.amend(session, old, {"provider": "Red Cross"}, actor="a", reason="again")


def test_amend_carries_the_rows_that_belong_to_the_record(db: Database) -> None:
    """Amending a drill's debrief keeps its participants on the new version."""
    from datetime import UTC, datetime

    from readiness.models import Drill, DrillParticipant

    with db.write() as session:
        place = site(session)
        people = [staff(session, place, f"S-{n}") for n in range(2)]
        drill = Drill(
            site_id=place.id,
            scenario="anaphylaxis",
            held_at=datetime(2026, 3, 2, 15, tzinfo=UTC),
            outcome="pass",
            participants=[DrillParticipant(staff_pk=p.id) for p in people],
        )
        records.create(session, drill, actor="t")
        new = records.amend(session, drill, {"debrief": "EpiPen late"}, actor="t", reason="add")
        new_id, wanted = new.id, sorted(p.id for p in people)
    with db.read() as session:
        kept = session.get(Drill, new_id)
        assert kept is not None and kept.debrief == "EpiPen late"
        assert sorted(p.staff_pk for p in kept.participants) == wanted
        old = session.get(Drill, drill.id)
        assert old is not None and sorted(p.staff_pk for p in old.participants) == wanted
        assert audit.verify(session).ok
