"""The engine reads only each AED's latest inspection for its label readings; when that run
left a reading blank (an older template version without the item, a value never given),
the latest earlier reading of that label still decides `aed.records_match`, as of any date."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from compliance_support import Practice, items_of, row_of

from readiness.db import Database
from readiness.models import Asset, ChecklistResponse, ChecklistRun, Site, Staff

TZ = "America/Chicago"
PADS, BATTERY = date(2028, 1, 31), date(2027, 11, 30)
WRONG_BATTERY = "2027-12-31"
FEB_CHECK, MAR_CHECK = date(2026, 2, 3), date(2026, 3, 3)
NOW = datetime(2026, 3, 9, 18, 0, tzinfo=UTC)


def inspection(
    p: Practice, site: Site, aed: Asset, signer: Staff, day: date, **labels: str | None
) -> None:
    """An AED monthly inspection at 10:00 Chicago time answering only the labels given."""
    responses = [
        ChecklistResponse(item_id=item_id, value=value, passed=True)
        for item_id, value in labels.items()
    ]
    p.add(
        ChecklistRun(
            template_id="aed-monthly",
            template_version="test",
            site_id=site.id,
            asset_pk=aed.id,
            slot_date=day,
            slot_key=f"aed-monthly|{site.code}|{aed.asset_id}|{day}",
            idempotency_key=uuid.uuid4().hex,
            submitted_by=signer.id,
            submitted_at=datetime(day.year, day.month, day.day, 16, tzinfo=UTC),
            signature_name="Signer",
            passed=True,
            responses=responses,
        )
    )


@pytest.fixture(scope="module")
def db(practice_db: Database) -> Database:
    with practice_db.write() as session:
        p = Practice(session)
        for code in ("BLANK", "NULL", "BOTH"):
            site = p.site(code, TZ)
            signer = p.staff(site, f"{code}-RN")
            aed = p.asset(
                site, f"AED-{code}", "aed", pads_expire_on=PADS, battery_expires_on=BATTERY
            )
            inspection(
                p, site, aed, signer, FEB_CHECK, pads_expiry=str(PADS), battery_expiry=WRONG_BATTERY
            )
            if code == "BLANK":  # the March run has no battery item at all
                inspection(p, site, aed, signer, MAR_CHECK, pads_expiry=str(PADS))
            elif code == "NULL":  # the battery item is there, with no value
                inspection(
                    p, site, aed, signer, MAR_CHECK, pads_expiry=str(PADS), battery_expiry=None
                )
            else:  # the March run reads the battery right: it decides
                inspection(
                    p,
                    site,
                    aed,
                    signer,
                    MAR_CHECK,
                    pads_expiry=str(PADS),
                    battery_expiry=str(BATTERY),
                )
    return practice_db


@pytest.mark.parametrize("code", ["BLANK", "NULL"])
def test_the_february_battery_reading_still_decides(db: Database, code: str) -> None:
    row = row_of(items_of(db, now_utc=NOW, sites=[code]), "aed.records_match", f"AED-{code}")
    assert row["status"] == "failed"
    assert row["detail"] == (
        "Battery label read 2027-12-31 on the monthly AED inspection of 2026-02-03;"
        " the record says 2027-11-30: correct the record or the reading"
    )
    # The pads were read in March and agree: the latest reading day is March's.
    assert row["last_done_on"] == MAR_CHECK


def test_a_latest_run_with_every_reading_decides_alone(db: Database) -> None:
    row = row_of(items_of(db, now_utc=NOW, sites=["BOTH"]), "aed.records_match", "AED-BOTH")
    assert (row["status"], row["detail"]) == (
        "ok",
        "The labels read on 2026-03-03 match the record",
    )


@pytest.mark.parametrize("code", ["BLANK", "NULL", "BOTH"])
def test_as_of_february_only_the_february_run_is_seen(db: Database, code: str) -> None:
    items = items_of(db, now_utc=NOW, as_of=date(2026, 2, 20), sites=[code])
    row = row_of(items, "aed.records_match", f"AED-{code}")
    assert (row["status"], row["last_done_on"]) == ("failed", FEB_CHECK)


def test_all_sites_at_once_judge_as_each_alone(db: Database) -> None:
    together = items_of(db, now_utc=NOW)
    for code in ("BLANK", "NULL", "BOTH"):
        alone = row_of(items_of(db, now_utc=NOW, sites=[code]), "aed.records_match", f"AED-{code}")
        assert row_of(together, "aed.records_match", f"AED-{code}") == alone
