"""Overview: every site's readiness at a glance, what needs doing, and the last 90 days.

Everything shown comes from one cached model per data version (`cached.overview`);
a click only filters it. The sections below the headline are tabs that draw only
when opened, so a visit draws the headline and one section, not four.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cached
import ui
from signin import guard
from state import database

from readiness import clock
from readiness.access import Principal
from readiness.reminders.scheduler import heartbeat_status
from readiness.views import overview as views
from readiness.views.actions import open_count
from readiness.views.labels import words
from readiness.views.trend import trend_frame

TREND_COLOURS = {
    "failed": "#b91c1c",
    "overdue": "#ef4444",
    "expired": "#f97316",
    "missing": "#a855f7",
    "due_soon": "#eab308",
}
# Who runs the server and can act on a stopped reminder worker.
OPERATORS = ("officer", "admin")
RESTART = (
    "E-mail reminders are not going out. On the server, run `readiness scheduler` (or restart"
    " its service) and check this banner turns green within a few minutes."
)
TABS = ("Ready for each emergency?", "Needs attention", "Falling due", "Trend, last 90 days")
# Longest list drawn at once: nobody reads further, and every row costs drawing time.
MAX_ROWS = 400


def render() -> None:
    """The whole page for the signed-in user's sites."""
    user = guard("overview")
    sites = ui.sites_of(user)
    url, now = database().url, clock.utc_now()
    version = ui.read(cached.data_version)
    todays = ui.todays(list(sites))
    days = cached.days_key(todays)
    model = ui.read(lambda: cached.overview(url, user.site_codes, days, version))
    st.title("Readiness overview")
    st.caption(f"{ui.plural(len(sites), 'site')} · statuses as of each site's today ({min(days)})")
    ui.flash()
    if user.role in OPERATORS:
        _reminders(now)
    _headline(model, list(sites) if user.site_codes else None)
    # The trend's past days compute in the background from the first visit on.
    cached.trend_book(url).view(user.site_codes, min(days), version)
    sections = (
        lambda: _matrix_and_plan(model, sites, user),
        lambda: _attention(model),
        lambda: _due(model),
        lambda: _trend(url, user.site_codes, min(days), version),
    )
    for tab, draw in zip(
        st.tabs(TABS, key="overview_tab", on_change="rerun"), sections, strict=True
    ):
        if tab.open:
            with tab:
                draw()


def _reminders(now: datetime) -> None:
    """Green when the reminder jobs ran recently, red (with what to do) when they stopped."""

    def load() -> pd.DataFrame:
        with database().read() as session:
            return heartbeat_status(session, now)

    running, sentence = views.reminder_state(ui.read(load), now)
    if running:
        st.success(sentence)
    else:
        st.error(f"{sentence} {RESTART}")


def _headline(model: views.OverviewModel, codes: list[str] | None) -> None:
    """The metric row."""

    def load() -> int:
        with database().read() as session:
            return open_count(session, codes)

    figures = {**model.figures, "open actions": ui.read(load)}
    for column, (label, value) in zip(st.columns(len(figures)), figures.items(), strict=True):
        column.metric(label.capitalize(), f"{value:,}")


def _matrix_and_plan(model: views.OverviewModel, sites: dict[str, str], user: Principal) -> None:
    """The readiness matrix, then the wall plan's download under it."""
    _matrix(model, sites)
    _plan(user, sites)


def _matrix(model: views.OverviewModel, sites: dict[str, str]) -> None:
    """Sites × scenarios, and one click to what blocks a site."""
    matrix = model.matrix
    ui.table(matrix, "overview_matrix", status_columns=[c for c in matrix.columns if c != "site"])
    if not model.blocked:
        st.success("Every site is ready for every scenario.")
        return
    site = st.selectbox(
        "What blocks a site",
        model.blocked,
        index=None,
        format_func=lambda c: f"{c} — {sites.get(c, c)}",
        placeholder=(
            f"{ui.plural(len(model.blocked), 'site')}"
            f" {'is' if len(model.blocked) == 1 else 'are'} not ready for every scenario:"
            " choose one"
        ),
        key="overview_blocking_site",
    )
    if site is None:
        return
    blocking = views.blocking_items(model.scenarios, str(site))
    ui.table(blocking, "overview_blocking", status_columns=["status"])


