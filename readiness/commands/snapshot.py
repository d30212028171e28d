"""The `readiness snapshot` command: record each site's readiness for the overview's trend."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from readiness.commands.common import add_command, day, open_db
from readiness.config import Settings

if TYPE_CHECKING:
    from readiness.commands.common import Subparsers


def register(sub: Subparsers) -> None:
    """Add `snapshot` to the parser."""
    parser = add_command(
        sub,
        "snapshot",
        "record each site's readiness at the close of its day, for the dashboard's trend",
        description="Record, for every active site and emergency scenario, whether the site "
        "was ready when its day closed and how many items blocked it. The scheduler does "
        "this every hour by itself (each day once, after it closed at the site); run this "
        "command when the scheduler is not running, or to record a day it missed. A day "
        "already recorded is left as it was.",
    )
    parser.add_argument(
        "--as-of",
        type=day,
        metavar="DATE",
        help="record this closed day, YYYY-MM-DD (default: each site's days since its last "
        "snapshot, up to a week back)",
    )
    parser.set_defaults(handler=cmd_snapshot)


def cmd_snapshot(args: argparse.Namespace, settings: Settings) -> int:
    """Judge the owed days and store them; one line says how many were recorded."""
    from readiness import clock
    from readiness.checklist import templates_in_force
    from readiness.policy.pack import POLICY_FILE, load_policy
    from readiness.services import readiness_snapshots

    policy = load_policy(settings.checklists_dir / POLICY_FILE, settings.policy_overrides)
    templates = templates_in_force(settings.checklists_dir, policy)
    db = open_db(args, settings)
    now = clock.utc_now()
    try:
        with db.read() as session:
            rows = readiness_snapshots.plan_take(session, policy, templates, now, as_of=args.as_of)
        with db.write() as session:
            written = readiness_snapshots.store(session, rows)
    finally:
        db.dispose()
    sites = len({row["site_id"] for row in rows})
    if written:
        print(f"recorded readiness of {sites} site{'s' if sites != 1 else ''} ({written} rows)")
    else:
        print("nothing to record: every closed day is recorded already")
    return 0
