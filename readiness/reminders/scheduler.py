"""The reminder scheduler: the `schedule` loop, its jobs, heartbeats and the sender lock.

Jobs: a reminder pass every few minutes, a daily digest at 07:00 in each site time
zone, the weekly summary on Monday mornings, and the readiness snapshot every hour
(each site's day is written once, after it closes in the site's zone; the job is
idempotent, so an hourly run catches every zone's midnight). Each job is a full pass
(`readiness.reminders.run`), so any job catches up whatever was missed; the timed
ones make the day's digest go out on the hour. Each job runs guarded: an exception
is logged with the job's name and recorded in its heartbeat, and never reaches
`schedule`, where it would skip the other jobs due at that moment.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pandas as pd
import schedule
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness import clock
from readiness.db import Database
from readiness.models import Site
from readiness.reminders import heartbeats
from readiness.reminders.lease import SenderLock, sender_lock
from readiness.reminders.mailer import Mailer
from readiness.reminders.run import PassReport, PassSetup, preview, run_pass
from readiness.rules import slots

logger = logging.getLogger(__name__)

REMINDER_PASS = "reminder-pass"
DAILY_DIGEST = "daily-digest"
WEEKLY_SUMMARY = "weekly-summary"
DAILY_SNAPSHOT = "readiness-snapshot"
PASS_EVERY_S = 5 * 60
DAY_S = 24 * 60 * 60
WEEK_S = 7 * DAY_S
DIGEST_AT = time(7, 0)
# Longest sleep between checks, so a stop request or a new site zone is seen soon.
MAX_SLEEP_S = 30.0

Work = Callable[[datetime], object]


class UndeliveredError(Exception):
    """A pass queued its reminders but some digests were not delivered; they stay queued."""

    def __init__(self, report: PassReport) -> None:
        errors = report.delivery.errors if report.delivery else []
        super().__init__(f"{report.summary()}: {errors[0] if errors else 'delivery failed'}")
        self.report = report


# --- jobs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobSpec:
    """A job: its name (also its heartbeat), interval, and time of day in a zone if any."""

    name: str
    interval_s: int
    at: time | None = None
    zone: str | None = None
    weekday: str | None = None


def job_specs(zones: Iterable[str], summary_zone: str, at: time = DIGEST_AT) -> list[JobSpec]:
    """The pass, one daily digest per distinct zone, and the Monday summary."""
    daily = [JobSpec(daily_job_name(z), DAY_S, at, z) for z in sorted(set(zones))]
    weekly = JobSpec(WEEKLY_SUMMARY, WEEK_S, at, summary_zone, "monday")
    return [JobSpec(REMINDER_PASS, PASS_EVERY_S), *daily, weekly]


# Hourly, so each zone's day is snapshotted within the hour after it closes.
SNAPSHOT_JOB = JobSpec(DAILY_SNAPSHOT, 60 * 60)


def daily_job_name(zone: str) -> str:
    """E.g. "daily-digest America/Chicago"."""
    return f"{DAILY_DIGEST} {zone}"


def register(
    scheduler: schedule.Scheduler, spec: JobSpec, call: Callable[[], None]
) -> schedule.Job:
    """Add the job to a `schedule` scheduler; timed jobs use the zone's wall clock."""
    if spec.at is None:
        job = scheduler.every(spec.interval_s).seconds
    else:
        unit = scheduler.every()
        job = getattr(unit, spec.weekday) if spec.weekday else unit.day
        # schedule takes the zone as a string and needs pytz for it.
        job = job.at(spec.at.strftime("%H:%M"), spec.zone)
    tags = (spec.name, DAILY_DIGEST) if spec.name.startswith(DAILY_DIGEST) else (spec.name,)
    return job.do(call).tag(*tags)


