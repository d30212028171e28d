"""Ids are looked up and audit events written in bulk: statements do not grow per row."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select

from readiness.db import Database
from readiness.importing.run import ImportReport, import_dir, import_file
from readiness.models import AuditEvent, ServiceEvent

GOOD = Path(__file__).resolve().parents[1] / "data" / "import_good"
ASSETS = ["L-AUS1-1", "AED-AUS1", "O2-AUS1", "KIT-AUS1", "L-PHX1-1", "AED-PHX1", "FX-PHX1"]


def many_events(path: Path, rows: int) -> Path:
    lines = ["asset_id,kind,performed_on,performed_by,result,notes"]
    for n in range(rows):
        day = date(2020, 1, 1) + timedelta(days=n // len(ASSETS))
        lines.append(f"{ASSETS[n % len(ASSETS)]},inspection,{day},Tech {n % 5},pass,row {n}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def statements(db: Database, action: Callable[[], ImportReport]) -> Counter[str]:
    """The statements `action` executes, counted by their first words ("INSERT INTO assets")."""
    seen: Counter[str] = Counter()

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        words = statement.split()
        seen[" ".join(words[:3] if words[0] == "INSERT" else words[:1])] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert action().errors == []
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return seen


def test_two_thousand_rows_need_a_handful_of_queries(db: Database, tmp_path: Path) -> None:
    import_dir(db, GOOD, dry_run=False, actor="test")
    path = many_events(tmp_path / "service_events.csv", 2000)

    def run() -> ImportReport:
        return import_file(db, "service_events", path, dry_run=False, actor="test")

    first = statements(db, run)
    # Asset ids, stored rows to match, the audit chain head (and on PostgreSQL its lock).
    assert first["SELECT"] <= 4
    assert first["INSERT INTO audit_events"] <= 2
    # PostgreSQL inserts the rows in batches; SQLAlchemy has no way to batch an INSERT
    # that must return the new ids on SQLite, so there it is one cheap statement a row.
    assert first["INSERT INTO service_events"] <= (2 if db.dialect == "postgresql" else 2000)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(ServiceEvent)) == 2006
        reasons = set(
            session.scalars(select(AuditEvent.reason).where(AuditEvent.entity == "service_events"))
        )
    assert f"import {path} row 2001" in reasons
    again = statements(db, run)
    # Asset ids and stored rows; on PostgreSQL also the writers' lock every write
    # transaction takes at BEGIN (readiness.db), before it reads.
    assert again["SELECT"] == (3 if db.dialect == "postgresql" else 2)
    assert not {k for k in again if k.startswith(("INSERT", "UPDATE", "DELETE"))}
