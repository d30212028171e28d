"""`readiness snapshot` records each site's closed day once, or the day given with --as-of."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from factories import small_practice

from readiness import clock
from readiness.cli import main
from readiness.db import Database

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


def test_the_snapshot_command(
    db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(clock, "utc_now", lambda: NOW)
    with db.write() as session:
        small_practice(session)
    assert main(["--db", db.url, "snapshot"]) == 0
    assert capsys.readouterr().out.startswith("recorded readiness of 2 sites (")
    assert main(["--db", db.url, "snapshot"]) == 0
    assert "nothing to record" in capsys.readouterr().out
    assert main(["--db", db.url, "snapshot", "--as-of", "2026-03-02"]) == 0
    assert capsys.readouterr().out.startswith("recorded readiness of 2 sites (")
    with pytest.raises(SystemExit) as refused:
        main(["--db", db.url, "snapshot", "--as-of", "March 2"])
    assert refused.value.code == 2
    assert "not a date (YYYY-MM-DD)" in capsys.readouterr().err
