"""The dashboard's plan download: PDF bytes of the site for a user who covers it, else refused."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from plan_world import build

from readiness.access import AccessDenied, Principal
from readiness.db import Database
from readiness.export.plan.download import plan_download

NOW = datetime(2026, 3, 9, 18, 0, tzinfo=UTC)


def test_a_covering_user_gets_the_plan(db: Database, tmp_path: Path) -> None:
    build(db, tmp_path)
    data = plan_download(db, Principal("ann", "staff", ("DAL1",)), "DAL1", NOW)
    assert data.startswith(b"%PDF")
    out = tmp_path / "plan.pdf"
    out.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Emergency action plan - Dallas Laser & Vein (DAL1)" in text


def test_a_user_of_another_site_is_refused(db: Database, tmp_path: Path) -> None:
    build(db, tmp_path)
    with pytest.raises(AccessDenied):
        plan_download(db, Principal("bob", "staff", ("DEN1",)), "DAL1", NOW)
    with pytest.raises(AccessDenied):
        plan_download(db, None, "DAL1", NOW)