def _plan(user: Principal, sites: dict[str, str]) -> None:
    """The emergency action plan of one site as a PDF, for the clinic wall."""
    # reportlab loads only when a plan is asked for, not with every overview.
    from readiness.export.plan.download import plan_download

    left, right = st.columns([3, 1])
    code = left.selectbox(
        "Emergency action plan (PDF, for the wall)",
        list(sites),
        format_func=lambda c: f"{c} — {sites.get(c, c)}",
        key="overview_plan_site",
    )
    if right.button("Prepare plan", key="overview_plan_prepare") and code:
        with st.spinner("Building the plan…"):
            data = ui.attempt(lambda: plan_download(database(), user, str(code), clock.utc_now()))
        st.session_state["overview_plan_file"] = None if data is None else (code, data)
    ready = st.session_state.get("overview_plan_file")
    if ready:
        st.download_button(
            "Download plan",
            ready[1],
            file_name=f"emergency-plan-{ready[0]}.pdf",
            mime="application/pdf",
            key="overview_plan_download",
            on_click="ignore",
        )


def _attention(model: views.OverviewModel) -> None:
    """Everything not ok, with filters; ok items on request."""
    left, mid, right, last = st.columns(4)
    choices = model.choices
    sites = left.multiselect("Site", choices["site"], key="overview_f_site")
    categories = mid.multiselect(
        "Category", choices["category"], format_func=words, key="overview_f_category"
    )
    statuses = right.multiselect(
        "Status",
        [*views.NOT_OK, "ok", "not_applicable"],
        format_func=words,
        key="overview_f_status",
    )
    requirements = last.multiselect(
        "Requirement", choices["requirement"], format_func=ui.title_of, key="overview_f_requirement"
    )
    include_ok = st.checkbox("Show items that are ok too", key="overview_include_ok")
    rows = views.attention(
        model,
        sites=sites,
        categories=categories,
        statuses=statuses,
        requirements=requirements,
        include_ok=include_ok,
    )
    count = len(rows)
    shown = f"the {MAX_ROWS} worst shown; filter to see the rest · " if count > MAX_ROWS else ""
    st.caption(f"{ui.plural(count, 'item')} · {shown}click a column header to sort")
    ui.table(
        with_ids(rows.head(MAX_ROWS)),
        "overview_attention",
        status_columns=["status"],
        empty="Nothing needs attention.",
    )


def with_ids(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows with the raw requirement id last, for whoever needs to look it up."""
    return rows.assign(requirement_id=rows["requirement"])


def _due(model: views.OverviewModel) -> None:
    """What falls due in the next 30, 60 or 90 days."""
    days = st.radio(
        "Within",
        views.WINDOWS,
        format_func=lambda d: f"{d} days",
        horizontal=True,
        key="overview_due_days",
    )
    rows = views.upcoming(model, int(days or views.WINDOWS[0]))
    if len(rows) > MAX_ROWS:
        st.caption(f"{ui.plural(len(rows), 'item')}; the {MAX_ROWS} soonest shown.")
    ui.table(
        with_ids(rows.head(MAX_ROWS)),
        "overview_due",
        status_columns=["status"],
        empty="Nothing falls due in that time.",
    )


def _trend(url: str, scope: tuple[str, ...] | None, today: date, version: int) -> None:
    """Status counts as of each of the last 90 days (past days computed in the background)."""
    _, missing = cached.trend_book(url).view(scope, today, version)
    # While points are still computing, the chart redraws itself every few seconds.
    section = st.fragment(_trend_chart, run_every=5 if missing else None)
    section(url, scope, today, version)


def _trend_chart(url: str, scope: tuple[str, ...] | None, today: date, version: int) -> None:
    points, missing = cached.trend_book(url).view(scope, today, version)
    if not points:
        st.caption(f"Computing the trend: {missing} past days to come (it updates by itself).")
        return
    frame = trend_frame(points)[list(TREND_COLOURS)]
    long = frame.reset_index().melt(id_vars="day", var_name="status", value_name="items")
    long["day"] = long["day"].dt.strftime("%Y-%m-%d")
    # Inline values: a few hundred points need no Arrow conversion.
    spec = {**_spec(), "data": {"values": long.to_dict("records")}}
    st.vega_lite_chart(spec, height=260)
    if missing:
        st.caption(f"Computing the trend: {missing} past days to come (it updates by itself).")
    else:
        st.caption("Items per status at the close of each day; today's are in the figures above.")


def _spec() -> dict[str, object]:
    """A line per status, coloured as the status vocabulary is everywhere."""
    return {
        "mark": {"type": "line", "point": False},
        "encoding": {
            "x": {"field": "day", "type": "temporal", "title": None},
            "y": {"field": "items", "type": "quantitative", "title": "items"},
            "color": {
                "field": "status",
                "type": "nominal",
                "scale": {"domain": list(TREND_COLOURS), "range": list(TREND_COLOURS.values())},
            },
        },
    }


render()
