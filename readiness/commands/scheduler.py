"""The `readiness scheduler` command: reminder jobs forever, or one pass for cron/systemd."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from types import FrameType
from typing import TYPE_CHECKING

from readiness.commands.common import add_command, open_db
from readiness.config import Settings

if TYPE_CHECKING:
    from readiness.commands.common import Subparsers
    from readiness.reminders.mailer import Mailer
    from readiness.reminders.scheduler import ReminderScheduler

logger = logging.getLogger("readiness.reminders.scheduler")


def register(sub: Subparsers) -> None:
    """Add this module's subcommands to the parser."""
    parser = add_command(
        sub,
        "scheduler",
        "send the reminder e-mails (run forever, or one pass with --once)",
        description="Work out what is due, failed or expiring at each site and e-mail the "
        "people responsible, by the SMTP settings. Runs until stopped, or one pass with "
        "--once for cron or a systemd timer. Reminders that cannot be delivered stay "
        "queued for the next pass.",
    )
    parser.add_argument(
        "--once",
        action="store_true",
        help="one pass (work out, queue, deliver), then stop: for cron or a systemd timer",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print the e-mails that would be sent; send nothing and write nothing",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the scheduler as asked; exit 1 when reminders could not be delivered."""
    if not args.once:
        return _run(args, settings)
    # One pass and out: its imports and its pass make hundreds of thousands of objects
    # without cycles, and the collections they would set off free nothing (a process that
    # runs forever keeps the collector). What is left at exit is frozen by `cli.main`.
    from readiness.collector import collector_paused

    with collector_paused():
        return _run(args, settings)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    """Open the database, then one pass or the loop."""
    from readiness.reminders.run import PassSetup
    from readiness.reminders.scheduler import ReminderScheduler

    _log_to_stderr()
    db = open_db(args, settings)
    try:
        scheduler = ReminderScheduler(
            db, PassSetup.from_settings(settings), _mailer(args, settings), dry_run=args.dry_run
        )
        if args.once:
            return _once(scheduler, dry_run=args.dry_run)
        scheduler.run_forever(_stop_on_sigterm())
        return 0
    finally:
        db.dispose()


def _once(scheduler: ReminderScheduler, *, dry_run: bool) -> int:
    """One pass; its summary on stdout, undelivered reminders as one line on stderr."""
    from readiness.reminders.scheduler import UndeliveredError

    try:
        report = scheduler.once()
    except UndeliveredError as error:
        print(f"readiness: reminders not delivered, they stay queued: {error}", file=sys.stderr)
        return 1
    if dry_run:
        print(f"dry run: {len(report.digests)} digests would be sent; nothing was written")
    else:
        print(report.summary())
    return 0


def _mailer(args: argparse.Namespace, settings: Settings) -> Mailer:
    """SMTP as configured, or printing for --dry-run."""
    from readiness.reminders.mailer import PrintMailer, SmtpMailer

    return PrintMailer(settings.smtp_from) if args.dry_run else SmtpMailer(settings)


def _log_to_stderr() -> None:
    """INFO and above on stderr, unless logging was configured already."""
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )


def _stop_on_sigterm() -> threading.Event:
    """An event set by SIGTERM (systemd stop), so the loop ends and releases its lock."""
    stop = threading.Event()

    def handle(signum: int, frame: FrameType | None) -> None:
        logger.info("stopping on signal %d", signum)
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handle)
    return stop
