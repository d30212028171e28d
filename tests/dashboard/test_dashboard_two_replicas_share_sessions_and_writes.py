"""Two dashboard processes on one PostgreSQL database, as behind a load-balancing proxy: a
sign-in on one is signed in on the other with the same cookie, and a write made through one
shows on the other at once, though the other had the page cached from before the write.

Screenshots and the servers' logs go to test-artifacts/two-replicas/ (git-ignored).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from dashboard_world import build_world
from pgcluster import CHROMIUM_ARGS
from playwright.sync_api import BrowserContext, Page, expect, sync_playwright
from signin_helpers import PASSWORD
from streamlit_server import streamlit_server

from readiness.db import Database
from readiness.migrate import upgrade

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "dashboards" / "server.py"
ARTIFACTS = ROOT / "test-artifacts" / "two-replicas"
TIMEOUT_MS = 90_000
OUT_OF_SERVICE = "Out of service: not required"


@pytest.fixture
def replicas(pg_url: str) -> Iterator[tuple[str, str]]:
    """Two servers of the dashboard on one throwaway PostgreSQL database."""
    db = Database(pg_url)
    upgrade(db.engine)
    build_world(db)
    db.dispose()
    env = {"READINESS_DB_URL": pg_url, "READINESS_SIGNIN_MAX_DELAY_SECONDS": "0"}
    with (
        streamlit_server(SERVER, env, ARTIFACTS / "first.log") as first,
        streamlit_server(SERVER, env, ARTIFACTS / "second.log") as second,
    ):
        yield first, second


@pytest.fixture
def context(chromium_path: str) -> Iterator[BrowserContext]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=list(CHROMIUM_ARGS)
        )
        made = browser.new_context(viewport={"width": 1400, "height": 1000})
        made.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        yield made
        browser.close()


def _signed_in(page: Page) -> None:
    expect(page.get_by_test_id("stSidebar").get_by_text("Signed in as")).to_be_visible()


def _register(page: Page) -> Page:
    """The equipment register's cells, once the grid has drawn them."""
    grid = page.locator('.st-key-equipment_register_box [role="grid"]')
    expect(grid.locator('[role="gridcell"]').first).to_be_attached()
    return page


def _take_the_aed_out_of_service(page: Page) -> None:
    # The picker lists AUS1's assets first, AED-1 at the top.
    expect(page.locator(".st-key-status_asset input")).to_have_value(re.compile(r"^AED-1 — "))
    page.locator(".st-key-status_new").get_by_text("Out of service", exact=True).click()
    page.locator(".st-key-status_reason input").fill("pads torn (replica test)")
    page.locator(".st-key-status_submit button").click()
    expect(page.get_by_text("is now out of service")).to_be_visible()


def test_a_sign_in_and_a_write_on_one_show_on_the_other(
    replicas: tuple[str, str], context: BrowserContext
) -> None:
    first, second = replicas
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    one = context.new_page()
    one.goto(first + "/equipment")
    one.locator(".st-key-login_username input").fill("officer")
    one.locator(".st-key-login_password input").fill(PASSWORD)
    one.locator(".st-key-login_submit button").click()
    _signed_in(one)
    # Same host, another port: the browser sends the same cookie (cookies ignore ports).
    other = context.new_page()
    other.goto(second + "/equipment")
    _signed_in(other)
    cells = _register(other).locator('.st-key-equipment_register_box [role="gridcell"]')
    expect(cells.filter(has_text=OUT_OF_SERVICE)).to_have_count(0)  # and now cached there

    _take_the_aed_out_of_service(_register(one))
    one.screenshot(path=str(ARTIFACTS / "first-wrote.png"), full_page=True)

    other.reload()
    _signed_in(other)
    cells = _register(other).locator('.st-key-equipment_register_box [role="gridcell"]')
    expect(cells.filter(has_text=OUT_OF_SERVICE)).to_have_count(1)
    other.screenshot(path=str(ARTIFACTS / "second-reads.png"), full_page=True)
