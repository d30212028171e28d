"""Benchmark: the overview drawn in headless Chromium, beside the app's frame and a trivial page.

    .venv/bin/python bench/dashboard.py                       # 200 sites x 1095 days
    .venv/bin/python bench/dashboard.py --sites 20 --days 365 --runs 9
    .venv/bin/python bench/dashboard.py --db sqlite:///demo.db  # a demo practice built already

The demo practice (as of today) and its accounts are built once per size and seed and
kept under bench/.cache/ (git-ignored); --rebuild builds it again. The dashboard runs
as `streamlit run dashboards/server.py` (what `readiness dashboard` serves, sign-in
cookie included) on that database, signed in as the officer.

Four pages, each in its own server and browser tab, visited in turn (floor, frozen
floor, frame, overview; then again), so that the shared machine's load falls on all alike:

- the floor: a page with a title and a caption in a bare navigation (bench/floor_app.py);
- the frozen floor: the same, with the dashboard's start-up (bench/floor_frozen_app.py):
  Streamlit collects garbage in full after every run, and the dashboard freezes what it
  imported out of that walk (dashboards/startup.py); the plain floor pays the walk over
  Streamlit's own objects on every click, this one does not;
- the frame: the dashboard's own shell (sign-in check, sidebar, page list) around a
  page that draws only its title (bench/shell_app.py);
- the overview: figures, the readiness trend (read from the daily snapshots the demo
  backfills) and the expiry timeline, both pictures drawn (SVG written by the server),
  and the last section's header.

Measured, in the page's own clock (the click and the wait run in the page, so the
test driver's round trips are not counted): the time from clicking a page in the
sidebar to its last element being on screen. Each timed visit follows a visit to
another page of the same app (Import for the dashboard, the other floor page for the
floor), and each page is opened once before timing, so the timed visits read warm
caches, as every visit after a day's first does. Beside each median: when the last
websocket message arrived (the server's share, roughly), the main thread's busy time
in the tab (Chromium's performance metrics: script, style and layout), the messages
and bytes received, and the elements on the page. The machine is shared: read the
ratios of the medians, not the milliseconds. Goal: the overview within 1.5x the floor
(printed beside both floors).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pgcluster import CHROMIUM_ARGS, CHROMIUM_PATH  # noqa: E402
from playwright.sync_api import Browser, Page, WebSocket, sync_playwright  # noqa: E402
from streamlit_server import streamlit_server  # noqa: E402

from readiness.db import Database  # noqa: E402
from readiness.demo import run_demo  # noqa: E402
from readiness.migrate import upgrade  # noqa: E402
from readiness.services.users import ensure_demo_users  # noqa: E402

CACHE = ROOT / "bench" / ".cache"
RESULTS = ROOT / "bench" / "results"
SERVER = ROOT / "dashboards" / "server.py"
SHELL_APP = ROOT / "bench" / "shell_app.py"
FLOOR_APP = ROOT / "bench" / "floor_app.py"
FROZEN_FLOOR_APP = ROOT / "bench" / "floor_frozen_app.py"
TIMEOUT_MS = 600_000
# The overview's last section header, and its two pictures (SVG images the server draws).
OVERVIEW_LAST = "Falling due, as a list"
CHARTS = "figure.readiness-picture img"
# Chromium's cumulative main-thread times (seconds), read before and after each visit.
BUSY = ("TaskDuration", "ScriptDuration", "RecalcStyleDuration", "LayoutDuration")
# Clicks the sidebar link and times, in the page's own clock, until the marker (and on the
# overview both charts) is on screen: no round trip of the test driver is counted.
CLICK_AND_WAIT = """async ([link, marker, charts]) => {
  const nav = document.querySelector('[data-testid="stSidebarNav"]');
  const target = [...nav.querySelectorAll('a')].find(
    a => [...a.querySelectorAll('span')].some(s => s.textContent.trim() === link));
  const shown = (el) => el && el.getBoundingClientRect().height > 0;
  const drawn = () => {
    const hit = document.evaluate(`//*[text()="${marker}"]`, document, null,
      XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
    if (!shown(hit)) return false;
    if (!charts) return true;
    const marks = document.querySelectorAll(charts);
    return marks.length >= 2 && shown(marks[1]);
  };
  const started = performance.now();
  target.click();
  return await new Promise(resolve => {
    const poll = () => drawn() ? resolve(performance.now() - started) : requestAnimationFrame(poll);
    requestAnimationFrame(poll);
  });
}"""
ELEMENTS = """() => ({
  nodes: document.getElementsByTagName('*').length,
  elements: document.querySelectorAll('[data-testid="stElementContainer"]').length,
})"""


@dataclass
class Visit:
    """One timed visit: wall seconds, last message, main-thread busy seconds, messages."""

    wall: float
    last_message: float
    busy: dict[str, float]
    messages: int
    received: int
    nodes: int = 0
    elements: int = 0


@dataclass
class Tab:
    """A browser tab on one app, counting the websocket messages it receives."""

    page: Page
    name: str
    link: str
    marker: str
    away_link: str
    away_marker: str
    visits: list[Visit] = field(default_factory=list)
    _frames: list[tuple[float, int]] = field(default_factory=list)
    _cdp: Any = None

    def watch(self) -> None:
        self.page.set_default_timeout(TIMEOUT_MS)
        self.page.on("websocket", self._on_socket)
        self._cdp = self.page.context.new_cdp_session(self.page)
        self._cdp.send("Performance.enable")

    def _on_socket(self, socket: WebSocket) -> None:
        def received(payload: bytes | str) -> None:
            self._frames.append((time.perf_counter(), len(payload)))

        socket.on("framereceived", received)

    def _metrics(self) -> dict[str, float]:
        found = self._cdp.send("Performance.getMetrics")["metrics"]
        return {m["name"]: float(m["value"]) for m in found if m["name"] in BUSY}

    def go(self, link: str, marker: str) -> None:
        """Click a sidebar link and wait for the page's marker (untimed)."""
        self.page.get_by_test_id("stSidebarNav").get_by_role("link", name=link, exact=True).click()
        _drawn(self.page, marker)

    def timed(self) -> None:
        """Away, then back to the measured page, timing only the way back."""
        self.go(self.away_link, self.away_marker)
        self.page.wait_for_timeout(300)  # let the away page settle: its messages are not ours
        before, self._frames = self._metrics(), []
        started = time.perf_counter()
        charts = CHARTS if self.marker == OVERVIEW_LAST else None
        wall = self.page.evaluate(CLICK_AND_WAIT, [self.link, self.marker, charts]) / 1000
        _drawn(self.page, self.marker)
        after, frames = self._metrics(), list(self._frames)
        last = max((at for at, _ in frames), default=started) - started
        counted = self.page.evaluate(ELEMENTS)
        self.visits.append(
            Visit(
                wall,
                min(last, wall),
                {name: after[name] - before.get(name, 0.0) for name in after},
                len(frames),
                sum(size for _, size in frames),
                counted["nodes"],
                counted["elements"],
            )
        )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    url = _practice(args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = {"READINESS_DB_URL": url}
    with sync_playwright() as playwright, ExitStack() as stack:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM_PATH), args=list(CHROMIUM_ARGS)
        )
        stack.callback(browser.close)
        floor_at = stack.enter_context(streamlit_server(FLOOR_APP, {}, RESULTS / "floor.log"))
        frozen_at = stack.enter_context(
            streamlit_server(FROZEN_FLOOR_APP, {}, RESULTS / "floor-frozen.log")
        )
        shell_at = stack.enter_context(streamlit_server(SHELL_APP, env, RESULTS / "shell.log"))
        app_at = stack.enter_context(streamlit_server(SERVER, env, RESULTS / "dashboard.log"))
        floor = _floor_tab(browser, floor_at)
        frozen = _floor_tab(browser, frozen_at, "frozen")
        shell = _signed_in(browser, shell_at, "frame", "Overview drawn")
        overview = _signed_in(browser, app_at, "overview", OVERVIEW_LAST)
        overview.page.screenshot(path=str(RESULTS / "overview.png"))
        for _ in range(args.runs):
            for tab in (floor, frozen, shell, overview):
                tab.timed()
    _report(args, [floor, frozen, shell, overview])
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--days", type=int, default=1095)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=7, help="timed visits (the median is shown)")
    parser.add_argument("--rebuild", action="store_true", help="build the demo practice again")
    parser.add_argument("--db", help="a database URL to use instead (its users: the demo's)")
    return parser


