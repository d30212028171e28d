"""The cover states how long the records are kept: the policy's retention_years, so the
setting is read (a practice's override shows), not decoration in the YAML."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_world import build_world, export
from openpyxl import load_workbook

from readiness.db import Database


def cover_labels(path: Path) -> dict[object, object]:
    rows = load_workbook(path, read_only=True)["Cover"].iter_rows(values_only=True)
    return {row[0]: row[1] for row in rows if len(row) > 1 and row[0]}


@pytest.mark.parametrize(("override", "years"), [(None, 7), (10, 10)], ids=["default", "override"])
def test_the_cover_gives_the_policys_retention(
    sqlite_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    override: int | None,
    years: int,
) -> None:
    if override is not None:
        overrides = tmp_path / "overrides.yaml"
        overrides.write_text(f"settings:\n  retention_years: {override}\n", encoding="utf-8")
        monkeypatch.setenv("READINESS_POLICY_OVERRIDES", str(overrides))
    build_world(sqlite_db)
    path = tmp_path / "week.xlsx"
    export(sqlite_db, path)
    assert cover_labels(path)["Records kept for"] == (
        f"{years} years (policy settings.retention_years)"
    )
