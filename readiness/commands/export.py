"""The `readiness export` command: the inspector workbook for some sites and a period."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from readiness.clock import utc_now
from readiness.commands.common import actor, add_command, day, open_db
from readiness.config import Settings
from readiness.errors import UserError

if TYPE_CHECKING:
    from readiness.commands.common import Subparsers
    from readiness.db import Database


def register(sub: Subparsers) -> None:
    """Add this module's subcommands to the parser."""
    parser = add_command(
        sub,
        "export",
        "the inspector workbook (Excel) for sites and a period",
        description="Write the workbook an inspector asks for: every record of the sites "
        "and period, the days each requirement was out of compliance, and the audit trail, "
        "sealed so that `readiness verify FILE.xlsx` can show it was not altered.",
    )
    parser.add_argument(
        "--site",
        required=True,
        metavar="CODE",
        help="the site's code, or several separated by commas",
    )
    parser.add_argument(
        "--from",
        dest="start",
        required=True,
        type=day,
        metavar="DATE",
        help="the first day of the period, YYYY-MM-DD",
    )
    parser.add_argument(
        "--to",
        dest="end",
        required=True,
        type=day,
        metavar="DATE",
        help="the last day of the period, YYYY-MM-DD",
    )
    parser.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="the .xlsx file to write"
    )
    parser.add_argument(
        "--practice", default="", metavar="NAME", help="the practice name shown on the cover"
    )
    parser.add_argument(
        "--quiet", action="store_true", help="do not show progress while the workbook is written"
    )
    parser.set_defaults(handler=run_export)


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write the workbook, showing progress per sheet on stderr."""
    from readiness.checklist.in_force import templates_in_force
    from readiness.export import ExportRequest, export_workbook
    from readiness.policy.pack import load_policy

    output = Path(args.output)
    if output.suffix.lower() != ".xlsx":
        raise UserError(f"the output must be an .xlsx file: {output}")
    if not output.parent.is_dir():
        raise UserError(f"no such folder: {output.parent}")
    request = ExportRequest(
        sites=tuple(code.strip() for code in args.site.split(",") if code.strip()),
        start=args.start,
        end=args.end,
        generated_by=actor(args, settings),
        generated_at=utc_now(),
    )
    policy = load_policy(settings.checklists_dir / "requirements.yaml", settings.policy_overrides)
    templates = templates_in_force(settings.checklists_dir, policy)
    db = open_db(args, settings)
    request = replace(request, practice=practice_name(args, db))
    started = time.perf_counter()
    progress = None if args.quiet else _Progress(started)
    partial = output.with_name(output.name + ".partial")
    try:
        result = export_workbook(
            db, request, partial, policy=policy, templates=templates, progress=progress
        )
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
        db.dispose()
    rows = sum(d.rows for d in result.sheets)
    print(
        f"wrote {output} ({output.stat().st_size:,} bytes): {result.worksheets} sheets,"
        f" {rows:,} rows, audit chain head {result.head[0]},"
        f" in {time.perf_counter() - started:.1f} s; check it with: readiness verify {output}"
    )
    return 0


def practice_name(args: argparse.Namespace, db: Database) -> str:
    """The practice's name for the cover: --practice, else the name an administrator stored."""
    from readiness.services.practice import practice_name as stored_name

    given = str(args.practice or "").strip()
    if given:
        return given
    with db.read() as session:
        return stored_name(session)


class _Progress:
    """Progress lines on stderr: each sheet when done, and every 100,000 rows of long ones."""

    def __init__(self, started: float) -> None:
        self.started = started

    def __call__(self, sheet: str, rows: int, done: bool) -> None:
        state = "done" if done else "..."
        elapsed = time.perf_counter() - self.started
        print(f"  {sheet}: {rows:,} rows {state} ({elapsed:.1f} s)", file=sys.stderr, flush=True)
