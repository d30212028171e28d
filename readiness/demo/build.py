"""`readiness demo`: plan the practice, then write its history month by month.

The whole demo is one write transaction: it lands completely or not at all, so
an interrupted run leaves the database as it was and can simply be run again.
History is generated and written one calendar month at a time for all clinics,
so memory stays bounded (a month of 200 clinics is some 20,000 checklist runs)
and the audit trail reads in time order.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from readiness.audit import chain as audit
from readiness.clock import utc_now
from readiness.collector import collector_paused
from readiness.db import Database
from readiness.demo import drills, evidence, incidents
from readiness.demo.acknowledgements import acknowledge_plans
from readiness.demo.clinic import Clinic, Horizon, Ids
from readiness.demo.contacts import write_contacts
from readiness.demo.plans import Plan, load_plans, template_version_recs
from readiness.demo.practice import plan_clinic
from readiness.demo.runs import Desk, this_morning, window_runs
from readiness.demo.snapshots import SNAPSHOT_DAYS, snapshot_history
from readiness.demo.transaction import build_transaction
from readiness.demo.writer import Rec, Writer
from readiness.errors import UserError
from readiness.migrate import refresh_statistics
from readiness.models import Asset, ChecklistTemplateVersion, CorrectiveAction, Site, Staff
from readiness.rules import due as rules

# Told each step of a long build, as one line ("history to 2025-03: 16 of 36 months").
Progress = Callable[[str], None]


def _quiet(_line: str) -> None:
    """No progress lines (tests and benchmarks)."""


@dataclass
class DemoReport:
    """What a demo run wrote and how long each part took."""

    sites: int
    days: int
    seed: int
    as_of: date
    rows: Counter[str] = field(default_factory=Counter)
    tally: Counter[str] = field(default_factory=Counter)
    events: int = 0
    open_actions: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    total_seconds: float = 0.0
    skipped: str | None = None

    @property
    def total_rows(self) -> int:
        """Every row inserted, audit events included."""
        return sum(self.rows.values()) + self.events

    def summary(self) -> str:
        """One paragraph for the command line."""
        if self.skipped:
            return self.skipped
        r, t = self.rows, self.tally
        first = self.as_of - timedelta(days=self.days)
        return "\n".join(
            [
                f"demo practice: {self.sites} sites, {self.days} days of history"
                f" ({first} to {self.as_of - timedelta(days=1)}, as of {self.as_of}),"
                f" seed {self.seed}; built in {self.total_seconds:.1f} s",
                f"  {r['staff']:,} staff, {r['assets']:,} assets, {r['stock_lots']:,} stock lots,"
                f" {r['certifications']:,} certifications, {r['service_events']:,} service events,"
                f" {r['drills']:,} drills, {r['site_documents']:,} document reviews",
                f"  {r['checklist_runs']:,} checklist runs ({r['checklist_responses']:,} answers;"
                f" {t['missed slots']:,} slots missed, {t['late runs']:,} late,"
                f" {t['failed runs']:,} with a failed item)",
                f"  {r['incidents']:,} incidents ({r['incident_followups']:,} follow-ups),"
                f" {r['corrective_actions']:,} corrective actions ({self.open_actions:,} open);"
                f" {self.events:,} audit events",
            ]
        )


def build_demo(
    db: Database,
    *,
    sites: int,
    days: int,
    seed: int,
    if_empty: bool,
    as_of: date | None = None,
) -> str:
    """Fill an empty database with a deterministic synthetic practice; returns a summary."""
    return run_demo(db, sites=sites, days=days, seed=seed, if_empty=if_empty, as_of=as_of).summary()


def run_demo(
    db: Database,
    *,
    sites: int,
    days: int,
    seed: int,
    if_empty: bool,
    as_of: date | None = None,
    progress: Progress = _quiet,
) -> DemoReport:
    """`build_demo` with the full report (rows per table, seconds per part) for benchmarks;
    `progress` is told each step of a long build."""
    if sites < 1 or days < 1:
        raise UserError("the demo needs at least 1 site and 1 day")
    started = time.perf_counter()
    # The only clock read: the history ends the day before today (UTC) unless told otherwise.
    report = DemoReport(sites, days, seed, as_of or utc_now().date())
    plans = load_plans()
    # Millions of short-lived records and no reference cycles: collections would find
    # nothing to free and cost some 7% of the build (measured at 40 sites).
    with collector_paused():
        _run(db, report, plans, if_empty, progress)
    report.total_seconds = time.perf_counter() - started
    return report


def _run(
    db: Database, report: DemoReport, plans: list[Plan], if_empty: bool, progress: Progress
) -> None:
    """The build itself: the practice in one transaction, then statistics and snapshots."""
    with build_transaction(db) as session:
        # Two demos started at once: the second waits here, then finds the sites.
        audit.lock_chain(session)
        existing = _existing_sites(session)
        if existing:
            if not if_empty:
                raise UserError(
                    f"the database already has {existing} sites: the demo fills an empty"
                    " database only (use --if-empty to skip quietly)"
                )
            report.skipped = f"demo skipped: database already has {existing} sites"
            return
        _write_all(session, report, plans, progress)
        started = time.perf_counter()
        first_day = report.as_of - timedelta(days=report.days)
        report.rows["site_contacts and emergency_roles"] = write_contacts(session, first_day)
        report.rows["plan_acknowledgements"] = acknowledge_plans(session, report.as_of, report.days)
        report.seconds["contacts and acknowledgements"] = time.perf_counter() - started
        started = time.perf_counter()
    report.seconds["commit"] = time.perf_counter() - started
    # A fresh practice has no planner statistics: without them queries may walk whole tables.
    progress("gathering the planner's statistics")
    started = time.perf_counter()
    refresh_statistics(db.engine)
    report.seconds["planner statistics"] = time.perf_counter() - started
    # The overview's trend reads snapshots: record the recent history as the scheduler would.
    progress("recording the overview's readiness snapshots")
    span = min(report.days, SNAPSHOT_DAYS)
    report.seconds["readiness snapshots"] = snapshot_history(db, report.as_of, span)


def _existing_sites(session: Session) -> int:
    """How many sites the database holds (a clear error when it has no schema yet)."""
    if not inspect(session.connection()).has_table(Site.__tablename__):
        raise UserError("the database has no schema yet: run `readiness init` first")
    return int(session.scalar(select(func.count()).select_from(Site)) or 0)


def _write_all(session: Session, report: DemoReport, plans: list[Plan], progress: Progress) -> None:
    """Practice, evidence and history, then the keys and counts for the report."""
    h = Horizon.of(report.as_of, report.days, report.seed)
    writer = Writer(session)
    known = set(session.scalars(select(ChecklistTemplateVersion.version)))
    writer.add_all(template_version_recs(plans, known, h))
    clinics = _practice(writer, report, h)
    _evidence(writer, report, clinics, h)
    clinics_word = "clinic" if report.sites == 1 else "clinics"
    progress(f"planned {report.sites} {clinics_word}, their staff, equipment and evidence")
    _history(writer, report, clinics, plans, h, progress)
    writer.flush()
    writer.finish()
    open_actions = select(func.count()).where(CorrectiveAction.status == "open")
    report.open_actions = int(session.scalar(open_actions) or 0)
    report.rows = writer.counts
    report.events = writer.events
    report.seconds.update(writer.seconds)


def _practice(writer: Writer, report: DemoReport, h: Horizon) -> list[Clinic]:
    """Clinics, staff, equipment and stock: planned up front, since all history refers to them."""
    started = time.perf_counter()
    ids = Ids(site=writer.next_id[Site], staff=writer.next_id[Staff], asset=writer.next_id[Asset])
    clinics = []
    for index in range(report.sites):
        clinic, recs = plan_clinic(index, report.sites, h, ids)
        clinics.append(clinic)
        writer.add_all(recs)
    # The writer must not hand these keys out again.
    writer.next_id[Site], writer.next_id[Staff] = ids.site, ids.staff
    writer.next_id[Asset] = ids.asset
    report.seconds["plan practice"] = time.perf_counter() - started
    return clinics


def _evidence(writer: Writer, report: DemoReport, clinics: list[Clinic], h: Horizon) -> None:
    """Certificates, services, drills, documents and incidents of every clinic."""
    started = time.perf_counter()
    recs: list[Rec] = []
    found: list[Rec] = []
    for clinic in clinics:
        recs += evidence.certifications(clinic, h)
        recs += evidence.service_events(clinic, h)
        recs += drills.drills(clinic, h)
        recs += evidence.documents(clinic, h)
        events = incidents.incidents(clinic, h)
        found += [rec for rec in events if rec.model.__tablename__ == "incidents"]
        recs += events
    incidents.assign_case_refs(found)
    writer.add_all(recs)
    report.seconds["plan evidence"] = time.perf_counter() - started


def _history(
    writer: Writer,
    report: DemoReport,
    clinics: list[Clinic],
    plans: list[Plan],
    h: Horizon,
    progress: Progress,
) -> None:
    """Checklist runs month by month, each month written before the next is made."""
    desks = [Desk.of(clinic, h, report.tally) for clinic in clinics]
    generating = 0.0
    first = h.start
    months = (h.end.year - h.start.year) * 12 + h.end.month - h.start.month + 1
    done = 0
    while first <= h.end:
        last = min(rules.month_end(first), h.end)
        started = time.perf_counter()
        for desk in desks:
            writer.add_all(window_runs(desk, plans, first, last))
        generating += time.perf_counter() - started
        # Nothing made later is dated before the next month's first UTC midnight:
        # every site is at or west of UTC, so its local mornings come after it.
        writer.flush(before=datetime.combine(last + timedelta(days=1), clock_time(0), tzinfo=UTC))
        first = last + timedelta(days=1)
        done += 1
        progress(f"checklist history written to {last:%Y-%m}: {done} of {months} months")
    for desk in desks:
        writer.add_all(this_morning(desk, plans, h.as_of))
    writer.flush(before=datetime.combine(h.as_of + timedelta(days=1), clock_time(0), tzinfo=UTC))
    report.seconds["generate checklists"] = generating
