"""A practice whose emergency plan changes on a date (a helper of the history tests; it holds
no tests of its own).

The practice of tests/data/compliance_practice, imported with DAL1's contacts and roles
(in force from 2026-01-05; DEN1 has none on file). Everyone acknowledges their site's
plan on 20 February 2026. A contacts import then changes DAL1's emergency department
number and gives DEN1 its first contacts, both from 2 March 2026: a new plan version at
each site from that day. At DEN1 both members of staff acknowledge the new plan on the
day it takes effect (a site in good order); at DAL1, Ana Ruiz (D-1) and Ben Cole (D-2)
acknowledge it on 3 March, Cara Diaz (D-3) on 5 March and Dan Fox (D-4) never. Eve Gray
(D-5) has left (inactive) and owes nothing.

What an inspector concludes, worked out by hand, is `OUT_DAYS`: for each member of staff
the days of `START`..`END` on which they had not acknowledged the plan then in force.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
from compliance_support import POLICY, TEMPLATES
from plan_world import build
from sqlalchemy.orm import Session

from readiness.access import Principal
from readiness.compliance import compliance_items
from readiness.compliance.history.lapses import days_out
from readiness.compliance.plan_versions import plan_versions
from readiness.db import Database
from readiness.export.context import ExportRequest, resolve_sites
from readiness.importing.run import import_file
from readiness.models import Site
from readiness.rules.status import BLOCKING
from readiness.services.plan_acknowledgements import acknowledge_plan

REQUIREMENT = "plan.acknowledged"
CODES = ["DAL1", "DEN1"]
FIRST_SIGNED = date(2026, 2, 20)
CHANGED_ON = date(2026, 3, 2)
START, END = date(2026, 2, 15), date(2026, 3, 8)
# Well after the period: every day of it has closed at both sites.
NOW = datetime(2026, 3, 20, 18, 0, tzinfo=UTC)
NEW_DAL1_PHONE = "214-820-9999"


def days(first: date, last: date) -> set[date]:
    """first..last, both included."""
    return {first + timedelta(days=n) for n in range((last - first).days + 1)}


BEFORE_FIRST_SIGNING = days(START, FIRST_SIGNED - timedelta(days=1))
# (site, staff id) -> the days out of compliance, by hand: before 20 February nobody had
# acknowledged the plan; from 2 March each owes the new version until they sign it.
OUT_DAYS: dict[tuple[str, str], set[date]] = {
    ("DAL1", "D-1"): BEFORE_FIRST_SIGNING | {CHANGED_ON},
    ("DAL1", "D-2"): BEFORE_FIRST_SIGNING | {CHANGED_ON},
    ("DAL1", "D-3"): BEFORE_FIRST_SIGNING | days(CHANGED_ON, date(2026, 3, 4)),
    ("DAL1", "D-4"): BEFORE_FIRST_SIGNING | days(CHANGED_ON, END),
    ("DAL1", "D-5"): set(),
    ("DEN1", "E-1"): BEFORE_FIRST_SIGNING,
    ("DEN1", "E-2"): BEFORE_FIRST_SIGNING,
}


def build_practice(db: Database, folder: Path) -> Database:
    """The practice, its acknowledgements and the plan change, as described above."""
    build(db, folder)
    # 09:00 at both sites (Chicago and Denver are behind UTC by 6 and 7 hours in winter).
    acknowledge(db, "DAL1", ["D-1", "D-2", "D-3", "D-4"], at(FIRST_SIGNED, 15))
    acknowledge(db, "DEN1", ["E-1", "E-2"], at(FIRST_SIGNED, 16))
    change = folder / "new_contacts.csv"
    change.write_text(
        "site_code,ed_phone,effective_from,reason\n"
        f"DAL1,{NEW_DAL1_PHONE},{CHANGED_ON},ED switchboard moved\n"
        f"DEN1,303-602-8000,{CHANGED_ON},Emergency department named\n",
        encoding="utf-8",
    )
    report = import_file(db, "site_contacts", change, dry_run=False, actor="test")
    assert report.errors == [] and report.counts["site_contacts"].created == 2
    acknowledge(db, "DEN1", ["E-1", "E-2"], at(CHANGED_ON, 16))
    acknowledge(db, "DAL1", ["D-1", "D-2"], at(date(2026, 3, 3), 15))
    acknowledge(db, "DAL1", ["D-3"], at(date(2026, 3, 5), 15))
    return db


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def acknowledge(db: Database, code: str, people: list[str], on: datetime) -> None:
    """Each person signs the plan their site's Today page shows now."""
    with db.write() as session:
        site = session.query(Site).filter_by(code=code).one()
        version = plan_versions(session, [site.id])[site.id]
        for staff_id in people:
            acknowledge_plan(
                session,
                Principal(staff_id.lower(), "staff", (code,), staff_id),
                site_code=code,
                staff_id=staff_id,
                plan_version=version,
                pin=None,
                now_utc=on,
            )


def history_out(db: Database, first: date, last: date) -> dict[tuple[str, str], set[date]]:
    """(site, staff id) -> the days of first..last the history counts out of compliance:
    the export's days out, asked one day and one person at a time."""
    with db.read() as session:
        items = _items(session, last)
        found: dict[tuple[str, str], set[date]] = {key: set() for key in _keys(items)}
        for on in sorted(days(first, last)):
            request = ExportRequest(tuple(CODES), on, on, "test", NOW)
            sites = resolve_sites(session, request)
            for (code, subject), item in items.groupby(["site", "subject"]):
                counted = days_out(
                    session, POLICY, TEMPLATES, sites, item, start=on, end=on, now_utc=NOW
                )
                if counted.get((str(code), REQUIREMENT)):
                    found[(str(code), str(subject))].add(on)
    return found


def engine_out(db: Database, first: date, last: date) -> dict[tuple[str, str], set[date]]:
    """(site, staff id) -> the days of first..last on which the compliance engine, asked
    for that day, finds plan.acknowledged missing (or otherwise blocking)."""
    with db.read() as session:
        found: dict[tuple[str, str], set[date]] = {
            key: set() for key in _keys(_items(session, last))
        }
        for on in sorted(days(first, last)):
            judged = _items(session, on)
            blocking = judged[judged["status"].isin([str(s) for s in BLOCKING]).to_numpy()]
            for code, subject in zip(blocking["site"], blocking["subject"], strict=True):
                found[(str(code), str(subject))].add(on)
    return found


def _items(session: Session, on: date) -> pd.DataFrame:
    """The plan.acknowledged items of both sites, judged as of `on`."""
    items = compliance_items(
        session,
        POLICY,
        as_of=dict.fromkeys(CODES, on),
        sites=CODES,
        templates=TEMPLATES,
        now_utc=NOW,
    )
    return items[(items["requirement"] == REQUIREMENT).to_numpy()]


def _keys(items: pd.DataFrame) -> list[tuple[str, str]]:
    return [(str(c), str(s)) for c, s in zip(items["site"], items["subject"], strict=True)]
