"""The small practice the export tests share, built at pinned instants on either engine.

Submissions carry fixed idempotency keys (a random one would differ between engines).

Two sites in Chicago (open Monday to Saturday). In the week of Monday 2026-03-09 the
opening check is done on time on Monday, missed on Tuesday, done late on Wednesday
and failed (oxygen below minimum) on Thursday, which opens a corrective action that
is closed on Friday. A drill, a service event (later amended), a certificate, a
stock lot and an incident complete the picture. Text fields carry the hostile
strings given to `build_world`. Every write happens at a pinned instant, so the
same world built on SQLite and PostgreSQL has the same audit chain, hash for hash.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import time_machine
from checklist_world import LASER_OK, OPENING_OK, build_site, submit

from readiness.audit import records
from readiness.db import Database
from readiness.export import ExportRequest, ExportResult, export_workbook
from readiness.models import Asset as AssetModel
from readiness.models import (
    Certification,
    CorrectiveAction,
    Drill,
    DrillParticipant,
    Incident,
    ServiceEvent,
    Staff,
    StockLot,
)
from readiness.services.corrective_actions import close_corrective_action

ACTOR = "test"
START, END = date(2026, 3, 9), date(2026, 3, 14)
GENERATED = datetime(2026, 3, 16, 12, 0, tzinfo=UTC)
T0 = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A Chicago wall time in March 2026 (CDT from the 8th: UTC-5) as a UTC instant."""
    offset = 6 if day < date(2026, 3, 8) else 5
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) + timedelta(
        hours=offset
    )


@contextmanager
def clock(instant: datetime) -> Iterator[None]:
    """Pin the wall clock: audit events and recorded_at take this instant."""
    with time_machine.travel(instant, tick=False):
        yield


def build_world(db: Database, hostile: Sequence[str] = ()) -> None:
    """The week described above; each hostile string goes into several text fields."""
    with clock(T0), db.write() as session:
        build_site(session)
        build_site(session, "PHX1")
    _checklists(db)
    _evidence(db, list(hostile))


def _checklists(db: Database) -> None:
    monday = START
    with clock(at(monday, 8, 12)):
        submit(db, slot_date=monday, now_utc=at(monday, 8, 12), key="mon")
        submit(
            db,
            template_id="laser-preuse-daily",
            asset_id="L-1",
            answers=LASER_OK,
            slot_date=monday,
            now_utc=at(monday, 8, 15),
            key="mon-laser",
        )
    wednesday = START + timedelta(days=2)
    with clock(at(wednesday, 11, 40)):
        submit(db, slot_date=wednesday, now_utc=at(wednesday, 11, 40), key="wed")
    thursday = START + timedelta(days=3)
    failed = {**OPENING_OK, "o2_psi": 800, "o2_psi.note": "Cylinder low; spare fitted"}
    with clock(at(thursday, 8, 5)):
        submit(db, slot_date=thursday, answers=failed, now_utc=at(thursday, 8, 5), key="thu")
    friday = START + timedelta(days=4)
    with clock(at(friday, 9, 0)), db.write() as session:
        action = session.query(CorrectiveAction).one()
        close_corrective_action(
            session,
            action.id,
            "Full cylinder fitted; pressure 2000 psi",
            "Lee Park",
            ACTOR,
            at(friday, 9, 0),
        )


def _evidence(db: Database, hostile: list[str]) -> None:
    texts = hostile or ["Went well; AED on in 95 s."]
    with clock(at(START, 13, 0)), db.write() as session:
        people = {p.staff_id: p for p in session.query(Staff)}
        laser = session.query(AssetModel).filter_by(asset_id="L-1").one()
        site_id = laser.site_id
        records.create(session, _card(people["S-1"]), actor=ACTOR)
        records.create(session, _lot(site_id), actor=ACTOR)
        for n, text in enumerate(texts):
            records.create(session, _drill(site_id, people, n, text), actor=ACTOR)
            records.create(session, _service(laser.id, n, text), actor=ACTOR)
            records.create(session, _incident(site_id, laser.id, n, text), actor=ACTOR)
    with clock(at(START + timedelta(days=1), 10, 0)), db.write() as session:
        first = session.query(ServiceEvent).order_by(ServiceEvent.id).first()
        assert first is not None
        records.amend(
            session,
            first,
            {"certificate_number": "SR-2"},
            actor=ACTOR,
            reason="certificate number mistyped",
        )


def _card(person: Staff) -> Certification:
    return Certification(
        staff_pk=person.id,
        cert_type="bls",
        issued_on=date(2025, 3, 15),
        expires_on=date(2027, 3, 31),
        card_number="C-1",
        provider="AHA",
    )


def _lot(site_id: int) -> StockLot:
    return StockLot(
        site_id=site_id,
        item="epinephrine_adult",
        lot_number="LOT-1",
        expires_on=date(2026, 9, 30),
        quantity=2,
        received_on=date(2026, 1, 5),
    )


def _drill(site_id: int, people: dict[str, Staff], n: int, text: str) -> Drill:
    drill = Drill(
        site_id=site_id,
        scenario="cardiac_arrest",
        held_at=at(START, 12, n % 60),
        outcome="pass",
        time_to_aed_s=95 + n,
        debrief=text,
    )
    drill.participants = [DrillParticipant(staff_pk=people[s].id) for s in ("S-1", "S-2")]
    return drill


def _service(asset_pk: int, n: int, text: str) -> ServiceEvent:
    return ServiceEvent(
        asset_pk=asset_pk,
        kind="calibration",
        performed_on=START,
        performed_by="Vendor Engineer",
        result="pass",
        certificate_number=f"SR-{n}",
        next_due_on=date(2027, 3, 9),
        notes=text,
    )


def _incident(site_id: int, asset_pk: int, n: int, text: str) -> Incident:
    return Incident(
        site_id=site_id,
        occurred_at=at(START, 14, n % 60),
        case_ref=f"C-{n:03}",
        incident_type="burn",
        severity="minor",
        asset_pk=asset_pk,
        description=text,
        actions_taken="Cooled and dressed",
    )


def request(sites: tuple[str, ...] = ("AUS1", "PHX1"), **changes: Any) -> ExportRequest:
    """The week's export request, generated at a pinned instant."""
    values: dict[str, Any] = {
        "sites": sites,
        "start": START,
        "end": END,
        "generated_by": "inspector test",
        "generated_at": GENERATED,
    }
    values.update(changes)
    return ExportRequest(**values)


def export(db: Database, path: Path, **changes: Any) -> ExportResult:
    """Export the week to path."""
    return export_workbook(db, request(**changes), path)


def test_it_builds_the_same_world_on_both_engines(db: Database) -> None:
    build_world(db)
    with db.read() as session:
        assert session.query(CorrectiveAction).one().status == "closed"
        assert session.query(ServiceEvent).filter_by(record_state="superseded").count() == 1
