"""The `readiness` command: argument parsing and one-line errors, nothing else."""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.exc import OperationalError, ProgrammingError

from readiness.config import REPO_ROOT, Settings, load_settings
from readiness.db import Database
from readiness.errors import UserError

Handler = Callable[[argparse.Namespace, Settings], int]
COMMANDS: dict[str, Handler] = {}


def command(name: str) -> Callable[[Handler], Handler]:
    """Register a subcommand handler."""

    def wrap(fn: Handler) -> Handler:
        COMMANDS[name] = fn
        return fn

    return wrap


def open_db(args: argparse.Namespace, settings: Settings) -> Database:
    """The database named by --db, else READINESS_DB_URL, else the embedded default."""
    return Database(args.db or settings.db_url)


def actor(args: argparse.Namespace, settings: Settings) -> str:
    """Who the audit trail names for this command's writes."""
    return str(args.actor or settings.actor)


@command("init")
def cmd_init(args: argparse.Namespace, settings: Settings) -> int:
    from readiness.services.setup import initialise

    db = open_db(args, settings)
    summary = initialise(db, settings, actor=actor(args, settings))
    print(summary)
    return 0


@command("demo")
def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from readiness.demo import run_demo
    from readiness.services.users import ensure_demo_users

    db = open_db(args, settings)
    report = run_demo(db, sites=args.sites, days=args.days, seed=args.seed, if_empty=args.if_empty)
    print(report.summary())
    if report.skipped:
        return 0
    # Only on a database the demo itself just filled: known passwords never reach real data.
    with db.write() as session:
        accounts = ensure_demo_users(session, actor=actor(args, settings))
    print(
        "demo sign-ins: " + ", ".join(f"{name} / {password}" for name, _role, password in accounts)
    )
    return 0


@command("import")
def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from readiness.importing.run import import_dir, import_file

    db = open_db(args, settings)
    who = actor(args, settings)
    if args.dir:
        if args.kind or args.file:
            raise UserError("give either KIND FILE or --dir DIR, not both")
        report = import_dir(db, Path(args.dir), dry_run=args.dry_run, actor=who)
    else:
        if not (args.kind and args.file):
            raise UserError("import needs KIND FILE, or --dir DIR")
        report = import_file(db, args.kind, Path(args.file), dry_run=args.dry_run, actor=who)
    for line in report.errors:
        print(line, file=sys.stderr)
    print(report.summary())
    if report.errors:
        raise UserError(f"import refused: {len(report.errors)} errors; nothing was written")
    return 0


@command("verify")
def cmd_verify(args: argparse.Namespace, settings: Settings) -> int:
    from readiness.audit import chain as audit

    db = open_db(args, settings)
    if args.file:
        from readiness.export import verify_workbook

        return verify_workbook(db, Path(args.file))
    with db.read() as session:
        result = audit.verify(session)
    if not result.ok:
        for problem in result.problems[:20]:
            print(problem, file=sys.stderr)
        raise UserError(f"verify failed: {result.problems[0]}")
    print(
        f"audit chain intact: {result.events} events, {result.records} records match;"
        f" head {result.head}"
    )
    return 0


@command("backup")
def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    from readiness.backup import backup

    url = args.db or settings.db_url
    out = Path(args.output)
    backup(url, out)
    print(f"backup written to {out} ({out.stat().st_size:,} bytes)")
    return 0


@command("dashboard")
def cmd_dashboard(args: argparse.Namespace, settings: Settings) -> int:
    env = dict(os.environ)
    if args.db:
        env["READINESS_DB_URL"] = args.db
    app = REPO_ROOT / "dashboards" / "app.py"
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(args.port)]
    cmd += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    cmd += ["--client.toolbarMode", "viewer"]  # no "Deploy" button for clinic staff
    print(f"dashboard on http://localhost:{args.port}")
    return subprocess.call(cmd, env=env)


def _date(text: str) -> str:
    """Accept YYYY-MM-DD only; argparse turns the error into one line."""
    from datetime import date

    try:
        date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
    return text


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(prog="readiness", description=__doc__)
    parser.add_argument(
        "--db", help="database URL (default: READINESS_DB_URL or data/readiness.db)"
    )
    parser.add_argument("--actor", help="who the audit trail names for writes (default: OS user)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("init", help="create or upgrade the schema, load policy and templates")

    demo = sub.add_parser("demo", help="fill the database with a synthetic practice")
    demo.add_argument("--sites", type=int, default=6)
    demo.add_argument("--days", type=int, default=400)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--if-empty", action="store_true", help="do nothing when sites exist")

    imp = sub.add_parser("import", help="import CSV or XLSX files, all or nothing")
    imp.add_argument("kind", nargs="?", help="sites, staff, certifications, assets, ...")
    imp.add_argument("file", nargs="?")
    imp.add_argument("--dir", help="import every known file in DIR in dependency order")
    imp.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")

    ver = sub.add_parser("verify", help="check the audit chain, or an export against the database")
    ver.add_argument("file", nargs="?", help="an exported workbook to check")

    bak = sub.add_parser("backup", help="a consistent copy of the database")
    bak.add_argument("-o", "--output", required=True)

    dash = sub.add_parser("dashboard", help="start the Streamlit dashboard")
    dash.add_argument("--port", type=int, default=8501)

    for module in COMMAND_MODULES:
        importlib.import_module(module).register(sub)
    return parser


# Modules that add their own subcommands: each has `register(subparsers)` and sets
# `handler=` on its parsers with `set_defaults`.
COMMAND_MODULES = (
    "readiness.commands.checklist",
    "readiness.commands.compliance",
    "readiness.commands.export",
    "readiness.commands.scheduler",
    "readiness.commands.user",
)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    try:
        settings = load_settings()
        args = build_parser().parse_args(argv)
        handler = getattr(args, "handler", None) or COMMANDS[args.command]
        return int(handler(args, settings))
    except UserError as exc:
        print(f"readiness: error: {exc}", file=sys.stderr)
        return 2
    except (OperationalError, ProgrammingError) as exc:
        if os.environ.get("READINESS_DEBUG", "").lower() in {"1", "true", "yes"}:
            traceback.print_exc()
        print(f"readiness: database error: {_one_line(exc.orig or exc)}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("readiness: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: still one line for the user, traceback on request
        if os.environ.get("READINESS_DEBUG", "").lower() in {"1", "true", "yes"}:
            traceback.print_exc()
        print(
            f"readiness: internal error: {type(exc).__name__}: {_one_line(exc)}"
            " (set READINESS_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
