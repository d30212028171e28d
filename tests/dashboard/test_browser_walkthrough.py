"""The dashboard in a real headless Chromium: staff do the opening check, the officer sees it
green, records a calibration and downloads the inspector workbook; a screenshot of every page.

Screenshots and the server log go to test-artifacts/browser-walkthrough/ (git-ignored).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from browser_world import prepare
from pgcluster import CHROMIUM_ARGS
from playwright.sync_api import Page, expect, sync_playwright
from streamlit_server import streamlit_server

from readiness.db import Database

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser-walkthrough"
APP = ROOT / "dashboards" / "app.py"
TIMEOUT_MS = 90_000


@pytest.fixture
def practice(tmp_path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    db = Database(f"sqlite:///{tmp_path}/readiness.db")
    facts = prepare(db)
    db.dispose()
    yield db.url, facts


@pytest.fixture
def page(chromium_path: str, practice: tuple[str, dict[str, Any]]) -> Iterator[Page]:
    url, _ = practice
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    with (
        streamlit_server(APP, {"READINESS_DB_URL": url}, ARTIFACTS / "server.log") as address,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=list(CHROMIUM_ARGS)
        )
        context = browser.new_context(
            viewport={"width": 1400, "height": 1000}, accept_downloads=True
        )
        tab = context.new_page()
        tab.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        tab.goto(address)
        try:
            yield tab
        finally:
            tab.screenshot(path=str(ARTIFACTS / "zz-last.png"), full_page=True)
            browser.close()


def shot(page: Page, name: str) -> None:
    """A full-page screenshot, after checking the page shows no exception."""
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def key(page: Page, widget: str, inner: str = "input") -> Any:
    """The element inside a widget's container (Streamlit tags it st-key-<key>)."""
    return page.locator(f".st-key-{widget} {inner}").first


def choose(page: Page, widget: str, option: str) -> None:
    """Pick an option of a selectbox by (part of) its label: type it, click the match."""
    field = key(page, widget)
    field.click()
    field.press_sequentially(option)
    page.get_by_role("option", name=re.compile(re.escape(option))).first.click()
    expect(field).to_have_value(re.compile(re.escape(option)))


def sign_in(page: Page, username: str, password: str, landing: str) -> None:
    expect(page.get_by_role("heading", name="Sign in to Readiness")).to_be_visible()
    key(page, "login_username").fill(username)
    key(page, "login_password").fill(password)
    key(page, "login_submit", "button").click()
    expect(page.get_by_role("heading", name=landing)).to_be_visible()


def go(page: Page, title: str, heading: str) -> None:
    """Follow a sidebar link and wait for the page's title."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()


def fill_opening_check(page: Page, signer: str) -> None:
    choose(page, "today_slot", "Daily opening readiness check")
    expect(key(page, "today_submit", "button")).to_be_visible()
    for item in ("aed_ready", "kit_seal_intact", "emergency_numbers_posted"):
        page.locator(f".st-key-item_{item}").get_by_text("Pass", exact=True).click()
    for item, value in (("o2_psi", "1800"), ("epi_adult_count", "2"), ("storage_temp_c", "21.5")):
        key(page, f"item_{item}").fill(value)
    key(page, "item_kit_seal").fill("B-2042")
    key(page, "note_kit_seal").fill("new seal after the weekly restock")
    date_field = key(page, "item_epi_adult_expiry")
    date_field.fill("2027-01-31")
    date_field.press("Escape")
    choose(page, "today_staff", signer)


def pick_many(page: Page, widget: str, option: str) -> None:
    """Add an option to a multiselect: type it, take the match, close the list."""
    field = key(page, widget)
    field.click()
    field.press_sequentially(option)
    field.press("Enter")
    field.press("Escape")
    expect(page.locator(f".st-key-{widget}").get_by_text(option, exact=True)).to_be_visible()


def grid_texts(page: Page, widget: str, rows: int) -> list[str]:
    """The cells of a dataframe of `rows` rows, read through the grid's ARIA roles."""
    # The grid draws on a canvas; beside it is an accessible (visually hidden) table,
    # redrawn a moment after the rest of the page: wait for the expected row count.
    grid = key(page, f"{widget}_box", '[role="grid"]')
    expect(grid).to_have_attribute("aria-rowcount", str(rows + 1))
    cells = grid.locator('[role="gridcell"]')
    expect(cells.first).to_be_attached()
    return [text.strip() for text in cells.all_text_contents()]


