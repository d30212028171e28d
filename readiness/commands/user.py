"""The `readiness user add|passwd|disable` commands: dashboard accounts (the first admin too)."""

from __future__ import annotations

import argparse
import getpass
import sys

from readiness.access import ROLES
from readiness.cli import actor, open_db
from readiness.config import Settings
from readiness.errors import UserError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this module's subcommands to the parser."""
    user = sub.add_parser("user", help="dashboard users: add, set a password, disable")
    commands = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")

    add = commands.add_parser("add", help="create a user (the first admin is made this way)")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--site", metavar="CODE", help="limit the user to one site (staff: required)")
    add.add_argument("--email", metavar="E")
    add.add_argument("--staff", metavar="STAFF_ID", help="link the user to a staff member")
    add.add_argument("--password-stdin", action="store_true", help="read the password on stdin")
    add.set_defaults(handler=cmd_add)

    passwd = commands.add_parser("passwd", help="set a user's password")
    passwd.add_argument("username")
    passwd.add_argument("--password-stdin", action="store_true", help="read the password on stdin")
    passwd.set_defaults(handler=cmd_passwd)

    disable = commands.add_parser("disable", help="stop a user signing in (records stay)")
    disable.add_argument("username")
    disable.set_defaults(handler=cmd_disable)


def read_password(from_stdin: bool) -> str:
    """The new password: the first line of stdin, or typed twice at a prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Repeat it: ") != first:
        raise UserError("the two passwords differ; nothing was changed")
    return first


def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    """Create the user and confirm in one line."""
    from readiness.services.users import create_user

    password = read_password(args.password_stdin)
    with open_db(args, settings).write() as session:
        user = create_user(
            session,
            username=args.username,
            role=args.role,
            password=password,
            actor=actor(args, settings),
            site_code=args.site,
            email=args.email,
            staff_id=args.staff,
        )
        line = f"user {user.username} added as {user.role}"
    print(line + (f" at {args.site}" if args.site else ""))
    return 0


def cmd_passwd(args: argparse.Namespace, settings: Settings) -> int:
    """Set the user's password."""
    from readiness.services.users import set_password

    password = read_password(args.password_stdin)
    with open_db(args, settings).write() as session:
        set_password(session, args.username, password, actor=actor(args, settings))
    print(f"password set for {args.username}")
    return 0


def cmd_disable(args: argparse.Namespace, settings: Settings) -> int:
    """Disable the user."""
    from readiness.services.users import disable_user

    with open_db(args, settings).write() as session:
        changed = disable_user(session, args.username, actor=actor(args, settings))
    print(f"user {args.username} {'disabled' if changed else 'was already disabled'}")
    return 0
