"""Audit and export: the audit trail with filters, verify the chain, the inspector workbook."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import ui
from signin import guard
from state import database

from readiness import clock
from readiness.access import Principal
from readiness.audit import chain as audit_chain
from readiness.audit.chain import VerifyResult
from readiness.export.download import export_bytes
from readiness.views.audit_trail import audit_events, entities

EXPORT_DAYS = 90
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render() -> None:
    """The page for the signed-in user."""
    user = guard("audit")
    sites = ui.sites_of(user)
    st.title("Audit and export")
    today = max(ui.todays(list(sites)).values())
    if user.may("export"):
        _export(user, sites, today)
    if user.may("verify_audit"):
        _verify(user)
    _trail(user, today)


def _trail(user: Principal, today: date) -> None:
    """The latest audit events matching the filters."""
    st.subheader("Audit trail")
    left, mid, right, last = st.columns(4)
    entity = left.selectbox(
        "Entity", ["", *entities()], format_func=lambda e: e or "(all)", key="audit_entity"
    )
    actor = mid.text_input("Actor contains", key="audit_actor")
    start = right.date_input(
        "From", value=today - timedelta(days=30), format="YYYY-MM-DD", key="audit_from"
    )
    end = last.date_input("To", value=today, format="YYYY-MM-DD", key="audit_to")

    def load() -> pd.DataFrame:
        with database().read() as session:
            return audit_events(
                session,
                entity=entity or None,
                actor=actor or None,
                start=start if isinstance(start, date) else None,
                end=end if isinstance(end, date) else None,
            )

    events = ui.read(load)
    st.caption(f"{len(events)} events (the latest 500 at most), newest first; times in UTC.")
    ui.table(events, "audit_events", empty="No audit events match.")


def _verify(user: Principal) -> None:
    """Check every link of the chain and every record against it."""
    st.subheader("Verify the audit chain")
    if not st.button("Verify chain", key="audit_verify"):
        return
    with st.spinner("Checking every event and record…"):

        def load() -> VerifyResult:
            with database().read() as session:
                return audit_chain.verify_as(session, user)

        result = ui.attempt(load)
    if result is None:
        return
    if result.ok:
        st.success(
            f"Audit chain intact: {result.events:,} events, {result.records:,} records match;"
            f" head {result.head[:16]}…"
        )
    else:
        st.error(f"Audit chain broken: {result.problems[0]}")
        for problem in result.problems[1:10]:
            st.caption(problem)


def _export(user: Principal, sites: dict[str, str], today: date) -> None:
    """Prepare the inspector workbook, then offer it for download."""
    st.subheader("Export for inspectors")
    codes = st.multiselect(
        "Sites",
        list(sites),
        default=list(sites)[:1],
        format_func=lambda c: f"{c} — {sites[c]}",
        key="export_sites",
    )
    left, right = st.columns(2)
    start = left.date_input(
        "From", value=today - timedelta(days=EXPORT_DAYS), format="YYYY-MM-DD", key="export_from"
    )
    end = right.date_input("To", value=today, format="YYYY-MM-DD", key="export_to")
    if st.button("Prepare workbook", key="export_prepare"):
        _prepare(user, [str(c) for c in codes], start, end)
    ready = st.session_state.get("export_file")
    if ready:
        name, data = ready
        st.download_button(
            "Download workbook",
            data,
            file_name=name,
            mime=XLSX,
            key="export_download",
            on_click="ignore",
        )


def _prepare(user: Principal, codes: list[str], start: object, end: object) -> None:
    """Build the workbook into the session, or say why not."""
    st.session_state.pop("export_file", None)
    if not codes:
        st.error("Choose at least one site.")
        return
    if not isinstance(start, date) or not isinstance(end, date):
        st.error("Choose both dates.")
        return
    with st.spinner("Building the workbook…"):
        data = ui.attempt(
            lambda: export_bytes(database(), user, codes, start, end, clock.utc_now())
        )
    if data is None:
        return
    name = f"readiness-{'-'.join(codes[:3])}{'-etc' if len(codes) > 3 else ''}-{start}-{end}.xlsx"
    st.session_state["export_file"] = (name, data)


render()
