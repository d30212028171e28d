"""The overview shows, without opening anything: the figures, the readiness trend of the
last 90 days read from the snapshots (a day nobody recorded is a gap, not a guess) and the
expiry timeline of the next 90 days; the lists draw only when their section is opened."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from dashboard_world import TODAY, build_world, pin_the_clock
from picture_reading import NS, drawing, spoken, tips
from signin_helpers import APP, sign_in
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from readiness.db import Database
from readiness.migrate import upgrade
from readiness.models import Site
from readiness.policy.current import current_policy
from readiness.services import readiness_snapshots

TAKEN = datetime(2026, 3, 9, 6, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('trend')}/readiness.db")
    upgrade(db.engine)
    build_world(db)
    yield db
    db.dispose()


def record(db: Database, day: date, ready: dict[str, bool]) -> None:
    """A snapshot of every scenario at each site of `ready` (ready or with one blocker)."""
    with db.write() as session:
        pks = dict(session.execute(select(Site.code, Site.id)).all())
        readiness_snapshots.store(
            session,
            [
                {
                    "site_id": pks[code],
                    "day": day,
                    "scenario": scenario,
                    "ready": is_ready,
                    "blocking": 0 if is_ready else 1,
                    "taken_at": TAKEN,
                }
                for code, is_ready in ready.items()
                for scenario in current_policy().scenarios
            ],
        )


def pictures(at: AppTest) -> list[str]:
    """The pictures on the page, in order (HTML the server writes, read with `picture_reading`)."""
    return [element.value for element in at.get("html") if "readiness-picture" in element.value]


def overview(world: Database, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    pin_the_clock(monkeypatch, world)
    at = AppTest.from_file(APP, default_timeout=60).run()
    sign_in(at, "officer")
    assert not at.exception, at.exception
    return at


def test_the_trend_reads_the_snapshots_and_leaves_gaps(
    world: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    yesterday, before = TODAY - timedelta(days=1), TODAY - timedelta(days=3)
    record(world, yesterday, {"AUS1": True, "PHX1": False})
    record(world, before, {"AUS1": True, "PHX1": True})
    at = overview(world, monkeypatch)

    trend, timeline = pictures(at)
    scenarios = sorted(s.title for s in current_policy().scenarios.values())
    days = tips(trend)
    assert len(days) == 90
    for title in scenarios:
        assert f"{title}: 1" in days[-1]  # yesterday
        assert f"{title}: 2" in days[-3]
    assert "(of 2 recorded)" in days[-1] and "(of 2 recorded)" in days[-3]
    # The day in between was not recorded: a gap, not a computed guess.
    assert days[-2].endswith("— not recorded")
    lines = drawing(trend).findall(".//s:path", NS)
    assert len(lines) == len(scenarios)
    assert all(line.attrib["d"].count("M") == 2 for line in lines)
    assert spoken(trend).endswith("88 days not recorded.")
    assert any("88 days not recorded" in c.value for c in at.caption)

    # The expiry timeline: the laser's yearly service, due on 1 June.
    bars = tips(timeline)
    assert "Week of Mon Jun 1, 2026\nService and calibration: 1 item at 1 site" in bars
    assert all(bar.startswith("Week of Mon ") for bar in bars)

    # The lists wait for their section to open.
    assert [e.label for e in at.expander] == [
        "Sites and what keeps them from being ready",
        "Needs attention",
        "Falling due, as a list",
    ]
    assert not at.dataframe
    at.session_state["overview_show_due"] = True
    assert at.run().dataframe


def test_no_snapshot_yet_is_said_in_words(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database(f"sqlite:///{tmp_path}/readiness.db")
    upgrade(db.engine)
    build_world(db)
    at = overview(db, monkeypatch)
    assert len(pictures(at)) == 1  # the timeline only
    assert any("Nothing recorded yet" in c.value for c in at.caption)
    db.dispose()
