"""`readiness status` and `readiness scenarios`: the JSON, CSV and table shapes of the
interfaces spec, the site filter, one-line errors, and exit 0 for a report."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from readiness.cli import main
from readiness.compliance import COLUMNS
from readiness.db import Database
from readiness.importing.run import import_dir

PRACTICE = Path(__file__).resolve().parents[1] / "data" / "compliance_practice"
AS_OF = "2026-03-09"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SEVERITY = ["failed", "overdue", "expired", "missing", "due_soon", "ok", "not_applicable"]


@pytest.fixture(scope="module")
def db(practice_db: Database) -> Database:
    assert not import_dir(practice_db, PRACTICE, dry_run=False, actor="test").errors
    return practice_db


def run(db: Database, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", db.url, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_the_documented_keys_and_date_forms(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(db, capsys, "status", "--format", "json", "--as-of", AS_OF)
    assert code == 0
    items = json.loads(out)
    assert items and all(list(item) == list(COLUMNS) for item in items)
    for item in items:
        for key in ("due_on", "last_done_on"):
            assert item[key] is None or ISO_DATE.match(item[key])
        assert item["status"] in SEVERITY
        assert item["category"] in {
            "equipment",
            "stock",
            "certification",
            "drill",
            "checklist",
            "document",
        }
        assert item["subject_type"] in {"site", "staff", "asset"}
    bls = next(i for i in items if (i["requirement"], i["subject"]) == ("cert.bls", "D-1"))
    assert bls == {
        "site": "DAL1",
        "category": "certification",
        "requirement": "cert.bls",
        "subject_type": "staff",
        "subject": "D-1",
        "status": "due_soon",
        "due_on": "2026-05-31",
        "last_done_on": "2024-05-20",
        "detail": "BLS expires 2026-05-31 (in 83 days); expiry derived from issue date 2024-05-20",
    }


def test_csv_has_a_header_and_the_same_rows(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(db, capsys, "status", "--format", "csv", "--as-of", AS_OF)
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == list(COLUMNS)
    _, as_json, _ = run(db, capsys, "status", "--format", "json", "--as-of", AS_OF)
    expected = [["" if v is None else v for v in item.values()] for item in json.loads(as_json)]
    assert rows[1:] == expected


def test_the_table_is_aligned_and_most_severe_first(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(db, capsys, "status", "--as-of", AS_OF)
    assert code == 0
    lines = out.splitlines()
    header, body = lines[0], lines[1 : lines.index("")]
    assert header.split()[:4] == ["STATUS", "SITE", "REQUIREMENT", "SUBJECT"]
    detail_at = header.index("DETAIL")
    assert all(len(line) > detail_at and line[detail_at - 2 : detail_at] == "  " for line in body)
    ranks = [SEVERITY.index(line.split()[0]) for line in body]
    assert ranks == sorted(ranks)
    sites_of_overdue = [line.split()[1] for line in body if line.startswith("overdue")]
    assert sites_of_overdue == sorted(sites_of_overdue)
    assert lines[-1] == _summary_of_the_hand_worked_table()


def _summary_of_the_hand_worked_table() -> str:
    """The last line the table should end with, counted from expected_status.csv."""
    with (PRACTICE / "expected_status.csv").open(newline="", encoding="utf-8") as handle:
        statuses = [row["status"] for row in csv.DictReader(handle)]
    counts = ", ".join(f"{statuses.count(s)} {s}" for s in SEVERITY if s in statuses)
    return f"{len(statuses)} items at 2 sites: {counts}"


def test_site_filter_keeps_one_site(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(db, capsys, "status", "--site", "DEN1", "--format", "json", "--as-of", AS_OF)
    assert {item["site"] for item in json.loads(out)} == {"DEN1"}


def test_an_unknown_site_is_a_one_line_error(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(db, capsys, "status", "--site", "XYZ")
    assert (code, out) == (2, "")
    assert err == "readiness: error: unknown site code 'XYZ'\n"


def test_a_bad_date_is_refused_by_the_parser(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", db.url, "status", "--as-of", "9/3/2026"])
    assert exit_info.value.code == 2
    assert "not a date (YYYY-MM-DD)" in capsys.readouterr().err


def test_scenarios_json_and_table(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(db, capsys, "scenarios", "--format", "json", "--as-of", AS_OF)
    assert code == 0
    rows = json.loads(out)
    assert all(list(row) == ["site", "scenario", "ready", "blocking"] for row in rows)
    assert all(isinstance(row["ready"], bool) for row in rows)
    for row in rows:
        assert row["ready"] == (row["blocking"] == [])
        assert all(list(b) == ["requirement", "subject", "status"] for b in row["blocking"])
    code, out, _ = run(db, capsys, "scenarios", "--site", "DAL1", "--as-of", AS_OF)
    lines = out.splitlines()
    assert lines[0].split() == ["SITE", "SCENARIO", "READY", "BLOCKING"]
    assert [line.split()[1] for line in lines[1:]] == [
        "anaphylaxis",
        "cardiac_arrest",
        "laser_burn",
        "laser_eye_exposure",
        "fire",
    ]
    assert "drill.cardiac_arrest DAL1 overdue" in out


def test_help_says_a_report_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("status", "scenarios"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        text = " ".join(capsys.readouterr().out.split())
        assert "exit status is 0 whenever the report is produced" in text
