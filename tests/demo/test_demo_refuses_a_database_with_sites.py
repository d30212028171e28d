"""The demo fills an empty database only; --if-empty skips quietly instead of failing."""

from __future__ import annotations

from datetime import date

import pytest

from readiness.audit import chain as audit
from readiness.db import Database
from readiness.demo import build_demo
from readiness.errors import UserError

AS_OF = date(2026, 3, 9)


def _head(db: Database) -> tuple[int, str]:
    with db.read() as session:
        return audit.head(session)


def test_it_refuses_a_database_that_has_sites(db: Database) -> None:
    build_demo(db, sites=2, days=30, seed=1, if_empty=False, as_of=AS_OF)
    before = _head(db)
    with pytest.raises(UserError, match="already has 2 sites"):
        build_demo(db, sites=2, days=30, seed=1, if_empty=False, as_of=AS_OF)
    assert _head(db) == before


def test_if_empty_skips_a_database_that_has_sites(db: Database) -> None:
    build_demo(db, sites=2, days=30, seed=1, if_empty=False, as_of=AS_OF)
    before = _head(db)
    message = build_demo(db, sites=5, days=30, seed=2, if_empty=True, as_of=AS_OF)
    assert message == "demo skipped: database already has 2 sites"
    assert _head(db) == before


def test_it_reports_what_it_wrote(db: Database) -> None:
    summary = build_demo(db, sites=2, days=30, seed=1, if_empty=True, as_of=AS_OF)
    assert summary.startswith("demo practice: 2 sites, 30 days of history")
    assert "checklist runs" in summary and "audit events" in summary


def test_it_refuses_an_empty_practice(db: Database) -> None:
    with pytest.raises(UserError, match="at least 1 site and 1 day"):
        build_demo(db, sites=0, days=30, seed=1, if_empty=False, as_of=AS_OF)
