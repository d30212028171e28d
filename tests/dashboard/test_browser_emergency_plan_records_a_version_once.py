"""In a real headless Chromium an officer changes a demo site's emergency department phone
and who leads, from today with a reason, double-clicking the submit button: one new
version is recorded, the page shows the new number, and the plan downloaded from the page
prints it.

Screenshots and the server log go to test-artifacts/browser-emergency-plan/ (git-ignored).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_steps import (
    APP,
    ARTIFACTS,
    DESKTOP,
    chromium,
    demo_practice,
    double_click,
    fresh,
    go,
    rows,
    shot,
    sign_in,
    tab,
)
from plan_world import pdf_text
from playwright.sync_api import expect
from sqlalchemy import select
from streamlit_server import streamlit_server

from readiness.db import Database
from readiness.models import EmergencyRole, Site, SiteContacts
from readiness.services.site_contacts import plan_history

SHOTS = ARTIFACTS / "browser-emergency-plan"
PHONE = "555-0177"


@pytest.fixture(scope="module")
def server(
    chromium_path: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """One demo practice and one dashboard server for the module: (address, db url, facts)."""
    url, facts = demo_practice(tmp_path_factory.mktemp("emergency-plan"))
    fresh(SHOTS)
    with streamlit_server(APP, {"READINESS_DB_URL": url}, SHOTS / "server.log") as address:
        yield address, url, facts


def form_prefix(url: str, code: str) -> str:
    """The change form's widget key prefix: it names the version the page drew."""
    db = Database(url)
    try:
        with db.read() as session:
            site = session.scalars(select(Site).where(Site.code == code)).one()
            return f"planedit_{code}_{plan_history(session, site).token.replace(':', '_')}_"
    finally:
        db.dispose()


def first_site(url: str) -> str:
    db = Database(url)
    try:
        with db.read() as session:
            return str(session.scalars(select(Site.code).order_by(Site.code)).first())
    finally:
        db.dispose()


def test_a_double_clicked_change_is_one_version_and_the_plan_prints_it(
    server: tuple[str, str, dict[str, Any]], chromium_path: str, tmp_path: Path
) -> None:
    address, url, facts = server
    code = first_site(url)
    before = (rows(url, SiteContacts), rows(url, EmergencyRole))
    with chromium(chromium_path) as browser, tab(browser, address, DESKTOP, SHOTS) as page:
        sign_in(page, "officer", facts["accounts"]["officer"], "Readiness overview")
        go(page, "Emergency plan", "Emergency plan")
        expect(page.get_by_text("Nothing is missing").first).to_be_visible()
        shot(page, SHOTS, "01-emergency-plan")
        at = form_prefix(url, code)
        page.locator(f".st-key-{at}ed_phone input").fill(PHONE)
        page.locator(f".st-key-{at}reason input").fill("ED moved its switchboard number")
        shot(page, SHOTS, "02-change-filled")
        double_click(page, f"{at}submit", re.compile(r"Recorded a new version of the emergency"))
        shot(page, SHOTS, "03-change-recorded")
        assert rows(url, SiteContacts) == before[0] + 1
        assert rows(url, SiteContacts, SiteContacts.ed_phone == PHONE) == 1
        assert rows(url, EmergencyRole) == before[1]
        expect(page.get_by_text(PHONE).first).to_be_visible()

        page.get_by_role("button", name="Prepare the plan (PDF, for the wall)").click()
        with page.expect_download() as download:
            page.get_by_role("button", name="Download the plan").click()
        saved = tmp_path / "plan.pdf"
        download.value.save_as(saved)
    text = pdf_text(saved)
    assert "Emergency action plan - " in text and PHONE in text
