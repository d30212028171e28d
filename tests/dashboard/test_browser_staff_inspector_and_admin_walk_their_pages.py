"""Staff on a 1024x768 tablet, the inspector and the admin in a real headless Chromium: each
signs in, sees the pages of the role and only those, visits each; staff double-click
"Sign and submit" on an opening check with a failed item and see it as failed (red, with
what to do), recorded once; the inspector finds no write form; the admin adds a user with a
double click, recorded once.

Screenshots and the server log go to test-artifacts/browser-roles/ (git-ignored).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from browser_steps import (
    APP,
    ARTIFACTS,
    DESKTOP,
    TABLET,
    choose,
    chromium,
    demo_practice,
    double_click,
    fill_date,
    fresh,
    go,
    key,
    links,
    rows,
    shot,
    sign_in,
    tab,
)
from playwright.sync_api import Page, expect
from sqlalchemy import select
from streamlit_server import streamlit_server

from readiness.models import ChecklistRun, Site, User

SHOTS = ARTIFACTS / "browser-roles"
HEADINGS = {
    "Today": "Today",
    "Overview": "Readiness overview",
    "Equipment": "Equipment",
    "Stock and expiry": "Stock and expiry",
    "Staff and certifications": "Staff and certifications",
    "Drills": "Drills",
    "Incidents and actions": "Incidents and corrective actions",
    "Emergency plan": "Emergency plan",
    "Audit and export": "Audit and export",
    "Import": "Import spreadsheets",
    "Users": "Users",
}
WRITE_BUTTONS = (
    "add_submit", "edit_submit", "retire_submit", "svc_submit", "status_submit", "join_submit",
    "leave_submit", "cert_submit", "stock_submit", "drill_submit", "doc_submit", "inc_submit",
    "close_submit", "followup_submit", "today_submit",
)  # fmt: skip


@pytest.fixture(scope="module")
def server(
    chromium_path: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """One demo practice and one dashboard server for the module: (address, db url, facts)."""
    url, facts = demo_practice(tmp_path_factory.mktemp("roles"))
    fresh(SHOTS)
    with streamlit_server(APP, {"READINESS_DB_URL": url}, SHOTS / "server.log") as address:
        yield address, url, facts


def visit_all(page: Page, role: str, expected: set[str]) -> None:
    """The navigation lists exactly the role's pages; each draws without an exception."""
    listed = links(page)
    assert set(listed) == expected, listed
    for number, title in enumerate(listed, start=1):
        go(page, title, HEADINGS[title])
        shot(page, SHOTS, f"{role}-{number:02d}-{title.split()[0].lower()}")


def test_staff_on_a_tablet_see_a_failed_check_as_failed(
    server: tuple[str, str, dict[str, Any]], chromium_path: str
) -> None:
    address, url, facts = server
    with chromium(chromium_path) as browser, tab(browser, address, TABLET, SHOTS) as page:
        sign_in(page, "staff", facts["accounts"]["staff"], "Today")
        visit_all(page, "staff", {"Today", "Overview"})
        go(page, "Today", "Today")
        choose(page, "today_slot", "Daily opening readiness check")
        expect(key(page, "today_submit", "button")).to_be_visible()
        page.locator(".st-key-item_aed_ready").get_by_text("Fail", exact=True).click()
        for item in ("kit_seal_intact", "emergency_numbers_posted"):
            page.locator(f".st-key-item_{item}").get_by_text("Pass", exact=True).click()
        for item, value in (("o2_psi", "1800"), ("epi_adult_count", "2"), ("storage_temp_c", "21")):
            key(page, f"item_{item}").fill(value)
        key(page, "item_kit_seal").fill("B-2042")
        for note in page.locator("[class*='st-key-note_'] input").all():
            note.fill("light red on the AED; the loan unit is in place")
        fill_date(page, "item_epi_adult_expiry", "2027-01-31")
        shot(page, SHOTS, "staff-10-failed-check-filled")
        double_click(page, "today_submit", re.compile(r"FAILED: Daily opening readiness check"))
        failed = page.get_by_test_id("stAlertContentError").filter(has_text="FAILED")
        expect(failed.first).to_be_visible()
        expect(
            page.get_by_test_id("stAlertContentSuccess").filter(has_text="FAILED")
        ).to_have_count(0)
        shot(page, SHOTS, "staff-11-failed-check-shown-as-failed")
    site = select(Site.id).where(Site.code == facts["site"]).scalar_subquery()
    today_runs = rows(
        url,
        ChecklistRun,
        ChecklistRun.site_id == site,
        ChecklistRun.template_id == "opening-daily",
        ChecklistRun.slot_date == facts["today"],
        ChecklistRun.record_state == "current",
    )
    assert today_runs == 1


def test_the_inspector_reads_every_page_and_finds_no_write_form(
    server: tuple[str, str, dict[str, Any]], chromium_path: str
) -> None:
    address, _, facts = server
    with chromium(chromium_path) as browser, tab(browser, address, DESKTOP, SHOTS) as page:
        sign_in(page, "inspector", facts["accounts"]["inspector"], "Readiness overview")
        expected = set(HEADINGS) - {"Today", "Import", "Users"}
        listed = links(page)
        assert set(listed) == expected, listed
        for number, title in enumerate(listed, start=1):
            go(page, title, HEADINGS[title])
            for button in WRITE_BUTTONS:
                expect(page.locator(f".st-key-{button}")).to_have_count(0)
            shot(page, SHOTS, f"inspector-{number:02d}-{title.split()[0].lower()}")


def test_the_admin_adds_a_user_once(
    server: tuple[str, str, dict[str, Any]], chromium_path: str
) -> None:
    address, url, facts = server
    with chromium(chromium_path) as browser, tab(browser, address, DESKTOP, SHOTS) as page:
        sign_in(page, "admin", facts["accounts"]["admin"], "Readiness overview")
        visit_all(page, "admin", set(HEADINGS))
        go(page, "Users", "Users")
        key(page, "add_username").fill("nurse-walk")
        choose(page, "add_role", "officer")
        key(page, "add_password").fill("a long enough password")
        double_click(page, "add_submit", re.compile(r"nurse-walk"))
        shot(page, SHOTS, "admin-20-user-added")
    assert rows(url, User, User.username == "nurse-walk") == 1
