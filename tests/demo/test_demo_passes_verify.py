"""Every demo record is covered by an audit event that matches the stored row."""

from __future__ import annotations

from datetime import date

from readiness.audit import chain as audit
from readiness.db import Database
from readiness.demo import build_demo


def test_verify_passes_on_the_demo_practice(db: Database) -> None:
    build_demo(db, sites=3, days=60, seed=11, if_empty=False, as_of=date(2026, 3, 9))
    with db.read() as session:
        result = audit.verify(session)
    assert result.ok, result.problems[:5]
    assert result.records > 0
    # Records whose later life (closed, taken out of service, left) is audited
    # have more than one event.
    assert result.events > result.records
