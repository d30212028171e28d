"""The readiness trend as a picture: a stepped line per emergency, sites ready each day.

Drawn from `readiness_trend` (day, scenario, ready, recorded). A day nobody recorded
breaks the lines (a gap, never a guess). Each day is a column the pointer can rest on:
its tooltip lists every emergency's count that day. The description read out to a
screen reader gives the period and the last recorded day's counts. (`svg` says how the
picture is put together.)
"""

from __future__ import annotations

from datetime import date
from typing import Final

import pandas as pd

from readiness.views import svg
from readiness.views.labels import plural

KEY: Final = "readiness-trend"
BOX: Final = svg.Box(left=44, top=8, width=svg.WIDTH - 52, height=200)
# Room under the plotting area for the dates.
HEIGHT: Final = BOX.bottom + 26
# Days labelled under the axis: the 1st and the 15th of each month.
LABELLED_DAYS: Final = (1, 15)


def trend_picture(trend: pd.DataFrame, sites: int) -> str:
    """The SVG of the trend (rows: day, scenario, ready, recorded) for a scope of `sites`."""
    rows = list(
        zip(
            [svg.as_date(day) for day in trend["day"].tolist()],
            trend["scenario"].tolist(),
            _counts(trend["ready"]),
            _counts(trend["recorded"]),
            strict=True,
        )
    )
    days = sorted({day for day, *_ in rows})
    # Sorted names: the colours the Vega chart gave each emergency.
    names = sorted({name for _, name, *_ in rows})
    ready = {(day, name): value for day, name, value, _ in rows}
    recorded = {day: count for day, _, _, count in rows if count is not None}
    marks = svg.ticks(max(sites, 1))
    step = BOX.width / max(len(days), 1)
    body = [
        svg.value_axis(BOX, marks, "sites ready"),
        *(
            svg.label_below(BOX.left + n * step, BOX, svg.short_date(d))
            for n, d in _labelled(days, step)
        ),
        *(
            _line([ready.get((d, name)) for d in days], step, marks[-1], svg.colour(n))
            for n, name in enumerate(names)
        ),
    ]
    tips = [
        _column(n, day, step, [(name, ready.get((day, name))) for name in names], recorded)
        for n, day in enumerate(days)
    ]
    words = (
        "Sites ready for each emergency, last 90 days",
        describe(days, names, ready, sites),
    )
    legend = svg.legend(names, line=True)
    return svg.figure(KEY, HEIGHT, words, "".join(body), tips, legend)


def describe(
    days: list[date], names: list[str], ready: dict[tuple[date, str], int | None], sites: int
) -> str:
    """The picture in words: the period, the last recorded day, the days not recorded."""
    if not days:
        return "Nothing recorded yet."
    first, last = svg.long_date(days[0]), svg.long_date(days[-1])
    period = f"Sites ready at the close of each day, {first} to {last}, out of {sites:,} sites."
    seen = [d for d in days if any(ready.get((d, name)) is not None for name in names)]
    if not seen:
        return f"{period} No day was recorded."
    newest = seen[-1]
    counts = "; ".join(f"{name} {_count(ready.get((newest, name)))}" for name in names)
    missing = len(days) - len(seen)
    gaps = f" {plural(missing, 'day')} not recorded." if missing else ""
    return f"{period} On {svg.long_date(newest)}: {counts}.{gaps}"


def _counts(column: pd.Series) -> list[int | None]:
    """A column of counts as whole numbers, None where missing (read in one pass, not per cell)."""
    missing = column.isna().tolist()
    return [
        None if gap else int(value) for value, gap in zip(column.tolist(), missing, strict=True)
    ]


def _count(value: int | None) -> str:
    return "not recorded" if value is None else f"{value:,}"


def _labelled(days: list[date], step: float) -> list[tuple[int, date]]:
    """The days labelled under the axis, none so near the right edge that it is cut off."""
    return [
        (n, day)
        for n, day in enumerate(days)
        if day.day in LABELLED_DAYS and BOX.left + n * step < svg.WIDTH - 18
    ]


def _line(values: list[int | None], step: float, top: int, colour: str) -> str:
    """A stepped line (each day's count holds until the next day), broken where unrecorded."""
    path: list[str] = []
    previous: int | None = None
    for n, value in enumerate(values):
        if value is None:
            previous = None
            continue
        y = BOX.y(value, top)
        path.append(f"M{BOX.left + n * step:.1f},{y:.1f}" if previous is None else f"V{y:.1f}")
        path.append(f"H{BOX.left + (n + 1) * step:.1f}")
        previous = value
    if not path:
        return ""
    return (
        f'<path d="{"".join(path)}" fill="none" stroke="{colour}" stroke-width="1.8"'
        ' stroke-linejoin="round"/>'
    )


def _column(
    n: int,
    day: date,
    step: float,
    counts: list[tuple[str, int | None]],
    recorded: dict[date, int],
) -> svg.Tip:
    """The day's column, whose tooltip gives each emergency's count."""
    if day in recorded:
        lines = "\n".join(f"{name}: {_count(value)}" for name, value in counts)
        head = f"sites ready at the close (of {recorded[day]:,} recorded)"
        says = f"{svg.long_date(day)} — {head}\n{lines}"
    else:
        says = f"{svg.long_date(day)} — not recorded"
    return svg.Tip(BOX.left + n * step, BOX.top, step, BOX.height, says)