# --- the practice, built once ----------------------------------------------------------


def _practice(args: argparse.Namespace) -> str:
    """The cached demo database of this size and seed (built as of today when missing)."""
    if args.db:
        return str(args.db)
    CACHE.mkdir(parents=True, exist_ok=True)
    stem = f"dashboard-{args.sites}s-{args.days}d-seed{args.seed}"
    found = sorted(CACHE.glob(f"{stem}-*.sqlite"))
    if found and not args.rebuild:
        print(f"using {found[-1].relative_to(ROOT)}")
        return f"sqlite:///{found[-1]}"
    for old in found:
        old.unlink()
    path = CACHE / f"{stem}-{date.today():%Y%m%d}.sqlite"
    partial = path.with_suffix(".building")
    for stale in CACHE.glob(f"{partial.name}*"):
        stale.unlink()
    print(f"building the demo practice into {partial.relative_to(ROOT)} ...", flush=True)
    database = Database(f"sqlite:///{partial}")
    upgrade(database.engine)
    report = run_demo(database, sites=args.sites, days=args.days, seed=args.seed, if_empty=False)
    with database.write() as session:
        ensure_demo_users(session, actor="bench")
    with database.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    database.dispose()  # checkpoints the WAL into the file
    partial.rename(path)
    print(report.summary(), flush=True)
    return f"sqlite:///{path}"


