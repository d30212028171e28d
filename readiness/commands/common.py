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
