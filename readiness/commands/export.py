"""The `readiness export` command: the inspector workbook for some sites and a period."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from readiness.clock import utc_now
from readiness.config import Settings
from readiness.db import Database
from readiness.errors import UserError


def register(sub: argparse._SubParsersAction) -> None:
    """Add this module's subcommands to the parser."""
    parser = sub.add_parser("export", help="the inspector workbook (Excel) for sites and a period")
    parser.add_argument("--site", required=True, help="site code, or several separated by commas")
    parser.add_argument("--from", dest="start", required=True, type=_date, help="YYYY-MM-DD")
    parser.add_argument("--to", dest="end", required=True, type=_date, help="YYYY-MM-DD")
    parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
    parser.add_argument("--practice", default="", help="practice name shown on the cover")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    parser.set_defaults(handler=run_export)


def _date(text: str) -> date:
    """Accept YYYY-MM-DD only; argparse turns the error into one line."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


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
        generated_by=str(args.actor or settings.actor),
        generated_at=utc_now(),
        practice=args.practice,
    )
    policy = load_policy(settings.checklists_dir / "requirements.yaml", settings.policy_overrides)
    templates = templates_in_force(settings.checklists_dir, policy)
    db = Database(args.db or settings.db_url)
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
        f"wrote {output} ({output.stat().st_size:,} bytes): {len(result.sheets)} sheets,"
        f" {rows:,} rows, audit chain head {result.head[0]},"
        f" in {time.perf_counter() - started:.1f} s; check it with: readiness verify {output}"
    )
    return 0


class _Progress:
    """Progress lines on stderr: each sheet when done, and every 100,000 rows of long ones."""

    def __init__(self, started: float) -> None:
        self.started = started

    def __call__(self, sheet: str, rows: int, done: bool) -> None:
        state = "done" if done else "..."
        elapsed = time.perf_counter() - self.started
        print(f"  {sheet}: {rows:,} rows {state} ({elapsed:.1f} s)", file=sys.stderr, flush=True)
