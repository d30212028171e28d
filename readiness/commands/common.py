"""What the command modules share: the database, the audit actor, dates, a subcommand's help."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, TypeAlias

from readiness.config import Settings

if TYPE_CHECKING:
    from readiness.db import Database

    Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

# What `set_defaults(handler=...)` names: it runs the command and returns the exit status.
Handler: TypeAlias = Callable[[argparse.Namespace, Settings], int]


def add_command(
    sub: Subparsers,
    name: str,
    summary: str,
    *,
    description: str | None = None,
    epilog: str | None = None,
) -> argparse.ArgumentParser:
    """A subcommand whose own --help opens with what it does, not only the list of commands."""
    return sub.add_parser(
        name, help=summary, description=description or _sentence(summary), epilog=epilog
    )


def database_url(args: argparse.Namespace, settings: Settings) -> str:
    """The database named by --db, else READINESS_DB_URL, else the embedded default."""
    return str(args.db or settings.db_url)


def open_db(args: argparse.Namespace, settings: Settings) -> Database:
    """The command's database (SQLAlchemy is imported here, not when the parser is built)."""
    from readiness.db import Database

    return Database(database_url(args, settings))


def spell_site_codes(args: argparse.Namespace, settings: Settings) -> None:
    """--site (one code or several, comma-separated) as the sites are stored: "aus1" is AUS1.

    Called once for every command before its handler, so no command compares a typed
    code itself. A code no site has is left as typed, for the command's own error; so
    is everything when the database cannot be read yet (the command says why).
    """
    typed = getattr(args, "site", None)
    if not isinstance(typed, str) or not typed.strip():
        return
    from sqlalchemy.exc import SQLAlchemyError

    from readiness.checklist.lookup import site_codes_as_stored

    db = open_db(args, settings)
    try:
        with db.read() as session:
            stored = site_codes_as_stored(session, typed.split(","))
    except SQLAlchemyError:
        return
    finally:
        db.dispose()
    args.site = ",".join(stored.get(code.strip(), code.strip()) for code in typed.split(","))


def actor(args: argparse.Namespace, settings: Settings) -> str:
    """Who the audit trail names for this command's writes."""
    return str(args.actor or settings.actor)


def day(text: str) -> date:
    """A YYYY-MM-DD argument; argparse reports anything else in one line."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _sentence(text: str) -> str:
    """A help line as the sentence that opens a command's own help."""
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
