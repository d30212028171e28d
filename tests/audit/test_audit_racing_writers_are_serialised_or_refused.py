"""Two people changing one record at once: one wins, the other is told who and when, or
both land one after the other; never two silent wins, and the audit trail stays true."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from factories import ACTOR, asset, cert, site, staff
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from readiness.access import Principal
from readiness.audit import chain as audit
from readiness.audit import records
from readiness.clock import utc_now
from readiness.db import Database
from readiness.errors import UserError
from readiness.importing.run import import_dir, import_file
from readiness.models import Asset, AuditEvent, Certification, User
from readiness.services.assets import set_asset_status

ROUNDS = 10
GOOD = Path(__file__).resolve().parents[1] / "data" / "import_good"
# Long enough that, without a lock taken before the read, both writers read the old state.
READ_TO_WRITE = 0.05
ANA = Principal("ana", "officer")
BO = Principal("bo", "officer")

Write = Callable[[Database, int], object]


@pytest.fixture
def pair(db: Database) -> Iterator[tuple[Database, Database]]:
    """Two independent connections pools to the same database: two officers' sessions."""
    first, second = Database(db.url), Database(db.url)
    yield first, second
    first.dispose()
    second.dispose()


def race(pair: tuple[Database, Database], write: Write) -> list[object]:
    """Run `write` on both databases at once; each outcome is a result or the error."""
    barrier = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def one(n: int) -> None:
        try:
            barrier.wait()
            outcomes[n] = write(pair[n], n)
        except BaseException as error:  # collected and asserted on below
            outcomes[n] = error

    threads = [threading.Thread(target=one, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def refused(outcomes: list[object]) -> list[BaseException]:
    """The errors among the outcomes; anything but a clear UserError fails the test."""
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    for error in errors:
        assert isinstance(error, UserError), repr(error)
    return errors


def assert_verified(db: Database) -> None:
    with db.read() as session:
        result = audit.verify(session)
    assert result.ok, result.problems[:3]


def test_taking_one_asset_out_of_service_twice_is_refused_once(
    db: Database, pair: tuple[Database, Database]
) -> None:
    with db.write() as session:
        place = site(session)
        for n in range(ROUNDS):
            asset(session, place, f"L-{n}")

    for n in range(ROUNDS):

        def take_out(mine: Database, who: int, asset_id: str = f"L-{n}") -> object:
            with mine.write() as session:
                seen = session.scalar(select(Asset.status).where(Asset.asset_id == asset_id))
                assert seen is not None
                time.sleep(READ_TO_WRITE)  # the officer's form was loaded; now they submit
                return set_asset_status(
                    session,
                    (ANA, BO)[who],
                    asset_id=asset_id,
                    status="out_of_service",
                    reason=f"failed self-test ({who})",
                )

        errors = refused(race(pair, take_out))
        assert len(errors) == 1, f"round {n}: both officers took L-{n} out of service"
        message = str(errors[0])
        assert f"asset L-{n} is already out of service: changed by user:" in message
        assert "reload and try again" in message

    with db.read() as session:
        changes = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.entity == "asset_status_changes")
        )
    assert changes == ROUNDS  # one change per asset, not two
    assert_verified(db)


def test_amending_one_certification_twice_leaves_one_current_correction(
    db: Database, pair: tuple[Database, Database]
) -> None:
    with db.write() as session:
        person = staff(session, site(session))
        ids = [cert(session, person, date(2025, 3, 1 + n)).id for n in range(ROUNDS)]

    for n, card_id in enumerate(ids):

        def amend(mine: Database, who: int, card_id: int = card_id) -> object:
            with mine.write() as session:
                old = session.get(Certification, card_id)
                assert old is not None
                time.sleep(READ_TO_WRITE)
                new = records.amend(
                    session,
                    old,
                    {"card_number": f"CARD-{who}"},
                    actor=(ANA, BO)[who].actor,
                    reason="typo on the card number",
                )
                return new.id

        errors = refused(race(pair, amend))
        assert len(errors) == 1, f"round {n}: two amendments of one certification"
        assert f"certifications {card_id} is superseded: changed by user:" in str(errors[0])

    with db.read() as session:
        doubled = session.execute(
            select(Certification.supersedes_id)
            .where(Certification.record_state == "current")
            .group_by(Certification.supersedes_id)
            .having(func.count() > 1)
        ).all()
        current = session.scalar(
            select(func.count())
            .select_from(Certification)
            .where(Certification.record_state == "current")
        )
    assert doubled == []
    assert current == ROUNDS
    assert_verified(db)


def test_importing_one_new_file_twice_writes_its_rows_once(
    db: Database, pair: tuple[Database, Database], tmp_path: Path
) -> None:
    for kind in ("sites", "staff"):
        import_file(db, kind, GOOD / f"{kind}.csv", dry_run=False, actor=ACTOR)

    for n in range(ROUNDS):
        folder = tmp_path / f"round-{n}"
        folder.mkdir()
        (folder / "certifications.csv").write_text(
            "staff_id,type,issued_on,expires_on,card_number,provider\n"
            f"S-102,bls,2025-02-{n + 1:02d},,RACE-{n},American Heart Association\n",
            encoding="utf-8",
        )

        def load(mine: Database, who: int, folder: Path = folder) -> object:
            report = import_dir(mine, folder, dry_run=False, actor=(ANA, BO)[who].actor)
            assert report.errors == []
            return report.counts["certifications"].created

        outcomes = race(pair, load)
        refused(outcomes)
        created = [o for o in outcomes if isinstance(o, int)]
        assert sum(created) <= 1, f"round {n}: both imports created the row"

    with db.read() as session:
        raced = session.scalar(
            select(func.count())
            .select_from(Certification)
            .where(Certification.card_number.like("RACE-%"))
        )
    assert raced == ROUNDS
    assert_verified(db)


def _email_change(session: Session, user_id: int, email: str, actor: str) -> bool:
    user = session.get(User, user_id)
    assert user is not None
    time.sleep(READ_TO_WRITE)
    return records.update(session, user, {"email": email}, actor=actor, reason="new address")


def test_two_e_mail_changes_land_one_after_the_other(
    db: Database, pair: tuple[Database, Database]
) -> None:
    with db.write() as session:
        people = [
            records.create(
                session,
                User(
                    username=f"u{n}",
                    role="staff",
                    email=f"old{n}@example.com",
                    created_at=utc_now(),
                ),
                actor=ACTOR,
            )
            for n in range(ROUNDS)
        ]
        ids = [person.id for person in people]

    for n, user_id in enumerate(ids):

        def change(mine: Database, who: int, user_id: int = user_id) -> object:
            with mine.write() as session:
                return _email_change(session, user_id, f"new{who}@example.com", f"user:{who}")

        assert refused(race(pair, change)) == []
        with db.read() as session:
            events = session.scalars(
                select(AuditEvent)
                .where(AuditEvent.entity == "users", AuditEvent.entity_id == str(user_id))
                .order_by(AuditEvent.seq)
            ).all()
            final = session.get(User, user_id)
        assert final is not None
        first, second = events[-2:]
        # Serialised: the second change saw the first one's address, so nothing was lost.
        assert json.loads(first.before or "")["email"] == f"old{n}@example.com"
        assert json.loads(second.before or "")["email"] == json.loads(first.after or "")["email"]
        assert final.email == json.loads(second.after or "")["email"]
    assert_verified(db)
