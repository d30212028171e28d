"""The audit trail sheet lists the same events whether the database first narrows them to
the export's sites (a few sites) or every event of the period is sorted out in Python
(many sites, where the narrowing would cost more than it saves)."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_world import build_world, export
from openpyxl import load_workbook

from readiness.db import Database
from readiness.export.sheets import trail


def _trail(path: Path) -> list[tuple[object, ...]]:
    return list(load_workbook(path, read_only=True)["Audit trail"].iter_rows(values_only=True))


@pytest.mark.parametrize("sites", [("AUS1",), ("AUS1", "PHX1")])
def test_the_trail_does_not_depend_on_the_filter(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sites: tuple[str, ...]
) -> None:
    build_world(db)
    export(db, tmp_path / "filtered.xlsx", sites=sites)
    monkeypatch.setattr(trail, "FILTER_SITES_AT_MOST", 0)
    export(db, tmp_path / "unfiltered.xlsx", sites=sites)

    filtered, unfiltered = _trail(tmp_path / "filtered.xlsx"), _trail(tmp_path / "unfiltered.xlsx")
    assert len(filtered) > 10  # the world has a trail to compare
    assert filtered == unfiltered
