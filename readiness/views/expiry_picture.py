"""The expiry timeline as a picture: stacked bars, week by week, of what falls due.

Drawn from `expiry_timeline.timeline` (week, kind, items, sites) over every week
from this one to the end of the horizon, so a week with nothing due shows empty.
Each bar's part has a tooltip (the week, the kind, items and sites); the description
read out to a screen reader gives the totals per kind and the busiest week. (`svg` says
how the picture is put together.)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Final

import pandas as pd

from readiness.views import svg
from readiness.views.expiry_timeline import HORIZON_DAYS
from readiness.views.labels import plural

KEY: Final = "expiry-timeline"
BOX: Final = svg.Box(left=44, top=8, width=svg.WIDTH - 52, height=200)
# Room under the plotting area for the dates.
HEIGHT: Final = BOX.bottom + 26
# Of each week's band, the bar's share (the rest is the gap between bars).
BAR: Final = 0.8
# Narrower bands than this label every other week, so the dates do not overlap.
LABEL_ROOM: Final = 34


def weeks_ahead(today: date, days: int = HORIZON_DAYS) -> list[date]:
    """The Mondays of the weeks from this one to the one `days` days ahead."""
    first = today - timedelta(days=today.weekday())
    return [
        first + timedelta(weeks=n)
        for n in range((today + timedelta(days=days) - first).days // 7 + 1)
    ]


def expiry_picture(weeks: pd.DataFrame, kinds: Sequence[str], today: date) -> str:
    """The SVG of the timeline (rows: week, kind, items, sites) from `today`'s week on."""
    columns = [weeks[name].tolist() for name in ("week", "kind", "items", "sites")]
    counts = {
        (svg.as_date(week), str(kind)): (int(items), int(sites))
        for week, kind, items, sites in zip(*columns, strict=True)
    }
    # The policy's kinds first (their colours as before), then any the policy added.
    names = [*kinds, *sorted({kind for _, kind in counts} - set(kinds))]
    mondays = weeks_ahead(today)
    totals = [sum(counts.get((monday, name), (0, 0))[0] for name in names) for monday in mondays]
    marks = svg.ticks(max(totals, default=0) or 1)
    band = BOX.width / len(mondays)
    every = 1 if band >= LABEL_ROOM else 2
    stacks = [_bar(n, monday, band, names, counts, marks[-1]) for n, monday in enumerate(mondays)]
    body = [
        svg.value_axis(BOX, marks, "items"),
        *(
            svg.label_below(BOX.left + (n + 0.5) * band, BOX, svg.short_date(monday))
            for n, monday in enumerate(mondays)
            if n % every == 0
        ),
        *(drawn for drawn, _ in stacks),
    ]
    tips = [tip for _, parts in stacks for tip in parts]
    words = (
        "What expires or falls due, next 90 days, week by week",
        describe(mondays, names, counts, totals),
    )
    legend = svg.legend(names, line=False)
    return svg.figure(KEY, HEIGHT, words, "".join(body), tips, legend)


def describe(
    mondays: list[date],
    names: list[str],
    counts: dict[tuple[date, str], tuple[int, int]],
    totals: list[int],
) -> str:
    """The picture in words: the total, each kind's share, the busiest week."""
    whole = sum(totals)
    if not whole:
        return "Nothing expires or falls due in the next 90 days."
    per_kind = [
        (name, sum(items for (_, kind), (items, _) in counts.items() if kind == name))
        for name in names
    ]
    shares = "; ".join(f"{name} {items:,}" for name, items in per_kind if items)
    busiest = max(range(len(mondays)), key=lambda n: totals[n])
    return (
        f"Items that expire or fall due in the next 90 days, week by week: {whole:,} in all"
        f" ({shares}). The busiest is the week of {svg.long_date(mondays[busiest])},"
        f" with {totals[busiest]:,}."
    )


def _bar(
    n: int,
    monday: date,
    band: float,
    names: list[str],
    counts: dict[tuple[date, str], tuple[int, int]],
    top: int,
) -> tuple[str, list[svg.Tip]]:
    """One week's stack, the first kind on top as the legend reads, and a tooltip per part."""
    x, width = BOX.left + (n + (1 - BAR) / 2) * band, band * BAR
    parts, tips, below = [], [], 0
    for index in reversed(range(len(names))):
        items, sites = counts.get((monday, names[index]), (0, 0))
        if not items:
            continue
        y_top, y_bottom = BOX.y(below + items, top), BOX.y(below, top)
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{y_top:.1f}" width="{width:.1f}"'
            f' height="{y_bottom - y_top:.1f}" fill="{svg.colour(index)}"/>'
        )
        says = (
            f"Week of {svg.long_date(monday)}\n{names[index]}: {plural(items, 'item')}"
            f" at {plural(sites, 'site')}"
        )
        tips.append(svg.Tip(x, y_top, width, y_bottom - y_top, says))
        below += items
    return f'<g class="week">{"".join(parts)}</g>', tips
