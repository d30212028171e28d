"""Steps of the per-role browser walkthroughs: one demo practice and one dashboard server per
test module, a browser per viewport, and what a person does on a page (sign in, follow a
link, fill a widget, double-click a submit button, take a screenshot).

Screenshots and server logs go to test-artifacts/<walkthrough>/ (git-ignored).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from browser_world import prepare
from pgcluster import CHROMIUM_ARGS
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy import func, select

from readiness.db import Database

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
APP = ROOT / "dashboards" / "app.py"
TIMEOUT_MS = 90_000
DESKTOP = {"width": 1400, "height": 1000}
TABLET = {"width": 1024, "height": 768}


def demo_practice(folder: Path) -> tuple[str, dict[str, Any]]:
    """The demo-size practice of the walkthroughs (browser_world.prepare) in a SQLite file."""
    db = Database(f"sqlite:///{folder}/readiness.db")
    facts = prepare(db)
    db.dispose()
    return db.url, facts


@contextmanager
def chromium(path: str) -> Iterator[Browser]:
    """A headless Chromium, closed after."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def tab(browser: Browser, address: str, viewport: dict[str, int], shots: Path) -> Iterator[Page]:
    """A fresh browser context (no cookies) on the dashboard; its last view saved on the way out."""
    context = browser.new_context(viewport=viewport, accept_downloads=True)  # type: ignore[arg-type]
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    page.goto(address)
    try:
        yield page
    finally:
        page.screenshot(path=str(shots / "zz-last.png"), full_page=True)
        context.close()


def fresh(folder: Path) -> Path:
    """The artifacts folder of a walkthrough, without last run's screenshots."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


def shot(page: Page, folder: Path, name: str) -> None:
    """A full-page screenshot, after checking the page shows no exception."""
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def key(page: Page, widget: str, inner: str = "input") -> Any:
    """The element inside a widget's container (Streamlit tags it st-key-<key>)."""
    return page.locator(f".st-key-{widget} {inner}").first


def choose(page: Page, widget: str, option: str) -> None:
    """Pick an option of a selectbox by (part of) its label: type it, click the match."""
    field = key(page, widget)
    field.click()
    field.press_sequentially(option)
    # Not "Add: ..." (a picker that takes typed text offers it first). Chosen with the
    # keyboard: a heading redrawn over the open list would take a mouse click.
    listed = re.compile(r"^(?!Add: ).*" + re.escape(option))
    expect(page.get_by_role("option", name=listed).first).to_be_visible()
    for _ in range(_position(page, listed)):
        field.press("ArrowDown")
    field.press("Enter")
    expect(field).to_have_value(re.compile(re.escape(option)))


def _position(page: Page, listed: re.Pattern[str]) -> int:
    """Where the match sits in the open list; the list may still be redrawing, so look again."""
    for _ in range(20):
        shown = page.get_by_role("option").all_inner_texts()
        found = [n for n, text in enumerate(shown) if listed.search(text.strip())]
        if found:
            return found[0]
        page.wait_for_timeout(100)
    raise AssertionError(f"no option matching {listed.pattern} in {shown}")


def pick_many(page: Page, widget: str, option: str) -> None:
    """Add an option to a multiselect: type it, take the match, close the list."""
    field = key(page, widget)
    field.click()
    field.press_sequentially(option)
    field.press("Enter")
    field.press("Escape")
    chosen = page.locator(f".st-key-{widget}").get_by_text(re.compile(re.escape(option)))
    expect(chosen.first).to_be_visible()


def fill_date(page: Page, widget: str, day: str) -> None:
    """Type a date into a date input and close its calendar."""
    field = key(page, widget)
    field.fill(day)
    field.press("Escape")


def sign_in(page: Page, username: str, password: str, landing: str) -> None:
    """Fill the sign-in form and wait for the role's landing page."""
    expect(page.get_by_role("heading", name="Sign in to Readiness")).to_be_visible()
    key(page, "login_username").fill(username)
    key(page, "login_password").fill(password)
    key(page, "login_submit", "button").click()
    expect(page.get_by_role("heading", name=landing)).to_be_visible()


def go(page: Page, title: str, heading: str) -> None:
    """Follow a sidebar link and wait for the page's title."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()


def links(page: Page) -> list[str]:
    """The titles the sidebar's navigation lists."""
    nav = page.get_by_test_id("stSidebarNav").get_by_role("link")
    expect(nav.first).to_be_visible()
    # A link's text is its icon's name, then its title.
    return [text.strip().splitlines()[-1].strip() for text in nav.all_inner_texts()]


def double_click(page: Page, submit: str, said: str | re.Pattern[str]) -> None:
    """Double-click a form's submit button, as an impatient person does; wait until the page
    says `said` (the first click's confirmation, repeated when the second is refused)."""
    key(page, submit, "button").dblclick()
    expect(page.get_by_text(said).first).to_be_visible()
    # The second click's run may still be under way: let it end before the next step
    # types into the page (a run ending redraws the widgets).
    page.wait_for_timeout(2500)
    expect(page.get_by_text(said).first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def rows(url: str, model: type, *where: Any) -> int:
    """How many rows of a table match, read from the database the server writes."""
    db = Database(url)
    try:
        with db.read() as session:
            return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)
    finally:
        db.dispose()


def settle(check: Callable[[], bool], page: Page, seconds: float = 10.0) -> bool:
    """Poll a database condition while the page finishes its last run."""
    for _ in range(int(seconds * 4)):
        if check():
            return True
        page.wait_for_timeout(250)
    return check()
