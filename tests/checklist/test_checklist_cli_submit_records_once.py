"""`readiness checklist submit` records an answers file once per key; bad files are one line.

Argument and file handling is the same on every engine: those tests run on SQLite.
"""

from __future__ import annotations

import json
from pathlib import Path

from checklist_world import OPENING_OK, build_site, readiness
from sqlalchemy import func, select

from readiness.db import Database
from readiness.models import ChecklistRun, CorrectiveAction

SUBMIT = ("checklist", "submit", "--site", "AUS1", "--template", "opening-daily", "--by", "S-1")


def _answers(tmp_path: Path, answers: object, name: str = "answers.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(answers), encoding="utf-8")
    return str(path)


def test_the_same_key_twice_records_once(db: Database, tmp_path: Path) -> None:
    with db.write() as session:
        build_site(session)
    file = _answers(tmp_path, OPENING_OK | {"o2_psi": 750})
    args = ("--db", db.url, *SUBMIT, "--answers", file, "--date", "2026-03-09", "--key", "k-1")
    first, second = readiness(*args), readiness(*args)

    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("recorded run 1: opening-daily for AUS1 on 2026-03-09")
    assert "FAILED; late; corrective actions opened: #1 oxygen.daily_pressure" in first.stdout
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("already recorded (same key), nothing new written: run 1")
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(ChecklistRun)) == 1
        assert session.scalar(select(func.count()).select_from(CorrectiveAction)) == 1


def test_a_second_different_submission_is_refused_in_one_line(db: Database, tmp_path: Path) -> None:
    with db.write() as session:
        build_site(session)
    file = _answers(tmp_path, OPENING_OK)
    assert (
        readiness("--db", db.url, *SUBMIT, "--answers", file, "--date", "2026-03-09").returncode
        == 0
    )
    again = readiness("--db", db.url, *SUBMIT, "--answers", file, "--date", "2026-03-09")
    assert again.returncode == 2
    (line,) = again.stderr.splitlines()
    assert "opening-daily for AUS1 on 2026-03-09 was already submitted by Ana Lopez" in line
    assert line.endswith("amend it with a reason instead")


def test_bad_answers_files_name_the_file_and_the_problem(
    sqlite_db: Database, tmp_path: Path
) -> None:
    with sqlite_db.write() as session:
        build_site(session)
    broken = tmp_path / "broken.json"
    broken.write_text('{"aed_ready": true,}', encoding="utf-8")
    unknown = _answers(tmp_path, OPENING_OK | {"o2_pressure": 1500}, "unknown.json")
    cases = [
        (str(broken), f"{broken}: not valid JSON: line 1, column 20"),
        (unknown, f"{unknown}: o2_pressure: no item 'o2_pressure' in checklist 'opening-daily'"),
        (str(tmp_path / "missing.json"), f"{tmp_path / 'missing.json'}: cannot read"),
    ]
    for file, message in cases:
        proc = readiness("--db", sqlite_db.url, *SUBMIT, "--answers", file, "--date", "2026-03-09")
        assert proc.returncode == 2
        (line,) = proc.stderr.splitlines()
        assert line.startswith(f"readiness: error: {message}"), line
        assert "Traceback" not in proc.stderr


def test_close_action_closes_it(sqlite_db: Database, tmp_path: Path) -> None:
    with sqlite_db.write() as session:
        build_site(session)
    file = _answers(tmp_path, OPENING_OK | {"o2_psi": 750})
    readiness("--db", sqlite_db.url, *SUBMIT, "--answers", file, "--date", "2026-03-09")
    close = ("--db", sqlite_db.url, "checklist", "close-action", "1")
    done = readiness(*close, "--resolution", "New cylinder, 2100 psi", "--by", "Dr Maya Chen")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "closed corrective action 1 (oxygen.daily_pressure for AUS1) by Dr Maya Chen"
    )
    again = readiness(*close, "--resolution", "again", "--by", "Dr Maya Chen")
    assert again.returncode == 2 and "already closed" in again.stderr


def test_a_pin_is_read_from_stdin(sqlite_db: Database, tmp_path: Path) -> None:
    with sqlite_db.write() as session:
        build_site(session)
    assert (
        readiness("--db", sqlite_db.url, "checklist", "set-pin", "S-1", stdin="2468\n").returncode
        == 0
    )
    file = _answers(tmp_path, OPENING_OK)
    args = ("--db", sqlite_db.url, *SUBMIT, "--answers", file, "--date", "2026-03-09")
    wrong = readiness(*args, "--pin-stdin", stdin="1357\n")
    assert wrong.stderr.strip() == "readiness: error: wrong PIN for Ana Lopez"
    assert readiness(*args, "--pin-stdin", stdin="2468\n").returncode == 0