def guarded(db: Database, spec: JobSpec, work: Work, *, record: bool = True) -> Callable[[], None]:
    """The job as `schedule` calls it: heartbeats around it, and no exception escapes."""

    def run() -> None:
        now = clock.utc_now()
        try:
            if record:
                with db.write() as session:
                    heartbeats.started(session, spec.name, spec.interval_s, now)
            work(now)
        except UndeliveredError as error:
            # Expected while the mail server is down: one line, no traceback.
            logger.error("job %s: %s", spec.name, error)
            _record_failure(db, spec, error, record=record)
            return
        except Exception as error:
            logger.exception("job %s failed", spec.name)
            _record_failure(db, spec, error, record=record)
            return
        if record:
            _record(db, spec, heartbeats.succeeded, clock.utc_now())

    return run


def _record_failure(db: Database, spec: JobSpec, error: Exception, *, record: bool) -> None:
    """Keep the job's error in its heartbeat, so the dashboard shows it."""
    if not record:
        return
    text = f"{type(error).__name__}: {error}"
    try:
        with db.write() as session:
            heartbeats.failed(session, spec.name, spec.interval_s, text, clock.utc_now())
    except Exception:
        logger.exception("job %s: could not record its failure in the heartbeat", spec.name)


def _record(
    db: Database, spec: JobSpec, mark: Callable[[Session, str, int, datetime], None], now: datetime
) -> None:
    """Write one heartbeat column; a database that is down is logged, not raised."""
    try:
        with db.write() as session:
            mark(session, spec.name, spec.interval_s, now)
    except Exception:
        logger.exception("job %s: could not record its heartbeat", spec.name)


# --- when the digests fall due ---------------------------------------------------------


def next_digest_at(now_utc: datetime, zone: str, at: time = DIGEST_AT) -> datetime:
    """The first instant after now_utc at which the zone's clock shows `at` (DST-correct)."""
    day = slots.site_today(now_utc, zone)
    for offset in range(3):
        instant = slots.due_instant(day + timedelta(days=offset), at, zone)
        if instant > now_utc:
            return instant
    raise AssertionError("a wall-clock time recurs within three days")


def previous_digest_at(now_utc: datetime, zone: str, at: time = DIGEST_AT) -> datetime:
    """The last instant at or before now_utc at which the zone's clock showed `at`."""
    day = slots.site_today(now_utc, zone)
    for offset in range(3):
        instant = slots.due_instant(day - timedelta(days=offset), at, zone)
        if instant <= now_utc:
            return instant
    raise AssertionError("a wall-clock time recurs within three days")


# --- the scheduler ---------------------------------------------------------------------