def open_tab(page: Page, name: str) -> None:
    """Open one of the overview's sections (they draw when opened); an open one stays open."""
    section = page.locator("details", has=page.locator("summary", has_text=name))
    if section.get_attribute("open") is None:
        section.locator("summary").click()
    expect(section).to_have_attribute("open", "")


def daily_check_row(page: Page) -> list[str]:
    """The overview's row of aed.daily_check, listed by its title (filtered to one site)."""
    pick_many(page, "overview_f_requirement", "AED status indicator")
    key(page, "overview_include_ok", "label").click()
    expect(page.get_by_text("1 item · click a column header to sort")).to_be_visible()
    return grid_texts(page, "overview_attention", rows=1)


def test_staff_check_officer_sees_green_records_and_exports(
    page: Page, practice: tuple[str, dict[str, Any]], tmp_path: Path
) -> None:
    _, facts = practice
    accounts, site = facts["accounts"], facts["site"]

    # Staff: the daily check is not yet ok at their site; they do the opening check.
    sign_in(page, "staff", accounts["staff"], "Today")
    shot(page, "01-staff-today")
    go(page, "Overview", "Readiness overview")
    open_tab(page, "Needs attention")
    before = daily_check_row(page)
    assert before[:1] == [site] and before[1] != "OK", before
    go(page, "Today", "Today")
    fill_opening_check(page, facts["signer"])
    shot(page, "02-staff-opening-check-filled")
    key(page, "today_submit", "button").click()
    expect(page.get_by_text("Recorded: Daily opening readiness check passed")).to_be_visible()
    expect(page.get_by_text("Daily opening readiness check").first).to_be_visible()
    shot(page, "03-staff-opening-check-recorded")
    go(page, "Overview", "Readiness overview")
    shot(page, "04-staff-overview")
    key(page, "sign_out", "button").click()

    # Officer: the daily items of that site are green on the overview.
    sign_in(page, "officer", accounts["officer"], "Readiness overview")
    expect(page.get_by_text("Open actions")).to_be_visible()
    shot(page, "05-officer-overview")
    open_tab(page, "Needs attention")
    pick_many(page, "overview_f_site", site)
    cells = daily_check_row(page)
    assert cells[:3] == [site, "OK", "AED status indicator"], cells
    shot(page, "06-officer-overview-item-green")

    # A calibration on the Equipment page.
    go(page, "Equipment", "Equipment")
    choose(page, "svc_asset", "(laser, ")
    choose(page, "svc_kind", "Calibration")
    key(page, "svc_by").fill("Acme Laser Services")
    key(page, "svc_cert").fill("CAL-2026-0042")
    key(page, "svc_submit", "button").click()
    expect(
        page.get_by_text(re.compile(r"Recorded the calibration of .+ \(pass\); next due"))
    ).to_be_visible()
    shot(page, "07-officer-equipment-calibration")

    # The inspector workbook.
    go(page, "Audit and export", "Audit and export")
    key(page, "export_prepare", "button").click()
    download_button = key(page, "export_download", "button")
    expect(download_button).to_be_visible()
    with page.expect_download() as download:
        download_button.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    book = openpyxl.load_workbook(io.BytesIO(saved.read_bytes()), read_only=True)
    assert len(book.sheetnames) > 3
    shot(page, "08-officer-audit-export")

    # Every other page the officer has, drawn without an exception.
    for number, (title, heading) in enumerate(
        [
            ("Stock and expiry", "Stock and expiry"),
            ("Staff and certifications", "Staff and certifications"),
            ("Drills", "Drills"),
            ("Incidents and actions", "Incidents and corrective actions"),
            ("Import", "Import spreadsheets"),
            ("Today", "Today"),
        ],
        start=9,
    ):
        go(page, title, heading)
        shot(page, f"{number:02d}-officer-{title.split()[0].lower()}")
