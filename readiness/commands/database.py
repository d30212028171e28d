"""The `readiness init|demo|import|verify|backup` commands: setting up and keeping the records."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from readiness.commands.common import actor, add_command, database_url, open_db
from readiness.config import Settings
from readiness.errors import UserError

if TYPE_CHECKING:
    from readiness.commands.common import Subparsers
    from readiness.db import Database

IMPORT_KINDS = "sites, staff, certifications, assets, stock, service_events, drills, documents"


def register(sub: Subparsers) -> None:
    """Add this module's subcommands to the parser."""
    init = add_command(
        sub,
        "init",
        "create or upgrade the database and load the checklist templates",
        description="Create the database tables, or upgrade them after installing a new "
        "version, and record the checklist templates in force. Safe to run any number of "
        "times.",
    )
    init.set_defaults(handler=cmd_init)

    demo = add_command(
        sub,
        "demo",
        "fill an empty database with a made-up practice to try things out",
        description="Fill an empty database with a made-up practice (sites, staff, equipment, "
        "checklists and their history) and demo sign-ins for the dashboard. Refuses a "
        "database that already holds sites: demo data never mixes with real records.",
    )
    demo.add_argument(
        "--sites", type=int, default=6, metavar="N", help="how many sites (default: %(default)s)"
    )
    demo.add_argument(
        "--days",
        type=int,
        default=400,
        metavar="D",
        help="how many days of history, up to yesterday (default: %(default)s)",
    )
    demo.add_argument(
        "--seed",
        type=int,
        default=7,
        metavar="S",
        help="the same seed builds the same practice (default: %(default)s)",
    )
    demo.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing, successfully, when the database already has sites",
    )
    demo.set_defaults(handler=cmd_demo)

    imp = add_command(
        sub,
        "import",
        "import CSV or Excel files, all or nothing",
        description="Import one CSV or Excel (.xlsx) file, or every known file of a folder. "
        "When any row is wrong, each problem is listed as FILE:ROW: column: reason and "
        "nothing at all is written.",
    )
    imp.add_argument("kind", nargs="?", metavar="KIND", help=f"what the file holds: {IMPORT_KINDS}")
    imp.add_argument("file", nargs="?", metavar="FILE", help="the .csv or .xlsx file to import")
    imp.add_argument(
        "--dir",
        metavar="DIR",
        help="import every known file in DIR (sites.csv, staff.xlsx, ...) in the right order",
    )
    imp.add_argument(
        "--dry-run", action="store_true", help="check the files and report; write nothing"
    )
    imp.add_argument(
        "--ignore-columns",
        action="store_true",
        help="skip (and report) columns Readiness does not know, instead of refusing the file",
    )
    imp.set_defaults(handler=cmd_import)

    verify = add_command(
        sub,
        "verify",
        "check the records against the audit trail, or an export against the database",
        description="Without FILE: walk the audit trail and check every record against it; "
        "any record changed, deleted or added outside Readiness is named. With FILE: check "
        "an exported workbook against the database.",
    )
    verify.add_argument(
        "file", nargs="?", metavar="FILE", help="an exported .xlsx workbook to check"
    )
    verify.add_argument(
        "--head",
        metavar="SEQ:HASH",
        help="also prove a chain head you kept (the daily digest prints one) is still in the"
        " audit trail, so a trail rewritten wholesale is caught",
    )
    verify.set_defaults(handler=cmd_verify)

    backup = add_command(
        sub,
        "backup",
        "a consistent copy of the database, safe while others use it",
    )
    backup.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="the file to write the copy to"
    )
    backup.add_argument(
        "--force",
        action="store_true",
        help="replace FILE when it exists (never the live database or its -wal/-shm files)",
    )
    backup.set_defaults(handler=cmd_backup)


def cmd_init(args: argparse.Namespace, settings: Settings) -> int:
    """Create or upgrade the schema and record the templates."""
    from readiness.services.setup import initialise

    print(initialise(open_db(args, settings), settings, actor=actor(args, settings)))
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    """Build the demo practice and its sign-ins."""
    from readiness.demo import run_demo
    from readiness.services.users import ensure_demo_users

    db = open_db(args, settings)
    report = run_demo(
        db,
        sites=args.sites,
        days=args.days,
        seed=args.seed,
        if_empty=args.if_empty,
        progress=lambda line: print(f"demo: {line}", file=sys.stderr, flush=True),
    )
    print(report.summary())
    if report.skipped:
        _print_sign_ins(db)
        return 0
    # Only on a database the demo itself just filled: known passwords never reach real data.
    with db.write() as session:
        accounts = ensure_demo_users(session, actor=actor(args, settings))
    print(
        "demo sign-ins: " + ", ".join(f"{name} / {password}" for name, _role, password in accounts)
    )
    return 0


def _print_sign_ins(db: Database) -> None:
    """On a demo database, its sign-ins again (`make run` shows them on every start)."""
    from readiness.services.demo_sign_ins import demo_sign_ins

    with db.read() as session:
        accounts = demo_sign_ins(session)
    if accounts:
        print("demo sign-ins: " + ", ".join(f"{name} / {word}" for name, _, word in accounts))


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    """Import a file or a folder; problems on stderr, nothing written when there are any."""
    from readiness.importing.run import import_dir, import_file

    db = open_db(args, settings)
    who = actor(args, settings)
    if args.dir:
        if args.kind or args.file:
            raise UserError("give either KIND FILE or --dir DIR, not both")
        report = import_dir(
            db, Path(args.dir), dry_run=args.dry_run, actor=who, ignore_columns=args.ignore_columns
        )
    else:
        if not (args.kind and args.file):
            raise UserError("import needs KIND FILE, or --dir DIR")
        report = import_file(
            db,
            args.kind,
            Path(args.file),
            dry_run=args.dry_run,
            actor=who,
            ignore_columns=args.ignore_columns,
        )
    for line in report.errors:
        print(line, file=sys.stderr)
    print(report.summary())
    if report.errors:
        raise UserError(f"import refused: {len(report.errors)} errors; nothing was written")
    return 0


def cmd_verify(args: argparse.Namespace, settings: Settings) -> int:
    """Check the audit chain, or an exported workbook."""
    from readiness.audit import chain as audit

    db = open_db(args, settings)
    if args.file:
        from readiness.export import verify_workbook

        return verify_workbook(db, Path(args.file))
    kept = _kept_head(args.head)
    with db.read() as session:
        result = audit.verify(session)
        if kept is not None and (problem := audit.check_head(session, *kept)) is not None:
            result.problems.insert(0, problem)
    if not result.ok:
        for problem in result.problems[:20]:
            print(problem, file=sys.stderr)
        raise UserError(f"verify failed: {result.problems[0]}")
    print(
        f"audit chain intact: {result.events} events, {result.records} records match;"
        f" head {result.events}:{result.head}"
        + (f"; kept head {kept[0]} found" if kept is not None else "")
    )
    return 0


def _kept_head(text: str | None) -> tuple[int, str] | None:
    """The --head SEQ:HASH as (seq, hash), or None when not given."""
    if text is None:
        return None
    from readiness.audit import chain as audit

    try:
        return audit.parse_head(text)
    except ValueError as error:
        raise UserError(str(error)) from None


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    """Copy the database to --output."""
    from readiness.backup import backup

    out = Path(args.output)
    backup(database_url(args, settings), out, force=args.force)
    print(f"backup written to {out} ({out.stat().st_size:,} bytes)")
    return 0
