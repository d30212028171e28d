"""The officer in a real headless Chromium records each kind of thing the dashboard takes,
each with a double click on its submit button, and each is recorded once: a loan AED, a
correction of an asset's details, a retirement, a service, an out-of-service change, a new
staff member, a departure, a renewal, stock received, a drill, a document review with its
file's SHA-256, an incident, a follow-up done and a corrective action closed. Every page
the officer may see is visited; a failed item reads as failed.

Screenshots and the server log go to test-artifacts/browser-officer/ (git-ignored).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from browser_steps import (
    APP,
    ARTIFACTS,
    DESKTOP,
    choose,
    chromium,
    demo_practice,
    double_click,
    fill_date,
    fresh,
    go,
    key,
    links,
    pick_many,
    rows,
    settle,
    shot,
    sign_in,
    tab,
)
from playwright.sync_api import Page, expect
from sqlalchemy import select
from streamlit_server import streamlit_server

from readiness.db import Database
from readiness.models import (
    Asset,
    AssetStatusChange,
    Certification,
    CorrectiveAction,
    Drill,
    Incident,
    IncidentFollowup,
    ServiceEvent,
    SiteDocument,
    Staff,
    StockLot,
)

SHOTS = ARTIFACTS / "browser-officer"
PLAN = b"Emergency action plan, version 5 (reviewed in the browser walkthrough)"
PAGES = [
    ("Overview", "Readiness overview"),
    ("Equipment", "Equipment"),
    ("Stock and expiry", "Stock and expiry"),
    ("Staff and certifications", "Staff and certifications"),
    ("Drills", "Drills"),
    ("Incidents and actions", "Incidents and corrective actions"),
    ("Emergency plan", "Emergency plan"),
    ("Audit and export", "Audit and export"),
    ("Import", "Import spreadsheets"),
    ("Today", "Today"),
]


@pytest.fixture(scope="module")
def server(
    chromium_path: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """One demo practice and one dashboard server for the module: (address, db url, facts)."""
    url, facts = demo_practice(tmp_path_factory.mktemp("officer"))
    fresh(SHOTS)
    with streamlit_server(APP, {"READINESS_DB_URL": url}, SHOTS / "server.log") as address:
        yield address, url, facts


@pytest.fixture
def officer(
    server: tuple[str, str, dict[str, Any]], chromium_path: str
) -> Iterator[tuple[Page, str]]:
    address, url, facts = server
    with chromium(chromium_path) as browser, tab(browser, address, DESKTOP, SHOTS) as page:
        sign_in(page, "officer", facts["accounts"]["officer"], "Readiness overview")
        yield page, url


def test_the_officer_sees_every_page_of_the_role(officer: tuple[Page, str]) -> None:
    page, _ = officer
    listed = links(page)
    assert set(listed) == {title for title, _ in PAGES}, listed
    for number, (title, heading) in enumerate(PAGES, start=1):
        go(page, title, heading)
        shot(page, SHOTS, f"{number:02d}-{title.split()[0].lower()}")
    # The demo's overdue items read as what they are, in red words, not as OK.
    go(page, "Equipment", "Equipment")
    expect(page.get_by_text(re.compile(r"\b(Failed|Overdue|Expired)\b")).first).to_be_attached()


def test_equipment_writes_record_once(officer: tuple[Page, str]) -> None:
    page, url = officer
    go(page, "Equipment", "Equipment")

    page.get_by_text("Add equipment (a loan or replacement unit)").click()
    choose(page, "add_site", "AUS1")
    choose(page, "add_kind", "AED")
    key(page, "add_id").fill("AUS1-AED-LOAN")
    key(page, "add_name").fill("Loan AED from the distributor")
    fill_date(page, "add_pads", "2027-06-30")
    key(page, "add_reason").fill("loan unit while AUS1-AED1 is repaired")
    double_click(page, "add_submit", "Added AUS1-AED-LOAN (Loan AED from the distributor)")
    assert rows(url, Asset, Asset.asset_id == "AUS1-AED-LOAN") == 1
    shot(page, SHOTS, "20-equipment-loan-aed")

    choose(page, "edit_asset", "AUS1-AED1")
    key(page, "edit_serial_AUS1-AED1").fill("SN-WALK-1")
    key(page, "edit_reason").fill("serial read off the unit")
    double_click(page, "edit_submit", "Changed the serial number of AUS1-AED1.")
    assert rows(url, Asset, Asset.serial_number == "SN-WALK-1") == 1

    choose(page, "retire_asset", "AUS1-EYE4")
    key(page, "retire_reason").fill("strap broken, replaced")
    double_click(page, "retire_submit", re.compile(r"Retired AUS1-EYE4 .* from \d{4}-\d\d-\d\d\."))
    retired = (Asset.asset_id == "AUS1-EYE4", Asset.status == "retired")
    assert rows(url, Asset, *retired) == 1
    assert rows(url, AssetStatusChange, AssetStatusChange.reason == "strap broken, replaced") == 1

    choose(page, "svc_asset", "AUS1-LAS2")
    choose(page, "svc_kind", "Calibration")
    key(page, "svc_by").fill("Acme Laser Services")
    key(page, "svc_cert").fill("CAL-WALK-0042")
    double_click(page, "svc_submit", re.compile(r"Recorded the calibration of AUS1-LAS2"))
    assert rows(url, ServiceEvent, ServiceEvent.certificate_number == "CAL-WALK-0042") == 1

    choose(page, "status_asset", "AUS1-OXY1")
    page.locator(".st-key-status_new").get_by_text("Out of service", exact=True).click()
    key(page, "status_reason").fill("regulator leaking")
    double_click(page, "status_submit", re.compile(r"is now out of service\."))
    assert rows(url, AssetStatusChange, AssetStatusChange.reason == "regulator leaking") == 1
    shot(page, SHOTS, "21-equipment-after-writes")


def test_staff_writes_record_once(officer: tuple[Page, str]) -> None:
    page, url = officer
    go(page, "Staff and certifications", "Staff and certifications")

    page.get_by_text("Add a staff member").click()
    choose(page, "join_site", "AUS1")
    choose(page, "join_role", "RN")
    key(page, "join_name").fill("Sam Rivera")
    key(page, "join_id").fill("S-WALK-1")
    double_click(page, "join_submit", re.compile(r"Added Sam Rivera \(RN\) at .*employed from"))
    assert rows(url, Staff, Staff.staff_id == "S-WALK-1") == 1

    choose(page, "leave_person", "Lena Zhang")
    key(page, "leave_reason").fill("moved to another practice")
    double_click(page, "leave_submit", re.compile(r"Recorded that Lena Zhang left on"))
    assert rows(url, Staff, Staff.full_name == "Lena Zhang", Staff.left_on.is_not(None)) == 1

    choose(page, "cert_person", "Wei Morales")
    key(page, "cert_card").fill("CARD-WALK-7")
    double_click(page, "cert_submit", re.compile(r"Added .* for Wei Morales: valid until"))
    assert rows(url, Certification, Certification.card_number == "CARD-WALK-7") == 1
    shot(page, SHOTS, "30-staff-after-writes")


def test_stock_and_drill_and_document_review_record_once(officer: tuple[Page, str]) -> None:
    page, url = officer
    go(page, "Stock and expiry", "Stock and expiry")
    key(page, "stock_new_lot").fill("LOT-WALK-9")
    fill_date(page, "stock_expires", "2027-08-31")
    key(page, "stock_quantity").fill("4")
    double_click(page, "stock_submit", re.compile(r"LOT-WALK-9"))
    assert rows(url, StockLot, StockLot.lot_number == "LOT-WALK-9") == 1
    shot(page, SHOTS, "40-stock-received")

    go(page, "Drills", "Drills")
    choose(page, "drill_scenario", "Fire")
    pick_many(page, "drill_people", "Ana Rossi")
    key(page, "drill_debrief", "textarea").fill("Walkthrough drill: everyone out in 2 minutes")
    double_click(page, "drill_submit", re.compile(r"Logged the .* drill"))
    assert settle(lambda: rows(url, Drill, Drill.debrief.like("Walkthrough drill%")) == 1, page)

    choose(page, "doc_site", "AUS1")
    choose(page, "doc_type", "Emergency action plan")
    key(page, "doc_by").fill("Ana Rossi")
    page.locator(".st-key-doc_file input[type=file]").set_input_files(
        files=[{"name": "plan-v5.pdf", "mimeType": "application/pdf", "buffer": PLAN}]
    )
    expect(page.get_by_text("plan-v5.pdf").first).to_be_visible()
    double_click(page, "doc_submit", re.compile(r"Recorded the emergency plan review at"))
    digest = hashlib.sha256(PLAN).hexdigest()
    assert rows(url, SiteDocument, SiteDocument.reference == f"sha256:{digest}") == 1
    shot(page, SHOTS, "41-drills-document-review")


def test_incident_followup_and_action_record_once(officer: tuple[Page, str]) -> None:
    page, url = officer
    go(page, "Incidents and actions", "Incidents and corrective actions")
    open_before = rows(url, CorrectiveAction, CorrectiveAction.status == "open")
    followups_done = rows(url, IncidentFollowup, IncidentFollowup.done_on.is_not(None))

    key(page, "followup_note", "textarea").fill("healed, no scarring")
    double_click(page, "followup_submit", re.compile(r"Marked the follow-up of .* done on"))
    done = rows(url, IncidentFollowup, IncidentFollowup.done_on.is_not(None))
    assert done == followups_done + 1

    key(page, "close_resolution", "textarea").fill("retrained the team, checked the next week")
    double_click(page, "close_submit", re.compile(r"Closed corrective action #\d+"))
    assert rows(url, CorrectiveAction, CorrectiveAction.status == "open") == open_before - 1

    reference = key(page, "inc_ref").input_value()
    key(page, "inc_description", "textarea").fill("Redness after treatment (walkthrough)")
    double_click(page, "inc_submit", f"Logged incident {reference}")
    assert rows(url, Incident, Incident.case_ref == reference) == 1
    shot(page, SHOTS, "50-incidents-after-writes")
    db = Database(url)
    with db.read() as session:
        actors = set(
            session.scalars(select(Incident.recorded_by).where(Incident.case_ref == reference))
        )
    db.dispose()
    assert actors == {"user:officer"}