# --- the tabs -------------------------------------------------------------------------


def _drawn(page: Page, marker: str) -> None:
    """Wait for the marker; on the overview, for both charts too."""
    page.get_by_text(marker, exact=True).first.wait_for(state="visible")
    if marker == OVERVIEW_LAST:
        page.locator(CHARTS).nth(1).wait_for(state="visible")


def _floor_tab(browser: Browser, address: str, name: str = "floor") -> Tab:
    tab = Tab(browser.new_page(), name, "Floor B", "Floor B drawn", "Floor A", "Floor A drawn")
    tab.watch()
    tab.page.goto(address)
    _drawn(tab.page, "Floor A drawn")
    return tab


def _signed_in(browser: Browser, address: str, name: str, marker: str) -> Tab:
    """A tab signed in as the officer on the overview (drawn once, so caches are warm)."""
    away = "Import drawn" if name == "frame" else "Import spreadsheets"
    tab = Tab(browser.new_page(), name, "Overview", marker, "Import", away)
    tab.watch()
    tab.page.goto(address)
    tab.page.locator(".st-key-login_username input").fill("officer")
    tab.page.locator(".st-key-login_password input").fill("readiness-officer")
    started = time.perf_counter()
    tab.page.locator(".st-key-login_submit button").click()
    _drawn(tab.page, marker)
    print(f"{name}: first drawn after sign-in in {time.perf_counter() - started:.1f} s", flush=True)
    return tab


# --- the report -----------------------------------------------------------------------


def _median(tab: Tab, value: Callable[[Visit], float]) -> float:
    return statistics.median(value(visit) for visit in tab.visits)


def _report(args: argparse.Namespace, tabs: list[Tab]) -> None:
    floor, frozen, overview = tabs[0], tabs[1], tabs[-1]
    print(f"\ndemo practice {args.sites} sites x {args.days} days (seed {args.seed})")
    print(f"medians of {args.runs} visits each, the pages visited in turn")
    head = (
        f"  {'page':<9}{'click to drawn':>15}{'ratio':>7}{'last msg':>10}{'busy':>7}"
        f"{'script':>8}{'style':>7}{'layout':>8}{'msgs':>6}{'kB':>7}{'elements':>10}{'nodes':>7}"
    )
    print(head)
    base = _median(floor, lambda v: v.wall)
    for tab in tabs:
        wall = _median(tab, lambda v: v.wall)
        busy = {name: _median(tab, lambda v, n=name: v.busy.get(n, 0.0)) for name in BUSY}
        print(
            f"  {tab.name:<9}{wall * 1000:>12.0f} ms{wall / base:>6.2f}x"
            f"{_median(tab, lambda v: v.last_message) * 1000:>7.0f} ms"
            f"{busy['TaskDuration'] * 1000:>7.0f}{busy['ScriptDuration'] * 1000:>8.0f}"
            f"{busy['RecalcStyleDuration'] * 1000:>7.0f}{busy['LayoutDuration'] * 1000:>8.0f}"
            f"{_median(tab, lambda v: v.messages):>6.0f}"
            f"{_median(tab, lambda v: v.received) / 1000:>7.1f}"
            f"{_median(tab, lambda v: v.elements):>10.0f}{_median(tab, lambda v: v.nodes):>7.0f}"
        )
    spread = ", ".join(
        f"{tab.name} {min(v.wall for v in tab.visits) * 1000:.0f}-"
        f"{max(v.wall for v in tab.visits) * 1000:.0f} ms"
        for tab in tabs
    )
    print(f"  spread: {spread}")
    print("  (busy, script, style, layout: the tab's main-thread ms in the visit)")
    drawn = _median(overview, lambda v: v.wall)
    least = _median(frozen, lambda v: v.wall)
    print(
        f"  overview: {drawn / base:.2f}x the floor, {drawn / least:.2f}x the frozen floor"
        " (goal: 1.5x)"
    )


if __name__ == "__main__":
    sys.exit(main())
