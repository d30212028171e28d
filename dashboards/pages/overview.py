"""Overview: every site's readiness at a glance, what needs doing, and the last 90 days."""

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

from readiness import clock
from readiness.scheduler import heartbeat_status
from readiness.views import overview as views
from readiness.views.actions import open_count
from readiness.views.trend import counts_of, trend_frame

from state import database

TREND_COLOURS = {
    "failed": "#b91c1c",
    "overdue": "#ef4444",
    "expired": "#f97316",
    "missing": "#a855f7",
    "due_soon": "#eab308",
}
MARKER = "Overview drawn"


def render() -> None:
    """The whole page for the signed-in user's sites."""
    user = guard("overview")
    sites = ui.sites_of(user)
    url, now = database().url, clock.utc_now()
    version = ui.read(cached.data_version)
    items = ui.read(lambda: cached.items(url, user.site_codes, now.date(), version))
    items = items[items["site"].isin(list(sites))]
    todays = ui.todays(list(sites))
    st.title("Readiness overview")
    st.caption(f"{len(sites)} sites · statuses as of each site's today ({min(todays.values())})")
    ui.flash()
    _reminders(now)
    _headline(items, todays, list(sites))
    _matrix(ui.read(lambda: cached.scenarios(url, user.site_codes, now.date(), version)), sites)
    _attention(items, todays)
    _due(items, todays)
    _trend(url, user.site_codes, min(todays.values()), version, counts_of(items))
    st.caption(f"{MARKER} · data version {version}")


def _reminders(now: datetime) -> None:
    """Green when the reminder jobs ran recently, red when they stopped."""

    def load() -> pd.DataFrame:
        with database().read() as session:
            return heartbeat_status(session, now)

    running, sentence = views.reminder_state(ui.read(load), now)
    (st.success if running else st.error)(sentence)


def _headline(items: pd.DataFrame, todays: dict[str, date], codes: list[str]) -> None:
    """The metric row."""

    def load() -> int:
        with database().read() as session:
            return open_count(session, codes)

    figures = views.headline(items, todays, ui.read(load))
    for column, (label, value) in zip(st.columns(len(figures)), figures.items(), strict=True):
        column.metric(label.capitalize(), f"{value:,}")


def _matrix(scenarios: pd.DataFrame, sites: dict[str, str]) -> None:
    """Sites × scenarios, and one click to what blocks a site."""
    st.subheader("Ready for each emergency?")
    scenarios = scenarios[scenarios["site"].isin(list(sites))]
    matrix = views.readiness_matrix(scenarios)
    ui.table(matrix, "overview_matrix", status_columns=[c for c in matrix.columns if c != "site"])
    blocked = views.not_ready_sites(scenarios)
    if not blocked:
        st.success("Every site is ready for every scenario.")
        return
    site = st.selectbox(
        "What blocks a site",
        blocked,
        format_func=lambda c: f"{c} — {sites.get(c, c)}",
        key="overview_blocking_site",
    )
    ui.table(
        views.blocking_items(scenarios, str(site)), "overview_blocking", status_columns=["status"]
    )


def _attention(items: pd.DataFrame, todays: dict[str, date]) -> None:
    """Everything not ok, with filters; ok items on request."""
    st.subheader("Needs attention")
    left, mid, right, last = st.columns(4)
    chosen_sites = left.multiselect("Site", sorted(items["site"].unique()), key="overview_f_site")
    categories = mid.multiselect(
        "Category", sorted(items["category"].unique()), key="overview_f_category"
    )
    statuses = right.multiselect(
        "Status", [*views.NOT_OK, "ok", "not_applicable"], key="overview_f_status"
    )
    requirements = last.multiselect(
        "Requirement", sorted(items["requirement"].unique()), key="overview_f_requirement"
    )
    include_ok = st.checkbox("Show items that are ok too", key="overview_include_ok")
    shown = views.filtered(
        items,
        sites=chosen_sites,
        categories=categories,
        statuses=statuses,
        requirements=requirements,
    )
    rows = views.needs_attention(shown, todays, include_ok=include_ok or bool(statuses))
    st.caption(f"{len(rows):,} item{'' if len(rows) == 1 else 's'} · click a column header to sort")
    ui.table(
        rows, "overview_attention", status_columns=["status"], empty="Nothing needs attention."
    )


def _due(items: pd.DataFrame, todays: dict[str, date]) -> None:
    """What falls due in the next 30, 60 or 90 days."""
    st.subheader("Falling due")
    days = st.radio(
        "Within",
        views.WINDOWS,
        format_func=lambda d: f"{d} days",
        horizontal=True,
        key="overview_due_days",
    )
    rows = views.due_within(items, todays, int(days or 30))
    ui.table(
        rows, "overview_due", status_columns=["status"], empty="Nothing falls due in that time."
    )


def _trend(
    url: str, scope: tuple[str, ...] | None, today: date, version: int, now_counts: dict[str, int]
) -> None:
    """Status counts as of each of the last 90 days (computed in the background)."""
    st.subheader("Trend, last 90 days")
    _, missing = cached.trend_book(url).view(scope, today, version)
    section = st.fragment(_trend_chart, run_every=5 if missing else None)
    section(url, scope, today, version, now_counts)


def _trend_chart(
    url: str, scope: tuple[str, ...] | None, today: date, version: int, now_counts: dict[str, int]
) -> None:
    points, missing = cached.trend_book(url).view(scope, today, version)
    frame = trend_frame({**points, today: now_counts})
    st.line_chart(frame[list(TREND_COLOURS)], color=list(TREND_COLOURS.values()), height=260)
    if missing:
        st.caption(
            f"Computing the trend: {missing} of the past days still to come (updates by itself)."
        )
    else:
        st.caption("Items per status as of the end of each day; today as of now.")


render()
