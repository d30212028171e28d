"""Certification rows obey the service's date rules: expiry after issue, no issue after today.

"Today" is the import day in the staff member's site zone, so at one instant a card issued
on the 10th is in the future in Chicago and fine in Tokyo.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from readiness import clock
from readiness.access import Principal
from readiness.db import Database
from readiness.errors import UserError
from readiness.importing.run import import_file
from readiness.models import Certification
from readiness.policy.current import current_policy
from readiness.services.certifications import add_certification

# The faces load the policy and pass it into each write.
POLICY = current_policy()

# 22:30 on 9 March in Chicago (CDT), 12:30 on 10 March in Tokyo.
NOW = datetime(2026, 3, 10, 3, 30, tzinfo=UTC)
HEADER = "staff_id,type,issued_on,expires_on\n"


@pytest.fixture
def practice(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setattr(clock, "utc_now", lambda: NOW)
    (tmp_path / "sites.csv").write_text(
        "code,name,timezone\nCHI1,Chicago,America/Chicago\nTYO1,Tokyo,Asia/Tokyo\n"
    )
    (tmp_path / "staff.csv").write_text(
        "staff_id,site_code,full_name,role\nS-CHI,CHI1,Ana Ruiz,rn\nS-TYO,TYO1,Yui Sato,rn\n"
    )
    for kind in ("sites", "staff"):
        report = import_file(db, kind, tmp_path / f"{kind}.csv", dry_run=False, actor="test")
        assert report.errors == []
    return db


def _cards(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Certification)) or 0


def _import(db: Database, path: Path, rows: str) -> list[str]:
    path.write_text(HEADER + rows, encoding="utf-8")
    return import_file(db, "certifications", path, dry_run=False, actor="test").errors


def test_bad_dates_are_refused_with_the_services_words(practice: Database, tmp_path: Path) -> None:
    path = tmp_path / "certifications.csv"
    errors = _import(
        practice,
        path,
        "S-CHI,acls,2025-06-01,2025-05-31\n"  # expires before it was issued
        "S-CHI,pals,2025-06-01,2025-06-01\n"  # expires the day it was issued
        "S-CHI,bls,2999-01-01,\n"  # issued in the far future
        "S-CHI,lso,2026-03-10,2028-03-10\n"  # tomorrow in Chicago
        "S-TYO,lso,2026-03-11,2028-03-11\n",  # tomorrow in Tokyo
    )
    assert errors == [
        f"{path}:2: expires_on: the expiry date 2025-05-31 must be after the issue date 2025-06-01",
        f"{path}:3: expires_on: the expiry date 2025-06-01 must be after the issue date 2025-06-01",
        f"{path}:4: issued_on: issued on 2999-01-01 is in the future",
        f"{path}:5: issued_on: issued on 2026-03-10 is in the future",
        f"{path}:6: issued_on: issued on 2026-03-11 is in the future",
    ]
    assert _cards(practice) == 0


def test_the_last_good_day_of_each_rule_is_accepted(practice: Database, tmp_path: Path) -> None:
    errors = _import(
        practice,
        tmp_path / "certifications.csv",
        "S-CHI,acls,2025-06-01,2025-06-02\n"  # expires the day after issue
        "S-CHI,bls,2026-03-09,\n"  # today in Chicago, expiry from the policy
        "S-TYO,bls,2026-03-10,\n",  # today in Tokyo, already tomorrow in Chicago
    )
    assert errors == []
    assert _cards(practice) == 3


def test_the_service_refuses_what_the_import_refuses(practice: Database) -> None:
    officer = Principal("olga", "officer")
    today = NOW.astimezone(ZoneInfo("America/Chicago")).date()
    with practice.write() as session:
        with pytest.raises(UserError, match=r"^issued on 2026-03-10 is in the future$"):
            add_certification(
                session, officer, staff_id="S-CHI", cert_type="bls",
                issued_on=date(2026, 3, 10), today=today, policy=POLICY,
            )  # fmt: skip
        with pytest.raises(
            UserError, match=r"^the expiry date 2025-06-01 must be after the issue date 2025-06-01$"
        ):
            add_certification(
                session, officer, staff_id="S-CHI", cert_type="acls",
                issued_on=date(2025, 6, 1), expires_on=date(2025, 6, 1), today=today, policy=POLICY,
            )  # fmt: skip
