"""The overview's pictures as Vega-Lite specifications; their data go beside them as frames.

Written as plain specifications rather than built with Altair: Altair validates every
chart against the Vega-Lite schema on each draw (some 60–100 ms a chart here) and
costs two seconds to import, while these dictionaries cost nothing to build. The
frames (a few hundred rows) are sent as Arrow, as Streamlit sends every chart's data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# The whole chart, legend and axes included (Streamlit fits the drawing into it).
HEIGHT = 330
# Under the chart, in as many rows as the names need (a phone has room for two a row).
LEGEND = {"orient": "bottom", "columns": 2, "labelLimit": 150, "title": None}
# Counts of sites and items: whole numbers on the axis.
WHOLE = {"tickMinStep": 1, "format": "d"}
Spec = dict[str, Any]


def readiness_trend(sites: int) -> Spec:
    """A line per scenario: sites ready at the close of each day; unrecorded days are gaps.

    The data: `views.readiness_trend` (day, scenario, ready, recorded).
    """
    return {
        "height": HEIGHT,
        # A day nobody recorded breaks the line instead of joining its neighbours.
        "mark": {
            "type": "line",
            "invalid": "break-paths-show-domains",
            "interpolate": "step-after",
        },
        "encoding": {
            "x": {"field": "day", "type": "temporal", "title": None},
            "y": {
                "field": "ready",
                "type": "quantitative",
                "title": "sites ready",
                "scale": {"domain": [0, max(sites, 1)]},
                "axis": WHOLE,
            },
            "color": {"field": "scenario", "type": "nominal", "legend": LEGEND},
            "tooltip": [
                {"field": "day", "type": "temporal", "title": "Day"},
                {"field": "scenario", "type": "nominal", "title": "Emergency"},
                {"field": "ready", "type": "quantitative", "title": "Sites ready"},
                {"field": "recorded", "type": "quantitative", "title": "Sites recorded"},
            ],
        },
    }


def expiry_timeline(kinds: Sequence[str]) -> Spec:
    """Stacked bars: what expires or falls due each week, by kind.

    The data: `views.expiry_timeline.timeline` (week, kind, items, sites).
    """
    return {
        "height": HEIGHT,
        "mark": {"type": "bar"},
        "encoding": {
            # Ordinal weeks: one wide bar a week, labelled with its Monday.
            "x": {
                "field": "week",
                "type": "ordinal",
                "timeUnit": "yearmonthdate",
                "title": "week starting",
                "axis": {"format": "%b %d", "labelAngle": 0, "labelOverlap": True},
            },
            "y": {"field": "items", "type": "quantitative", "title": "items", "axis": WHOLE},
            "color": {
                "field": "kind",
                "type": "nominal",
                "scale": {"domain": list(kinds)},
                "legend": LEGEND,
            },
            "tooltip": [
                {"field": "week", "type": "temporal", "title": "Week starting"},
                {"field": "kind", "type": "nominal", "title": "What"},
                {"field": "items", "type": "quantitative", "title": "Items"},
                {"field": "sites", "type": "quantitative", "title": "Sites"},
            ],
        },
    }
