"""In Chromium, as `readiness dashboard` serves it: a sign-in survives a reload and reaches a
second tab through an HttpOnly, SameSite=Lax cookie; signing out in one tab signs the other
out at its next click.

Screenshots and the server log go to test-artifacts/sign-in-sessions/ (git-ignored).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgcluster import CHROMIUM_ARGS
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from signin_helpers import PASSWORD, make_user
from streamlit_server import streamlit_server

from readiness.db import Database
from readiness.migrate import upgrade

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "dashboards" / "server.py"
ARTIFACTS = ROOT / "test-artifacts" / "sign-in-sessions"
TIMEOUT_MS = 60_000
COOKIE = "readiness_session"


@pytest.fixture(scope="module")
def address(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One dashboard, served with its cookie routes, on a database with an officer."""
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('sessions')}/readiness.db")
    upgrade(db.engine)
    make_user(db, "officer")
    db.dispose()
    env = {"READINESS_DB_URL": db.url, "READINESS_SIGNIN_MAX_DELAY_SECONDS": "0"}
    with streamlit_server(SERVER, env, ARTIFACTS / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path, args=list(CHROMIUM_ARGS)
        )
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile (no cookies), as on a newly opened tablet."""
    made = browser.new_context(viewport={"width": 1024, "height": 768})
    made.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    yield made
    made.close()


def signed_in(page: Page) -> None:
    expect(page.get_by_test_id("stSidebar").get_by_text("Signed in as")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def signed_out(page: Page) -> None:
    expect(page.get_by_role("heading", name="Sign in to Readiness")).to_be_visible()


def sign_in(page: Page, address: str, path: str = "/") -> None:
    page.goto(address + path)
    signed_out(page)
    page.locator(".st-key-login_username input").fill("officer")
    page.locator(".st-key-login_password input").fill(PASSWORD)
    page.locator(".st-key-login_submit button").click()
    signed_in(page)


def session_cookies(context: BrowserContext) -> list[dict[str, object]]:
    return [dict(c) for c in context.cookies() if c["name"] == COOKIE]


def test_a_reload_and_a_second_tab_stay_signed_in(context: BrowserContext, address: str) -> None:
    first = context.new_page()
    sign_in(first, address)
    (cookie,) = session_cookies(context)
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Lax"
    assert cookie["secure"] is False  # plain HTTP here; see the cookie routes' test for TLS
    assert cookie["path"] == "/" and float(str(cookie["expires"])) > 0  # kept across restarts
    first.reload()
    signed_in(first)
    second = context.new_page()
    second.goto(address + "/equipment")
    signed_in(second)
    expect(second).to_have_url(re.compile(r"/equipment$"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    second.screenshot(path=str(ARTIFACTS / "second-tab-signed-in.png"))


def test_a_link_to_a_page_signs_in_to_that_page(context: BrowserContext, address: str) -> None:
    page = context.new_page()
    sign_in(page, address, "/equipment")
    expect(page).to_have_url(re.compile(r"/equipment$"))
    # The page itself drew (this practice has no sites yet), not the sign-in form again.
    expect(page.get_by_text("No sites yet")).to_be_visible()


def test_signing_out_in_one_tab_signs_the_other_out(context: BrowserContext, address: str) -> None:
    leaving, other = context.new_page(), context.new_page()
    sign_in(leaving, address)
    other.goto(address)
    signed_in(other)
    leaving.locator(".st-key-sign_out button").click()
    signed_out(leaving)
    assert session_cookies(context) == []
    # The other tab still shows its page; its next click finds the session ended.
    other.get_by_test_id("stSidebarNav").get_by_role("link", name="Equipment").click()
    signed_out(other)
    expect(other.get_by_text("You were signed out")).to_be_visible()
    other.screenshot(path=str(ARTIFACTS / "other-tab-signed-out.png"))
    other.reload()
    signed_out(other)
