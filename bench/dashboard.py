"""Benchmark: the overview drawn in headless Chromium, beside a trivial Streamlit page (the floor).

    .venv/bin/python bench/dashboard.py                       # 200 sites x 1095 days
    .venv/bin/python bench/dashboard.py --sites 20 --days 365 --runs 9

The demo practice (as of today) and its accounts are built once per size and seed and
kept under bench/.cache/ (git-ignored); --rebuild builds it again. The dashboard runs
as `streamlit run dashboards/app.py` on that database, signed in as the officer.

Measured, in one browser session each: the time from clicking a page in the sidebar
to its last element being visible. For the overview that is both charts drawn (the
readiness trend, read from the daily snapshots the demo backfills, and the expiry
timeline) and the last section's header under them; the floor is a page with a title
and a caption (bench/floor_app.py). Visits alternate with a visit to another page
(Import for the overview, the other floor page for the floor), and the overview is
opened once before timing, so the timed visits read warm caches, as every visit after
a day's first does. The sections under the charts draw only when opened. The machine
is shared: read the ratio of the medians, not the milliseconds. Goal: within 1.5x
the floor.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pgcluster import CHROMIUM_ARGS, CHROMIUM_PATH  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402
from streamlit_server import streamlit_server  # noqa: E402

from readiness.db import Database  # noqa: E402
from readiness.demo import run_demo  # noqa: E402
from readiness.migrate import upgrade  # noqa: E402
from readiness.services.users import ensure_demo_users  # noqa: E402

CACHE = ROOT / "bench" / ".cache"
RESULTS = ROOT / "bench" / "results"
APP = ROOT / "dashboards" / "app.py"
FLOOR_APP = ROOT / "bench" / "floor_app.py"
TIMEOUT_MS = 600_000
# The overview's last section header, and its two charts (vega draws them as SVG).
OVERVIEW_LAST = "Falling due, as a list"
CHARTS = '[data-testid="stVegaLiteChart"] svg.marks'


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    url = _practice(args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM_PATH), args=list(CHROMIUM_ARGS)
        )
        try:
            floor = _floor(browser.new_page(), args.runs)
            overview, first = _overview(browser.new_page(), url, args.runs)
        finally:
            browser.close()
    floor_s, overview_s = statistics.median(floor), statistics.median(overview)
    print(f"\ndemo practice {args.sites} sites x {args.days} days (seed {args.seed})")
    print(f"  first overview after sign-in (cold caches): {first:6.2f} s")
    shown = f"{overview_s * 1000:6.0f} ms  {_spread(overview)}"
    print(f"  overview, median of {args.runs} visits: {shown}")
    print(f"  floor page, median of {args.runs} visits: {floor_s * 1000:6.0f} ms  {_spread(floor)}")
    print(f"  ratio: {overview_s / floor_s:.2f}x the floor (goal: 1.5x)")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--days", type=int, default=1095)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=7, help="timed visits (the median is shown)")
    parser.add_argument("--rebuild", action="store_true", help="build the demo practice again")
    return parser


def _spread(seconds: list[float]) -> str:
    return f"(min {min(seconds) * 1000:.0f}, max {max(seconds) * 1000:.0f})"


# --- the practice, built once ----------------------------------------------------------


def _practice(args: argparse.Namespace) -> str:
    """The cached demo database of this size and seed (built as of today when missing)."""
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


# --- timing ---------------------------------------------------------------------------


def _visit(page: Page, link: str, marker: str) -> float:
    """Seconds from clicking a sidebar link to the page's marker being visible."""
    started = time.perf_counter()
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=link, exact=True).click()
    _drawn(page, marker)
    return time.perf_counter() - started


def _drawn(page: Page, marker: str) -> None:
    """Wait for the marker; on the overview, for both charts too."""
    page.get_by_text(marker).first.wait_for(state="visible")
    if marker == OVERVIEW_LAST:
        page.locator(CHARTS).nth(1).wait_for(state="visible")


def _alternate(
    page: Page, runs: int, away: Callable[[], float], there: Callable[[], float]
) -> list[float]:
    """Go away and come back `runs` times, timing only the way back."""
    timed = []
    for _ in range(runs):
        away()
        timed.append(there())
    return timed


def _floor(page: Page, runs: int) -> list[float]:
    page.set_default_timeout(TIMEOUT_MS)
    with streamlit_server(FLOOR_APP, {}, RESULTS / "floor-server.log") as address:
        page.goto(address)
        page.get_by_text("Floor A drawn").wait_for()
        _visit(page, "Floor B", "Floor B drawn")  # warm
        return _alternate(
            page,
            runs,
            lambda: _visit(page, "Floor A", "Floor A drawn"),
            lambda: _visit(page, "Floor B", "Floor B drawn"),
        )


def _overview(page: Page, url: str, runs: int) -> tuple[list[float], float]:
    page.set_default_timeout(TIMEOUT_MS)
    with streamlit_server(
        APP, {"READINESS_DB_URL": url}, RESULTS / "dashboard-server.log"
    ) as address:
        page.goto(address)
        page.locator(".st-key-login_username input").fill("officer")
        page.locator(".st-key-login_password input").fill("readiness-officer")
        started = time.perf_counter()
        page.locator(".st-key-login_submit button").click()
        _drawn(page, OVERVIEW_LAST)
        first = time.perf_counter() - started
        print(f"overview first drawn in {first:.1f} s", flush=True)
        page.screenshot(path=str(RESULTS / "overview.png"))
        return (
            _alternate(
                page,
                runs,
                lambda: _visit(page, "Import", "Import spreadsheets"),
                lambda: _visit(page, "Overview", OVERVIEW_LAST),
            ),
            first,
        )


if __name__ == "__main__":
    sys.exit(main())
