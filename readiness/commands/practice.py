"""The `readiness practice` command: show or set the practice's name."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from readiness.commands.common import actor, open_db
from readiness.config import Settings

if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]


def register(sub: Subparsers) -> None:
    """Add `practice` to the parser."""
    practice = sub.add_parser(
        "practice",
        help="show or set the practice's name",
        description=(
            "Show the practice's name, or set it with --name. The name is printed on the"
            " inspector's workbook cover and the wall plan; each change is in the audit trail."
        ),
    )
    practice.add_argument("--name", metavar="NAME", help="the name patients and inspectors know")
    practice.set_defaults(handler=cmd_practice)


def cmd_practice(args: argparse.Namespace, settings: Settings) -> int:
    """Print the stored name, or store a new one."""
    from readiness.services.practice import practice_name, set_practice_name

    db = open_db(args, settings)
    try:
        if args.name is None:
            with db.read() as session:
                name = practice_name(session)
            print(name or "The practice has no name yet: set one with --name.")
            return 0
        with db.write() as session:
            changed = set_practice_name(session, args.name, actor=actor(args, settings))
        print("Practice name saved." if changed else "The practice already has that name.")
        return 0
    finally:
        db.dispose()
