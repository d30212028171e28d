"""Overview: every site's readiness at a glance, the last 90 days, what falls due, what to do.

The first draw is kept light, for a phone as much as for speed: the headline
figures in a grid that wraps, the readiness trend (read from the daily snapshots,
never judged here) and the expiry timeline, both drawn on the server
(`views.trend_picture`, `views.expiry_picture`: a charting library in the browser was
about a third of the time the page kept it busy). The lists below are expanders that draw
only when opened. Everything comes from cached models per data version
(`cached.overview`, `cached.timeline`, `cached.trend`); a click only filters them.
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
from readiness.views.expiry_picture import expiry_picture
from readiness.views.expiry_timeline import KINDS
from readiness.views.labels import words
from readiness.views.trend_picture import trend_picture

# Who runs the server and can act on a stopped reminder worker.
OPERATORS = ("officer", "admin")
RESTART = (
    "E-mail reminders are not going out. On the server, run `readiness scheduler` (or restart"
    " its service) and check this banner turns green within a few minutes."
)
# The sections under the pictures: (key, title); each draws only when opened.
SECTIONS = (
    ("overview_show_sites", "Sites and what keeps them from being ready"),
    ("overview_show_attention", "Needs attention"),
    ("overview_show_due", "Falling due, as a list"),
)
# Longest list drawn at once: nobody reads further, and every row costs drawing time.
MAX_ROWS = 400
# Wide enough for "Due in 30 days" and a five-digit figure; a phone fits two a row.
METRIC_WIDTH = 160


def render() -> None:
    """The whole page for the signed-in user's sites."""
    user = guard("overview")
    sites = ui.sites_of(user)
    url, now = database().url, clock.utc_now()
    version = ui.read(cached.data_version)
    days = cached.days_key(ui.todays(list(sites)))
    model = ui.read(lambda: cached.overview(url, user.site_codes, days, version))
    st.title("Readiness overview")
    st.caption(f"{ui.plural(len(sites), 'site')} · statuses as of each site's today ({min(days)})")
    ui.flash()
    if user.role in OPERATORS:
        _reminders(now)
    _headline(model, sites, list(sites) if user.site_codes else None)
    left, right = st.columns(2)
    with left:
        _trend(ui.read(lambda: cached.trend(url, user.site_codes, min(days))), len(sites))
    with right:
        _timeline(ui.read(lambda: cached.timeline(url, user.site_codes, days, version)), min(days))
    draws = (
        lambda: _matrix_and_plan(model, sites, user),
        lambda: _attention(model),
        lambda: _due(model),
    )
    for (key, title), draw in zip(SECTIONS, draws, strict=True):
        section = st.expander(title, key=key, on_change="rerun")
        if section.open:
            with section:
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


def _headline(model: views.OverviewModel, sites: dict[str, str], codes: list[str] | None) -> None:
    """The figures, in a grid that wraps: one row on a wide screen, two a row on a phone."""

    def load() -> int:
        with database().read() as session:
            return open_count(session, codes)

    ready = len(sites) - len(model.blocked)
    figures = {
        "sites ready": f"{ready:,} of {len(sites):,}",
        **{label: f"{value:,}" for label, value in model.figures.items()},
        "open actions": f"{ui.read(load):,}",
    }
    with st.container(horizontal=True, wrap=True, gap="small", key="overview_figures"):
        for label, value in figures.items():
            st.metric(label.capitalize(), value, width=METRIC_WIDTH)


def _trend(trend: pd.DataFrame, sites: int) -> None:
    """Sites ready for each scenario at the close of each of the last 90 days."""
    st.subheader("Sites ready, last 90 days")
    if trend["ready"].isna().all():
        st.caption(
            "Nothing recorded yet: the scheduler records each site's readiness once its day"
            " has closed (or run `readiness snapshot`)."
        )
        return
    st.html(trend_picture(trend, sites))
    gaps = int(trend.groupby("day")["ready"].apply(lambda day: day.isna().all()).sum())
    note = f" {ui.plural(gaps, 'day')} not recorded (gaps in the lines)." if gaps else ""
    st.caption(f"Sites ready at the close of each day; today's are in the figures above.{note}")


def _timeline(weeks: pd.DataFrame, today: date) -> None:
    """What expires or falls due in the next 90 days, week by week (from today's week)."""
    st.subheader("Expiring, next 90 days")
    if weeks.empty:
        st.caption("Nothing expires or falls due in the next 90 days.")
        return
    st.html(expiry_picture(weeks, KINDS, today))
    st.caption(
        f"Certificates, AED pads and batteries, drugs, service and calibration:"
        f" {ui.plural(int(weeks['items'].sum()), 'item')} in all, listed under"
        " “Falling due”."
    )


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


render()
