"""Database failures exit 3 on both engines; a write that loses a unique-key race is a clear
user error (exit 2), not an internal error."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from readiness import cli
from readiness.db import Database


def _raiser(error: BaseException) -> object:
    def handler(_args: object, _settings: object) -> int:
        raise error

    return handler


def _fail_with(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    parser = cli.build_parser()
    real = parser.parse_args

    def parse(argv: object = None) -> object:
        args = real(["verify"])
        args.handler = _raiser(error)
        return args

    monkeypatch.setattr(parser, "parse_args", parse)
    monkeypatch.setattr(cli, "build_parser", lambda: parser)


def _error_of(db: Database, sql: str) -> BaseException:
    """The error the engine really raises for a statement."""
    try:
        with db.engine.begin() as conn:
            conn.execute(text(sql))
    except Exception as error:  # what the database said, wrapped by SQLAlchemy
        return error
    raise AssertionError(f"{sql} did not fail")


def test_an_unreachable_database_exits_3(
    db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if db.dialect == "postgresql":
        bad = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    else:
        bad = create_engine("sqlite:////nonexistent-dir/x/y.db")
    try:
        with bad.connect():
            pass
    except Exception as error:
        _fail_with(monkeypatch, error)
    assert cli.main([]) == 3
    assert capsys.readouterr().err.startswith("readiness: database error: ")


def test_a_bad_statement_exits_3(
    db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _fail_with(monkeypatch, _error_of(db, "SELECT * FROM no_such_table"))
    assert cli.main([]) == 3
    assert "no_such_table" in capsys.readouterr().err


def test_a_bare_driver_error_exits_3(
    db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    wrapped = _error_of(db, "SELECT * FROM no_such_table")
    _fail_with(monkeypatch, wrapped.__cause__ or wrapped)
    assert cli.main([]) == 3
    assert "readiness: database error:" in capsys.readouterr().err


def test_a_unique_key_race_is_a_clear_user_error(
    db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    insert = (
        "INSERT INTO users (username, role, active, created_at)"
        " VALUES ('ana', 'admin', true, '2026-01-01')"
    )
    with db.engine.begin() as conn:
        conn.execute(text(insert))
    error = _error_of(db, insert)
    assert isinstance(error, IntegrityError)
    _fail_with(monkeypatch, error)
    assert cli.main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("readiness: error: the database refused the change")
    assert "reload and try again" in err