class ReminderScheduler:
    """Runs passes for one database: once (cron) or forever (the `schedule` loop)."""

    def __init__(
        self,
        db: Database,
        setup: PassSetup,
        mailer: Mailer,
        *,
        dry_run: bool = False,
        lock: SenderLock | None = None,
        digest_at: time = DIGEST_AT,
    ) -> None:
        self.db = db
        self.setup = setup
        self.mailer = mailer
        self.dry_run = dry_run
        self.lock = lock or sender_lock(db)
        self.digest_at = digest_at
        self._zones: tuple[list[str], str] | None = None

    def work(self, now: datetime) -> PassReport:
        """One pass; it delivers only while this scheduler holds the sender lock."""
        if self.dry_run:
            report = PassReport(digests=preview(self.db, self.setup, now))
            for digest in report.digests:
                self.mailer.send(digest, now)
            return report
        held = self.lock.acquire(now)
        if not held:
            logger.info("another scheduler holds the sender lock: queueing only")
        report = run_pass(self.db, self.setup, self.mailer, now, send=held)
        if report.delivery is not None and report.delivery.rows_failed:
            # A job whose mail does not go out is not ok: its heartbeat must show it.
            raise UndeliveredError(report)
        return report

    def snapshot(self, now: datetime) -> int:
        """Readiness snapshots of each site's closed days not yet recorded; rows written."""
        if self.dry_run:
            return 0
        # Imported here: a dry run, the pass the command runs most by hand, never needs it.
        from readiness.services import readiness_snapshots

        # Judged in a read session: the writers' lock is held for the INSERT only.
        with self.db.read() as session:
            rows = readiness_snapshots.plan_take(
                session, self.setup.policy, self.setup.templates, now
            )
        if not rows:
            return 0
        with self.db.write() as session:
            return readiness_snapshots.store(session, rows)

    def once(self, now: datetime | None = None) -> PassReport:
        """One pass for cron or a systemd timer; its heartbeat covers every job it stands for."""
        now = clock.utc_now() if now is None else now
        specs = [] if self.dry_run else self.specs()
        try:
            report = self.work(now)
        except Exception as error:
            for spec in specs:
                _record_failure(self.db, spec, error, record=True)
            raise
        finally:
            self.lock.release()
        # A pass does the work of every job, so each job's heartbeat is current: one
        # write for all of them (a database that is down is logged, not raised).
        if specs:
            try:
                with self.db.write() as session:
                    heartbeats.ran(session, {spec.name: spec.interval_s for spec in specs}, now)
            except Exception:
                logger.exception("could not record the jobs' heartbeats")
        if not self.dry_run:
            # Cron runs only `once`: the day's snapshot goes with it (a no-op once written).
            guarded(self.db, SNAPSHOT_JOB, lambda _: self.snapshot(now))()
        return report

    def specs(self) -> list[JobSpec]:
        """The jobs for the active sites' zones."""
        zones, summary_zone = self.zones()
        return job_specs(zones, summary_zone, self.digest_at)

    def zones(self) -> tuple[list[str], str]:
        """The active sites' zones, and the zone of the weekly summary (the first site's)."""
        with self.db.read() as session:
            return site_zones(session)

    def build(self, scheduler: schedule.Scheduler | None = None) -> schedule.Scheduler:
        """A `schedule` scheduler with every job registered, guarded."""
        scheduler = scheduler or schedule.Scheduler()
        self._zones = self.zones()
        for spec in job_specs(*self._zones, self.digest_at):
            register(scheduler, spec, self.guarded(spec))
        if not self.dry_run:
            register(scheduler, SNAPSHOT_JOB, guarded(self.db, SNAPSHOT_JOB, self.snapshot))
        return scheduler

    def guarded(self, spec: JobSpec) -> Callable[[], None]:
        """The job's pass, guarded and with heartbeats (none in a dry run)."""
        return guarded(self.db, spec, self.work, record=not self.dry_run)

    def refresh(self, scheduler: schedule.Scheduler) -> None:
        """Re-register the daily digests when the set of site zones changed."""
        zones = self.zones()
        if zones == self._zones:
            return
        logger.info("site time zones changed: registering the jobs again")
        scheduler.clear()
        self.build(scheduler)

    def run_forever(self, stop: threading.Event | None = None) -> None:
        """Run every job now (catch-up), then as scheduled until `stop` is set."""
        stop = stop or threading.Event()
        scheduler = self.build()
        try:
            scheduler.run_all()
            while not stop.is_set():
                self._tick(scheduler)
                idle = scheduler.idle_seconds
                stop.wait(MAX_SLEEP_S if idle is None else min(max(idle, 0.5), MAX_SLEEP_S))
        finally:
            self.lock.release()

    def _tick(self, scheduler: schedule.Scheduler) -> None:
        """Run what is due; a failure outside the guarded jobs is logged and the loop goes on."""
        try:
            self.refresh(scheduler)
            scheduler.run_pending()
        except Exception:
            logger.exception("scheduler loop: checking for due jobs failed")


def site_zones(session: Session) -> tuple[list[str], str]:
    """Distinct zones of active sites, and the first site's zone (UTC when there is none)."""
    zones = list(session.scalars(select(Site.timezone).where(Site.active).order_by(Site.code)))
    return sorted(set(zones)), zones[0] if zones else "UTC"


def heartbeat_status(session: Session, now: datetime) -> pd.DataFrame:
    """Each expected job: last_ok_at, and late when more than twice its interval passed."""
    zones, summary_zone = site_zones(session)
    expected = {spec.name: spec.interval_s for spec in job_specs(zones, summary_zone)}
    return heartbeats.heartbeat_frame(session, now, expected)
