"""A date read off a label on the AED monthly inspection that disagrees with the asset record
makes `aed.records_match` failed for that AED, naming both values; the latest reading on or
before as_of decides, so the discrepancy clears when the record is amended (an audited asset
import) or a new or amended reading agrees."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
import pytest
from compliance_support import ACTOR, POLICY, TEMPLATES, Practice, items_of, row_of
from sqlalchemy import select

from readiness.audit import records
from readiness.compliance import scenario_readiness
from readiness.db import Database
from readiness.importing.run import import_file
from readiness.models import Asset, AuditEvent, ChecklistRun
from readiness.services.checklist_runs import amend_checklist, submit_checklist

TZ = "America/Chicago"
PADS, BATTERY = date(2028, 1, 31), date(2027, 11, 30)
WRONG_BATTERY = "2027-12-31"
# Mid-morning in Chicago on each check day.
FEB_CHECK, MAR_CHECK = date(2026, 2, 3), date(2026, 3, 3)
NOW = datetime(2026, 3, 9, 18, 0, tzinfo=UTC)


def at_ten(day: date) -> datetime:
    """10:00 in Chicago (CST until 8 March, CDT after)."""
    hours = 16 if day < date(2026, 3, 8) else 15
    return datetime(day.year, day.month, day.day, hours, tzinfo=UTC)


def answers(battery: str = BATTERY.isoformat(), pads: str = PADS.isoformat()) -> dict[str, Any]:
    """A passing monthly AED inspection with these label dates."""
    passed = ("indicator_ready", "case_undamaged", "pads_sealed", "spare_pads", "rescue_kit")
    return {
        **dict.fromkeys((*passed, "cabinet_sign"), True),
        "pads_expiry": pads,
        "battery_expiry": battery,
    }


def inspect(db: Database, site: str, asset: str, day: date, **dates: str) -> int:
    """Submit the AED monthly inspection on `day` through the service; the run's id."""
    with db.write() as session:
        done = submit_checklist(
            session,
            site_code=site,
            template_id="aed-monthly",
            staff_id=f"{site}-RN",
            asset_id=asset,
            answers=answers(**dates),
            slot_date=day,
            actor=ACTOR,
            now_utc=at_ten(day),
            templates=TEMPLATES,
        )
        return done.run.id


@pytest.fixture(scope="module")
def db(practice_db: Database, tmp_path_factory: pytest.TempPathFactory) -> Database:
    with practice_db.write() as session:
        p = Practice(session)
        for code in ("WRONG", "NEWER", "AMEND", "RECORD", "NODATE", "UNREAD", "IDLE"):
            site = p.site(code, TZ)
            p.staff(site, f"{code}-RN")
            battery = None if code == "NODATE" else BATTERY
            p.asset(site, f"AED-{code}", "aed", pads_expire_on=PADS, battery_expires_on=battery)
    for code in ("WRONG", "AMEND", "RECORD", "NODATE", "IDLE"):
        inspect(practice_db, code, f"AED-{code}", MAR_CHECK, battery=WRONG_BATTERY)
    inspect(practice_db, "NEWER", "AED-NEWER", FEB_CHECK, battery=WRONG_BATTERY)
    inspect(practice_db, "NEWER", "AED-NEWER", MAR_CHECK)
    with practice_db.write() as session:
        run = session.scalars(select(ChecklistRun).where(ChecklistRun.slot_key.contains("AMEND")))
        amend_checklist(
            session,
            run.one().id,
            answers(),
            "Battery date misread",
            actor=ACTOR,
            now_utc=at_ten(date(2026, 3, 5)),
        )
    # The officer corrects the record: an asset import, audited as an update.
    assets = tmp_path_factory.mktemp("record") / "assets.csv"
    assets.write_text(
        "asset_id,site_code,kind,name,pads_expire_on,battery_expires_on\n"
        f"AED-RECORD,RECORD,aed,aed AED-RECORD,{PADS},{WRONG_BATTERY}\n",
        encoding="utf-8",
    )
    report = import_file(practice_db, "assets", assets, dry_run=False, actor="officer")
    assert report.errors == [] and report.counts["assets"].amended == 1
    with practice_db.write() as session:
        idle = session.scalars(select(Asset).where(Asset.asset_id == "AED-IDLE")).one()
        records.update(session, idle, {"status": "out_of_service"}, actor=ACTOR, reason="repair")
    return practice_db


