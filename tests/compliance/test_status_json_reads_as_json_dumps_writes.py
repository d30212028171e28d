"""`readiness status --format json` writes its text itself, in one piece (json's indenting
encoder is slow at practice scale): the bytes are exactly what json.dumps(indent=2) writes,
quotes, backslashes, control characters and non-ASCII text included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readiness.cli import main
from readiness.commands.compliance import _print_status_json, _records
from readiness.compliance import compliance_items
from readiness.compliance.table import no_items
from readiness.db import Database
from readiness.importing.run import import_dir
from readiness.policy.pack import load_policy

PRACTICE = Path(__file__).resolve().parents[1] / "data" / "compliance_practice"
AS_OF = "2026-03-09"


@pytest.fixture(scope="module")
def db(practice_db: Database) -> Database:
    assert not import_dir(practice_db, PRACTICE, dry_run=False, actor="test").errors
    return practice_db


def test_the_command_prints_what_json_dumps_would(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", db.url, "status", "--format", "json", "--as-of", AS_OF]) == 0
    out = capsys.readouterr().out
    items = json.loads(out)
    assert items
    assert out == json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def test_awkward_text_is_escaped_as_json_dumps_escapes_it(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with db.read() as session:
        items = compliance_items(session, load_policy(), as_of=None)
    awkward = ['say "ready" \\ now', "Zoë – 3 µg", "tab\there\nnew line\x07"]
    items.loc[items.index[: len(awkward)], "detail"] = awkward
    _print_status_json(items)
    out = capsys.readouterr().out
    assert out == json.dumps(_records(items), indent=2, ensure_ascii=False) + "\n"
    assert [item["detail"] for item in json.loads(out)[: len(awkward)]] == awkward


def test_no_items_is_an_empty_list(capsys: pytest.CaptureFixture[str]) -> None:
    _print_status_json(no_items())
    assert capsys.readouterr().out == "[]\n"
