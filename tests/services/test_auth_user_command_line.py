"""`readiness user add|passwd|disable`: the first admin; passwords piped or typed; errors."""

from __future__ import annotations

import getpass

import pytest
from checklist_world import readiness
from factories import site
from sqlalchemy import select

from readiness import cli
from readiness.db import Database
from readiness.models import User
from readiness.services import users as auth


def test_the_first_admin_and_a_site_user_are_made_on_the_command_line(sqlite_db: Database) -> None:
    made = readiness(
        "--db",
        sqlite_db.url,
        "user",
        "add",
        "boss",
        "--role",
        "admin",
        "--password-stdin",
        stdin="boss secret 123\n",
    )
    assert (made.returncode, made.stdout, made.stderr) == (0, "user boss added as admin\n", "")
    with sqlite_db.write() as session:
        site(session)
    staff = readiness(
        "--db", sqlite_db.url, "user", "add", "tablet1", "--role", "staff", "--site", "AUS1",
        "--email", "front@example.com", "--password-stdin", stdin="tablet secret 1\n",
    )  # fmt: skip
    assert staff.returncode == 0 and staff.stdout == "user tablet1 added as staff at AUS1\n"
    with sqlite_db.write() as session:
        assert auth.authenticate(session, "boss", "boss secret 123") == auth.Principal(
            "boss", "admin"
        )
        tablet = auth.authenticate(session, "tablet1", "tablet secret 1")
    assert tablet == auth.Principal("tablet1", "staff", ("AUS1",))


def test_passwd_and_disable(sqlite_db: Database) -> None:
    readiness(
        "--db",
        sqlite_db.url,
        "user",
        "add",
        "ann",
        "--role",
        "officer",
        "--password-stdin",
        stdin="first secret!\n",
    )
    changed = readiness(
        "--db", sqlite_db.url, "user", "passwd", "ann", "--password-stdin", stdin="second secret!\n"
    )
    assert changed.stdout == "password set for ann\n"
    disabled = readiness("--db", sqlite_db.url, "user", "disable", "ann")
    assert disabled.stdout == "user ann disabled\n"
    with sqlite_db.read() as session:
        user = session.scalars(select(User)).one()
    assert not user.active


@pytest.mark.parametrize(
    ("args", "stdin", "error"),
    [
        (
            ["add", "ann", "--role", "admin", "--password-stdin"],
            "short\n",
            "a password needs at least 10 characters",
        ),
        (
            ["add", "ann", "--role", "staff", "--password-stdin"],
            "long enough secret\n",
            "a staff user belongs to one site: give --site CODE",
        ),
        (
            ["passwd", "nobody", "--password-stdin"],
            "long enough secret\n",
            "no user named 'nobody'",
        ),
        (["disable", "nobody"], "", "no user named 'nobody'"),
    ],
)
def test_mistakes_are_one_line(
    sqlite_db: Database, args: list[str], stdin: str, error: str
) -> None:
    done = readiness("--db", sqlite_db.url, "user", *args, stdin=stdin)
    assert done.returncode == 2
    assert done.stderr == f"readiness: error: {error}\n"


def test_without_stdin_the_password_is_typed_twice(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed = iter(["typed secret 1", "typed secret 1", "typed secret 2", "typo secret 3"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(typed))
    assert cli.main(["--db", sqlite_db.url, "user", "add", "ann", "--role", "admin"]) == 0
    assert cli.main(["--db", sqlite_db.url, "user", "passwd", "ann"]) == 2
    assert "the two passwords differ; nothing was changed" in capsys.readouterr().err
    with sqlite_db.write() as session:
        assert auth.authenticate(session, "ann", "typed secret 1") is not None
