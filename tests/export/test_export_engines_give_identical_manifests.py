"""The same records on SQLite and PostgreSQL export to identical manifests, sheet for sheet."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_world import build_world, export

from readiness.db import Database

HOSTILE = ["=1+1", "émigré \u202e RTL 😀", "tab\tand\nnewline", "x" * 40_000]


@pytest.mark.postgres
def test_sqlite_and_postgresql_exports_hash_the_same(
    sqlite_db: Database, pg_db: Database, tmp_path: Path
) -> None:
    results = {}
    for name, db in (("sqlite", sqlite_db), ("postgresql", pg_db)):
        build_world(db, HOSTILE)
        results[name] = export(db, tmp_path / f"{name}.xlsx")
    lite, pg = results["sqlite"], results["postgresql"]
    assert lite.head == pg.head
    assert lite.manifest == pg.manifest
    assert len(lite.manifest) == 13