@pytest.fixture(scope="module")
def items(db: Database) -> pd.DataFrame:
    return items_of(db, now_utc=NOW)


def test_a_label_that_disagrees_is_failed_and_names_both_values(items: pd.DataFrame) -> None:
    row = row_of(items, "aed.records_match", "AED-WRONG")
    assert (row["status"], row["last_done_on"]) == ("failed", MAR_CHECK)
    assert row["detail"] == (
        "Battery label read 2027-12-31 on the monthly AED inspection of 2026-03-03;"
        " the record says 2027-11-30: correct the record or the reading"
    )
    # The expiry requirement keeps judging the record; the discrepancy is its own item.
    assert row_of(items, "aed.battery", "AED-WRONG")["status"] == "ok"


def test_a_label_with_no_date_on_the_record_is_failed(items: pd.DataFrame) -> None:
    row = row_of(items, "aed.records_match", "AED-NODATE")
    assert row["status"] == "failed"
    assert "; the record has no date: correct the record or the reading" in row["detail"]


@pytest.mark.parametrize("code", ["NEWER", "AMEND", "RECORD"])
def test_it_clears_when_a_new_or_amended_reading_or_the_record_agrees(
    items: pd.DataFrame, code: str
) -> None:
    row = row_of(items, "aed.records_match", f"AED-{code}")
    assert (row["status"], row["detail"]) == (
        "ok",
        "The labels read on 2026-03-03 match the record",
    )


def test_the_record_was_amended_with_an_audit_event(db: Database) -> None:
    with db.read() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "assets", AuditEvent.action == "update")
        ).all()
    assert any(event.actor == "officer" and "2027-12-31" in (event.after or "") for event in events)


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        (date(2026, 2, 2), "ok"),  # nothing read yet
        (FEB_CHECK, "failed"),  # the day of the wrong reading
        (date(2026, 3, 2), "failed"),  # the day before the new reading
        (MAR_CHECK, "ok"),  # the new reading agrees
    ],
)
def test_the_latest_reading_on_or_before_as_of_decides(
    db: Database, as_of: date, status: str
) -> None:
    items = items_of(db, now_utc=NOW, as_of=as_of, sites=["NEWER"])
    assert row_of(items, "aed.records_match", "AED-NEWER")["status"] == status


def test_an_aed_never_read_is_ok_and_says_so(items: pd.DataFrame) -> None:
    row = row_of(items, "aed.records_match", "AED-UNREAD")
    assert (row["status"], row["detail"]) == (
        "ok",
        "No label read on a checklist yet to compare with the record",
    )


def test_an_aed_out_of_service_owes_nothing(items: pd.DataFrame) -> None:
    assert row_of(items, "aed.records_match", "AED-IDLE")["status"] == "not_applicable"


def test_a_discrepancy_blocks_cardiac_arrest_readiness(items: pd.DataFrame) -> None:
    table = scenario_readiness(items, POLICY)
    ready = {(r["site"], r["scenario"]): r for r in table.to_dict("records")}
    blocking = ready[("WRONG", "cardiac_arrest")]["blocking"]
    assert {"requirement": "aed.records_match", "subject": "AED-WRONG", "status": "failed"} in (
        blocking
    )
    assert not any(
        b["requirement"] == "aed.records_match"
        for b in ready[("NEWER", "cardiac_arrest")]["blocking"]
    )
