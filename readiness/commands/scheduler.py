"""The `readiness scheduler` command: reminder jobs forever, or one pass for cron/systemd."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from types import FrameType

from readiness.config import Settings
from readiness.db import Database
from readiness.reminders.mailer import Mailer, PrintMailer, SmtpMailer
from readiness.reminders.run import PassSetup
from readiness.reminders.scheduler import ReminderScheduler, UndeliveredError

logger = logging.getLogger("readiness.reminders.scheduler")


def register(sub: argparse._SubParsersAction) -> None:
    """Add this module's subcommands to the parser."""
    parser = sub.add_parser(
        "scheduler", help="run the reminder jobs (forever, or one pass with --once)"
    )
    parser.add_argument(
        "--once", action="store_true", help="one pass (compute, queue, deliver), for cron"
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print the digests that would be sent; send nothing and write nothing",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the scheduler as asked; exit 1 when reminders could not be delivered."""
    _log_to_stderr()
    db = Database(args.db or settings.db_url)
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
