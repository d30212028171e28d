"""Drills: coverage per site and scenario, staff without a drill for 12 months, log a drill."""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
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
from readiness.rules.identifiers import FREE_TEXT_CAPTION
from readiness.services.document_reviews import document_types, record_document_review, sha256_of
from readiness.services.drills import ActionPlan, Timings, drill_scenarios, log_drill
from readiness.views.documents import latest_reviews
from readiness.views.drills import (
    coverage,
    drill_cycle,
    drill_log,
    site_staff,
    staff_without_drills,
)
from readiness.views.labels import words
from readiness.views.sites import site_clock

ACTION_DAYS = 30
DRILL = ui.Form("drill", keep=("drill_site",))
REVIEW = ui.Form("doc", keep=("doc_site",))


def render() -> None:
    """The page for the signed-in user's sites."""
    user = guard("drills")
    sites = ui.sites_of(user)
    st.title("Drills")
    ui.flash()
    codes = ui.site_picker(sites, "drills_site")
    items = ui.compliance(user, sites)
    todays = ui.todays(codes)
    today = max(todays.values())
    policy = cached.rules()[0]
    cycle = drill_cycle(policy)
    span = cycle.label if cycle else "12 months"

    def load() -> tuple[pd.DataFrame, pd.DataFrame]:
        with database().read() as session:
            return staff_without_drills(session, todays, policy), drill_log(session, codes)

    absent, log = ui.read(load)
    st.subheader("Coverage by site and scenario")
    table = coverage(items[items["site"].isin(codes)])
    ui.table(table, "drills_coverage", status_columns=[c for c in table.columns if c != "site"])
    st.subheader(f"Staff without a drill in the last {span}")
    ui.table(absent, "drills_absent", empty=f"Everyone took part in a drill in the last {span}.")
    st.subheader("Drill log")
    ui.table(log, "drills_log", empty="No drills recorded.")
    if user.may("log_drill"):
        _drill_form(user, sites, today)
    _documents(user, {code: sites[code] for code in codes}, today)


def _drill_form(user: Principal, sites: dict[str, str], today: date) -> None:
    """Log a drill: scenario, time, participants, timings, outcome, debrief, actions."""
    st.subheader("Log a drill")
    site = st.selectbox(
        "Site of the drill",
        list(sites),
        format_func=lambda c: f"{c} — {sites[c]}",
        key="drill_site",
    )
    policy, _ = cached.rules()
    scenarios = list(drill_scenarios(policy))

    def load() -> tuple[dict[str, str], datetime]:
        with database().read() as session:
            return site_staff(session, str(site)), site_clock(session, str(site), clock.utc_now())

    people, local_now = ui.read(load)
    DRILL.open()
    with st.form("drill_form"):
        left, mid, right = st.columns(3)
        scenario = left.selectbox(
            "Scenario", scenarios, format_func=ui.title_of, key="drill_scenario"
        )
        held_on = mid.date_input(
            "Date",
            value=local_now.date(),
            max_value=local_now.date(),
            format="YYYY-MM-DD",
            key="drill_on",
        )
        held_time = right.time_input("Time (site clock)", value=local_now.time(), key="drill_time")
        participants = st.multiselect(
            "Participants", list(people), format_func=people.__getitem__, key="drill_people"
        )
        aed = left.number_input("Seconds to AED", min_value=0, value=None, step=1, key="drill_aed")
        epi = mid.number_input(
            "Seconds to epinephrine", min_value=0, value=None, step=1, key="drill_epi"
        )
        oxygen = right.number_input(
            "Seconds to oxygen", min_value=0, value=None, step=1, key="drill_o2"
        )
        outcome = st.radio(
            "Outcome", ["pass", "fail"], format_func=words, horizontal=True, key="drill_outcome"
        )
        debrief = st.text_area("Debrief", key="drill_debrief")
        st.caption(FREE_TEXT_CAPTION)
        actions = st.text_area("Corrective actions (one per line)", key="drill_actions")
        st.caption(FREE_TEXT_CAPTION)
        due = st.date_input(
            "Actions due by",
            value=today + timedelta(days=ACTION_DAYS),
            format="YYYY-MM-DD",
            key="drill_due",
        )
        submitted = st.form_submit_button("Log drill", type="primary", key="drill_submit")
    if not submitted:
        return

    def write(key: str) -> str:
        plans = [
            ActionPlan(line.strip(), due if isinstance(due, date) else today)
            for line in str(actions or "").splitlines()
            if line.strip()
        ]
        when = datetime.combine(
            held_on if isinstance(held_on, date) else today, held_time or local_now.time()
        )
        with database().write() as session:
            drill, opened = log_drill(
                session,
                user,
                site_code=str(site),
                scenario=str(scenario),
                held_at=when,
                participants=[str(p) for p in participants],
                outcome=str(outcome),
                now_utc=clock.utc_now(),
                timings=Timings(_int(aed), _int(epi), _int(oxygen)),
                debrief=debrief,
                actions=plans,
                policy=cached.rules()[0],
            )
            extra = f"; {ui.plural(len(opened), 'corrective action')} opened" if opened else ""
            what = f"{ui.title_of(drill.scenario).lower()} drill at {sites[str(site)]}"
            return f"Logged the {what} ({words(drill.outcome).lower()}){extra}."

    DRILL.submit(write)


def _int(value: float | int | None) -> int | None:
    return None if value is None else int(value)


def _documents(user: Principal, sites: dict[str, str], today: date) -> None:
    """The emergency plan and transfer agreement reviews on file, and recording one."""
    st.subheader("Emergency plan and document reviews")
    titles = document_types(cached.rules()[0])

    def load() -> pd.DataFrame:
        with database().read() as session:
            return latest_reviews(session, list(sites), titles)

    ui.table(ui.read(load), "drills_documents", empty="No document reviews recorded.")
    if user.may("review_documents") and titles:
        _review_form(user, sites, titles, today)


def _review_form(
    user: Principal, sites: dict[str, str], titles: dict[str, str], today: date
) -> None:
    """Record a review with the reviewed file: its name and SHA-256 are kept, not the file."""
    REVIEW.open()
    with st.form("document_review"):
        left, right = st.columns(2)
        site = left.selectbox(
            "Site", list(sites), format_func=lambda c: f"{c} — {sites[c]}", key="doc_site"
        )
        doc_type = right.selectbox(
            "Document", list(titles), format_func=titles.__getitem__, key="doc_type"
        )
        reviewed_on = left.date_input(
            "Reviewed on", value=today, max_value=today, format="YYYY-MM-DD", key="doc_on"
        )
        reviewed_by = right.text_input("Reviewed by", key="doc_by")
        upload = st.file_uploader(
            "The reviewed file (kept only as its name and fingerprint)", key="doc_file"
        )
        submitted = st.form_submit_button("Record the review", key="doc_submit")
    if not submitted:
        return
    name = upload.name if upload is not None else ""
    digest = sha256_of(upload.getvalue()) if upload is not None else ""

    def write(key: str) -> str:
        with database().write() as session:
            review = record_document_review(
                session,
                user,
                site_code=str(site),
                doc_type=str(doc_type),
                reviewed_on=reviewed_on if isinstance(reviewed_on, date) else today,
                reviewed_by=reviewed_by,
                file_name=name,
                sha256=digest,
                today=today,
                policy=cached.rules()[0],
            )
            return (
                f"Recorded the {words(review.doc_type).lower()} review at"
                f" {sites[str(site)]} on {review.reviewed_on}: {name}"
                f" (fingerprint {digest[:12]})."
            )

    REVIEW.submit(write)


render()
