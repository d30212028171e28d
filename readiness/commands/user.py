"""The `readiness user add|passwd|disable` commands: dashboard accounts (the first admin too)."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from readiness.access import ROLES
from readiness.commands.common import actor, add_command, open_db
from readiness.config import Settings
from readiness.errors import UserError

if TYPE_CHECKING:
    from readiness.commands.common import Subparsers

PASSWORD_STDIN = "read the password from standard input (default: type it twice at a prompt)"


def register(sub: Subparsers) -> None:
    """Add this module's subcommands to the parser."""
    user = add_command(
        sub,
        "user",
        "dashboard users: add, set a password, disable",
        description="The accounts people sign in to the dashboard with. Roles: staff "
        "(checklists at their site), officer (records, imports and corrective actions), "
        "inspector (reads and exports, changes nothing) and admin (all that, and the users).",
    )
    commands = user.add_subparsers(
        title="actions", dest="user_command", required=True, metavar="ACTION"
    )

    add = add_command(commands, "add", "create a user (the first admin is made this way)")
    add.add_argument("username", metavar="USERNAME", help="the name the person signs in with")
    add.add_argument("--role", required=True, choices=ROLES, help="what the user may see and do")
    add.add_argument(
        "--site", metavar="CODE", help="limit the user to one site (required for staff)"
    )
    add.add_argument("--email", metavar="E", help="where the user's reminders are sent")
    add.add_argument(
        "--staff", metavar="STAFF_ID", help="the staff member this user is (their staff id)"
    )
    add.add_argument("--password-stdin", action="store_true", help=PASSWORD_STDIN)
    add.set_defaults(handler=cmd_add)

    passwd = add_command(commands, "passwd", "set a user's password")
    passwd.add_argument("username", metavar="USERNAME", help="whose password to set")
    passwd.add_argument("--password-stdin", action="store_true", help=PASSWORD_STDIN)
    passwd.set_defaults(handler=cmd_passwd)

    disable = add_command(commands, "disable", "stop a user signing in (their records stay)")
    disable.add_argument("username", metavar="USERNAME", help="who may no longer sign in")
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
