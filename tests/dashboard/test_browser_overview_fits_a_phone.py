"""On a 390×844 phone screen (a desktop browser made narrow, which Streamlit does not take
for a phone): the overview's figures wrap in a grid two a row, both pictures are drawn
within the screen, and the sidebar closes once a page is chosen in it.

Screenshots go to test-artifacts/phone/ (git-ignored).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_world import prepare
from pgcluster import CHROMIUM_ARGS
from playwright.sync_api import Page, expect, sync_playwright
from streamlit_server import streamlit_server

from readiness.db import Database

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "phone"
APP = ROOT / "dashboards" / "app.py"
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 90_000
# Where the sidebar's right edge is: at or left of 0 when it is closed (slid away).
SIDEBAR_RIGHT = "document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().right"


@pytest.fixture
def phone(chromium_path: str, tmp_path: Path) -> Iterator[tuple[Page, dict[str, Any]]]:
    db = Database(f"sqlite:///{tmp_path}/readiness.db")
    facts = prepare(db)
    db.dispose()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with (
        streamlit_server(APP, {"READINESS_DB_URL": db.url}, ARTIFACTS / "server.log") as address,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=list(CHROMIUM_ARGS)
        )
        tab = browser.new_context(viewport=PHONE).new_page()
        tab.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        tab.goto(address)
        try:
            yield tab, facts
        finally:
            browser.close()


def boxes(page: Page, selector: str) -> list[dict[str, float]]:
    found = page.locator(selector)
    return [box for n in range(found.count()) if (box := found.nth(n).bounding_box())]


def sidebar_open(page: Page) -> bool:
    return bool(page.evaluate(f"() => {SIDEBAR_RIGHT} > 0"))


def test_the_overview_fits_a_phone_and_the_sidebar_gets_out_of_the_way(
    phone: tuple[Page, dict[str, Any]],
) -> None:
    page, facts = phone
    page.locator(".st-key-login_username input").fill("officer")
    page.locator(".st-key-login_password input").fill(facts["accounts"]["officer"])
    page.locator(".st-key-login_submit button").click()
    expect(page.get_by_role("heading", name="Readiness overview")).to_be_visible()
    charts = page.locator("figure.readiness-picture img")
    expect(charts).to_have_count(2)

    # The figures: a grid that wraps, two a row, none wider than the screen.
    figures = boxes(page, '.st-key-overview_figures [data-testid="stMetric"]')
    assert len(figures) == 8
    rows: dict[int, int] = {}
    for box in figures:
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        rows[round(box["y"])] = rows.get(round(box["y"]), 0) + 1
    assert sorted(rows.values()) == [2, 2, 2, 2]
    for box in boxes(page, "figure.readiness-picture"):
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert not sidebar_open(page)
    page.screenshot(path=str(ARTIFACTS / "01-overview.png"))
    charts.first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "02-overview-trend.png"))

    # Open the sidebar, choose a page: the sidebar closes and the page is in view.
    page.get_by_test_id("stExpandSidebarButton").click()
    page.wait_for_function(f"() => {SIDEBAR_RIGHT} > 0")
    page.screenshot(path=str(ARTIFACTS / "03-sidebar-open.png"))
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Equipment").click()
    expect(page.get_by_role("heading", name="Equipment", exact=True)).to_be_visible()
    page.wait_for_function(f"() => {SIDEBAR_RIGHT} <= 0")
    page.screenshot(path=str(ARTIFACTS / "04-equipment-after-choosing-it.png"))

    # And back: the overview again, the sidebar closed again.
    page.get_by_test_id("stExpandSidebarButton").click()
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Overview").click()
    expect(page.get_by_role("heading", name="Readiness overview")).to_be_visible()
    page.wait_for_function(f"() => {SIDEBAR_RIGHT} <= 0")
