"""The parts every overview picture shares: axes, the frame, the legend, the tooltips.

The overview's two pictures are drawn on the server rather than by a charting library
in the browser: the browser only shows an image and a few hundred empty boxes, where
Vega's two charts were about a third of the time the overview kept the browser busy.
Each picture is HTML that Streamlit's `st.html` keeps as it is (its sanitiser drops
inline SVG, and raw HTML through Markdown is not allowed in this dashboard): the drawing
is an SVG image, each tooltip an empty box over it with a `title`, the legend is text
(so it follows the page's light or dark theme), and the whole is one image to a screen
reader, named and described in words. Everything here is pure (text in, text out) so a
test can read what a page shows.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Final

import pandas as pd

# Streamlit's categorical palette, in order: the colours the Vega charts had.
PALETTE: Final = (
    "#0068c9",
    "#83c9ff",
    "#ff2b2b",
    "#ffabab",
    "#29b09d",
    "#7defa1",
    "#ff8700",
    "#ffd16a",
    "#6d3fc0",
    "#d5dae5",
)
# The drawing's own units; the browser scales it to the column (about 1:1 on a laptop).
WIDTH: Final = 400
FONT: Final = 12
# Axis text and grid lines: a grey that reads on a light and on a dark page alike.
GREY: Final = "#808495"
# The hovered tooltip box is tinted, so the pointer shows which day or bar it is on.
STYLE: Final = "<style>.readiness-picture .tip:hover{background:rgba(128,132,149,.18)}</style>"


@dataclass(frozen=True)
class Tip:
    """A tooltip's box over the drawing (in the drawing's units) and what it says."""

    x: float
    y: float
    width: float
    height: float
    says: str


def text(value: object) -> str:
    """Text safe inside an element or an attribute."""
    return escape(str(value), quote=True)


def short_date(day: date) -> str:
    """ "Sep 7": under an axis."""
    return f"{day:%b} {day.day}"


def long_date(day: date) -> str:
    """ "Mon Sep 7, 2026": in a tooltip or a description."""
    return f"{day:%a %b} {day.day}, {day.year}"


def as_date(value: object) -> date:
    """A frame's day, whether a date or a timestamp."""
    return value.date() if isinstance(value, pd.Timestamp) else value  # type: ignore[return-value]


def colour(n: int) -> str:
    """The n-th series colour (the palette repeats past its end)."""
    return PALETTE[n % len(PALETTE)]


@dataclass(frozen=True)
class Box:
    """Where the plotting area sits in the drawing (its top left corner and size)."""

    left: float
    top: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def right(self) -> float:
        return self.left + self.width

    def y(self, value: float, top: float) -> float:
        """The height of `value` on an axis from 0 (bottom) to `top`."""
        return self.bottom - self.height * value / top if top else self.bottom


def ticks(top: float, most: int = 5) -> list[int]:
    """Whole-number ticks from 0 to at least `top`, at most `most` intervals of 1, 2 or 5 × 10ⁿ."""
    if top <= 0:
        return [0, 1]
    raw = top / most
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(s * power for s in (1, 2, 5, 10) if s * power >= raw)
    step = max(int(step), 1)
    return list(range(0, math.ceil(top / step) * step + 1, step))


def value_axis(box: Box, marks: Sequence[int], title: str) -> str:
    """Grid lines and labels up the left side, and the axis's title along it."""
    top = marks[-1]
    parts = []
    for mark in marks:
        y = box.y(mark, top)
        parts.append(
            f'<line x1="{box.left:.1f}" x2="{box.right:.1f}" y1="{y:.1f}" y2="{y:.1f}"'
            ' stroke="{GREY}" stroke-opacity="0.3"/>'
            f'<text x="{box.left - 6:.1f}" y="{y + FONT / 3:.1f}" text-anchor="end">{mark:,}</text>'
        )
    middle = box.top + box.height / 2
    parts.append(
        f'<text transform="translate({FONT + 1},{middle:.1f}) rotate(-90)"'
        f' text-anchor="middle">{text(title)}</text>'
    )
    return "".join(parts)


def label_below(x: float, box: Box, label: str) -> str:
    """A label centred under the plotting area at `x`, with a small tick."""
    return (
        f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{box.bottom:.1f}" y2="{box.bottom + 4:.1f}"'
        f' stroke="{GREY}"/>'
        f'<text x="{x:.1f}" y="{box.bottom + 6 + FONT:.1f}" text-anchor="middle">'
        f"{text(label)}</text>"
    )


def legend(names: Sequence[str], line: bool) -> str:
    """The series' names and colours, two a row under the drawing (a line or a square)."""
    shape = "width:16px;height:3px" if line else "width:11px;height:11px"
    keys = "".join(
        f'<span class="key"><span style="display:inline-block;{shape};background:{colour(n)};'
        f'margin-right:6px;vertical-align:middle"></span><span class="name">{text(name)}</span>'
        "</span>"
        for n, name in enumerate(names)
    )
    return (
        '<div class="legend" style="display:grid;grid-template-columns:1fr 1fr;'
        f'gap:2px 12px;font-size:0.8rem;margin-top:6px">{keys}</div>'
    )


def drawing(height: float, body: str) -> str:
    """The SVG of the drawing itself (axes, lines, bars; no text of the page's colour)."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}"'
        f' width="{WIDTH}" height="{height:.0f}" font-size="{FONT}"'
        f' font-family="sans-serif" fill="{GREY}">{body}</svg>'
    )


def tip_boxes(tips: Sequence[Tip], height: float) -> str:
    """The tooltips: empty boxes placed over the drawing in shares of its size."""
    return "".join(
        f'<div class="tip" title="{text(tip.says)}" style="position:absolute;'
        f"left:{100 * tip.x / WIDTH:.2f}%;top:{100 * tip.y / height:.2f}%;"
        f'width:{100 * tip.width / WIDTH:.2f}%;height:{100 * tip.height / height:.2f}%"></div>'
        for tip in tips
    )


def figure(
    key: str,
    height: float,
    words: tuple[str, str],
    body: str,
    tips: Sequence[Tip],
    legend_html: str,
) -> str:
    """The whole picture: the drawing scaled to its column, its tooltips over it, the legend
    under it; one image to a screen reader, named and described (`words`: label, description).
    """
    label, description = words
    source = base64.b64encode(drawing(height, body).encode()).decode()
    return (
        f'<figure class="readiness-picture {key}" role="img"'
        f' aria-label="{text(label)}. {text(description)}"'
        f' style="margin:0;max-width:{WIDTH * 1.6:.0f}px">'
        f'<div style="position:relative"><img src="data:image/svg+xml;base64,{source}" alt=""'
        ' style="display:block;width:100%;height:auto">'
        f"{tip_boxes(tips, height)}</div>{legend_html}</figure>{STYLE}"
    )
