"""The overview's two pictures are drawn by the server: the trend's stepped lines break on a
day nobody recorded, each day and each bar has a tooltip, the axes are labelled, the colours
are the ones the charts had, and a screen reader gets the picture in words."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pandas as pd
import pytest
from picture_reading import NS, drawing, legend, spoken, texts, tips

from readiness.views import svg
from readiness.views.expiry_picture import expiry_picture, weeks_ahead
from readiness.views.expiry_timeline import KINDS
from readiness.views.trend_picture import trend_picture

TODAY = date(2026, 3, 9)  # a Monday
SCENARIOS = ["Fire", "Cardiac arrest", "Anaphylaxis & shock <adult>"]


def trend(days: int = 90) -> pd.DataFrame:
    """Sites ready per scenario; the third day before today was not recorded."""
    first = TODAY - timedelta(days=days)
    rows = []
    for n in range(days):
        day = first + timedelta(days=n)
        for k, name in enumerate(SCENARIOS):
            if day == TODAY - timedelta(days=3):
                rows.append((day, name, pd.NA, pd.NA))
            else:
                rows.append((day, name, (n + k) % 5, 4))
    frame = pd.DataFrame(rows, columns=["day", "scenario", "ready", "recorded"])
    return frame.astype({"ready": "Int64", "recorded": "Int64"})


def test_the_trend_has_a_tooltip_a_day_and_breaks_its_lines_on_a_gap() -> None:
    picture = trend_picture(trend(), sites=4)

    days = tips(picture)
    assert len(days) == 90
    yesterday = days[-1]
    assert yesterday.startswith("Sun Mar 8, 2026 — sites ready at the close (of 4 recorded)")
    # Every emergency's count that day, by name ((89 + k) % 5 for the k-th scenario).
    assert "Fire: 4" in yesterday and "Cardiac arrest: 0" in yesterday
    assert "Anaphylaxis & shock <adult>: 1" in yesterday
    assert days[-3] == "Fri Mar 6, 2026 — not recorded"

    lines = drawing(picture).findall(".//s:path", NS)
    assert len(lines) == len(SCENARIOS)
    for line in lines:
        # Two runs of steps: before the unrecorded day and after it.
        assert len(re.findall("M", line.attrib["d"])) == 2


def test_the_trend_axes_legend_and_colours_read_as_the_chart_did() -> None:
    picture = trend_picture(trend(), sites=4)
    labels = texts(picture)
    # Counts up the side to the number of sites, the dates under it, the axis named.
    assert labels[:5] == ["0", "1", "2", "3", "4"]
    assert "sites ready" in labels
    assert {"Dec 15", "Jan 1", "Jan 15", "Feb 1", "Feb 15", "Mar 1"} <= set(labels)
    # The legend: names sorted, as Vega ordered them, in Streamlit's colours.
    assert legend(picture) == sorted(SCENARIOS)
    strokes = [path.attrib["stroke"] for path in drawing(picture).iterfind(".//s:path", NS)]
    assert strokes == list(svg.PALETTE[: len(SCENARIOS)])
    for colour in strokes:
        assert f"background:{colour}" in picture


def test_the_trend_is_described_in_words_for_a_screen_reader() -> None:
    said = spoken(trend_picture(trend(), sites=4))
    assert said.startswith(
        "Sites ready for each emergency, last 90 days. Sites ready at the close of each day,"
        " Tue Dec 9, 2025 to Sun Mar 8, 2026, out of 4 sites."
    )
    assert "On Sun Mar 8, 2026: Anaphylaxis & shock <adult> 1; Cardiac arrest 0; Fire 4." in said
    assert said.endswith("1 day not recorded.")


def weeks(rows: list[tuple[date, str, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["week", "kind", "items", "sites"])


def bars(picture: str) -> dict[str, tuple[float, float, str]]:
    """Each bar part, in drawing order (bottom up), as (top, height, colour)."""
    found = drawing(picture).iterfind(".//s:rect[@class='bar']", NS)
    parts = [(float(r.attrib["y"]), float(r.attrib["height"]), r.attrib["fill"]) for r in found]
    return dict(zip(tips(picture), parts, strict=True))


def test_the_timeline_stacks_each_week_with_a_tooltip_per_kind() -> None:
    june = date(2026, 6, 1)
    rows = [
        (TODAY, "Certificates", 3, 2),
        (TODAY, "Drugs", 1, 1),
        (june, "Service and calibration", 1, 1),
    ]
    found = bars(expiry_picture(weeks(rows), KINDS, TODAY))
    assert set(found) == {
        "Week of Mon Mar 9, 2026\nCertificates: 3 items at 2 sites",
        "Week of Mon Mar 9, 2026\nDrugs: 1 item at 1 site",
        "Week of Mon Jun 1, 2026\nService and calibration: 1 item at 1 site",
    }
    certificates = found["Week of Mon Mar 9, 2026\nCertificates: 3 items at 2 sites"]
    drugs = found["Week of Mon Mar 9, 2026\nDrugs: 1 item at 1 site"]
    # The first kind on top of the stack; heights in proportion to the items.
    assert certificates[0] < drugs[0]
    assert certificates[1] == pytest.approx(3 * drugs[1], abs=0.2)
    assert certificates[0] + certificates[1] == pytest.approx(drugs[0], abs=0.2)
    # The colours the chart had: the policy's kinds in order through Streamlit's palette.
    assert certificates[2] == svg.PALETTE[KINDS.index("Certificates")]
    assert drugs[2] == svg.PALETTE[KINDS.index("Drugs")]


def test_the_timeline_shows_every_week_ahead_even_the_empty_ones() -> None:
    mondays = weeks_ahead(TODAY)
    assert mondays[0] == TODAY and mondays[-1] <= TODAY + timedelta(days=90)
    assert mondays[-1] + timedelta(days=7) > TODAY + timedelta(days=90)
    picture = expiry_picture(weeks([(TODAY, "Drugs", 2, 1)]), KINDS, TODAY)
    assert len(drawing(picture).findall(".//s:g[@class='week']", NS)) == len(mondays)
    # Every other Monday is labelled (a band is too narrow for one a week).
    labels = texts(picture)
    assert "Mar 9" in labels and "Mar 23" in labels and "Mar 16" not in labels
    assert "items" in labels


def test_the_timeline_names_a_kind_the_policy_added_and_says_it_in_words() -> None:
    rows = [(TODAY, "Drugs", 2, 1), (TODAY + timedelta(days=14), "Oxygen cylinders", 5, 3)]
    picture = expiry_picture(weeks(rows), KINDS, TODAY)
    assert legend(picture) == [*KINDS, "Oxygen cylinders"]
    assert spoken(picture) == (
        "What expires or falls due, next 90 days, week by week. Items that expire or fall due"
        " in the next 90 days, week by week: 7 in all (Drugs 2; Oxygen cylinders 5)."
        " The busiest is the week of Mon Mar 23, 2026, with 5."
    )


def test_value_axes_count_in_whole_steps_to_at_least_the_top() -> None:
    assert svg.ticks(200) == [0, 50, 100, 150, 200]
    assert svg.ticks(2) == [0, 1, 2]
    assert svg.ticks(7) == [0, 2, 4, 6, 8]
    assert svg.ticks(134) == [0, 50, 100, 150]
    assert svg.ticks(0) == [0, 1]
