"""`verify --head SEQ:HASH` accepts a head kept from the trail and catches a trail re-hashed
wholesale, which the walk alone cannot tell from the original."""

from __future__ import annotations

import os
import subprocess
import sys

from factories import cert, site, small_practice, staff
from sqlalchemy import select, text

from readiness.audit import chain as audit
from readiness.db import Database
from readiness.models import AuditEvent


def run(db: Database, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("READINESS_")}
    return subprocess.run(
        [sys.executable, "-m", "readiness.cli", "--db", db.url, "verify", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def _kept(db: Database) -> str:
    with db.read() as session:
        seq, digest = audit.head(session)
    return f"{seq}:{digest}"


def _rehash(db: Database) -> None:
    """Rewrite the trail by SQL: edit an early event, then re-hash every event after it."""
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET actor = 'someone else' WHERE seq = 2"))
        rows = conn.execute(select(AuditEvent.__table__).order_by(AuditEvent.seq)).mappings()
        prev = audit.GENESIS
        for row in list(rows):
            fields = {
                k: row[k]
                for k in (
                    "seq",
                    "at",
                    "actor",
                    "action",
                    "entity",
                    "entity_id",
                    "before",
                    "after",
                    "reason",
                )
            }
            digest = audit.event_hash(prev, fields)
            conn.execute(
                text("UPDATE audit_events SET prev_hash = :p, hash = :h WHERE seq = :s"),
                {"p": prev, "h": digest, "s": row["seq"]},
            )
            prev = digest


def test_a_kept_head_is_accepted_and_later_events_do_not_matter(db: Database) -> None:
    with db.write() as session:
        small_practice(session)
    kept = _kept(db)
    with db.write() as session:
        cert(session, staff(session, site(session, "DAL1"), "S-9"))
    proc = run(db, "--head", kept)
    assert proc.returncode == 0, proc.stderr
    assert f"kept head {kept.split(':')[0]} found" in proc.stdout


def test_a_rehashed_trail_passes_the_walk_but_not_the_kept_head(db: Database) -> None:
    with db.write() as session:
        small_practice(session)
    kept = _kept(db)
    _rehash(db)
    assert run(db).returncode == 0  # consistent on its own: only a kept head tells
    proc = run(db, "--head", kept)
    assert proc.returncode == 2
    assert f"sequence {kept.split(':')[0]} no longer has the kept hash" in proc.stderr
    assert "rewritten" in proc.stderr


def test_a_head_past_the_end_or_malformed_is_refused(db: Database) -> None:
    with db.write() as session:
        small_practice(session)
    seq, digest = _kept(db).split(":")
    proc = run(db, "--head", f"{int(seq) + 1}:{digest}")
    assert proc.returncode == 2
    assert "no longer in the audit trail" in proc.stderr
    proc = run(db, "--head", "nine:abc")
    assert proc.returncode == 2
    assert "expected SEQ:HASH" in proc.stderr
