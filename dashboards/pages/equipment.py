"""Equipment: the register, service history, record a service or calibration, in/out of service."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import ui
from signin import guard
from state import database

from readiness.access import Principal
from readiness.models import SERVICE_KINDS
from readiness.services.assets import MOVABLE, record_service_event, set_asset_status
from readiness.views.equipment import asset_register, assets_of, service_history


def render() -> None:
    """The page for the signed-in user's sites."""
    user = guard("equipment")
    sites = ui.sites_of(user)
    st.title("Equipment")
    ui.flash()
    codes = ui.site_picker(sites, "equipment_site")
    items = ui.compliance(user, sites)

    def load_register() -> tuple[pd.DataFrame, dict[str, str]]:
        with database().read() as session:
            return asset_register(session, items, codes), assets_of(session, codes)

    register, assets = ui.read(load_register)
    st.subheader("Asset register")
    ui.table(
        register,
        "equipment_register",
        status_columns=["compliance"],
        empty="No assets at this site.",
    )
    if not assets:
        return
    _history(assets)
    if user.may("record_service"):
        _service_form(user, assets, ui.todays(codes))
    if user.may("set_asset_status"):
        _status_form(user, assets)


def _history(assets: dict[str, str]) -> None:
    """Service and calibration history of one asset."""
    st.subheader("Service and calibration history")
    asset_id = st.selectbox(
        "Asset", list(assets), format_func=assets.__getitem__, key="equipment_history_asset"
    )

    def load() -> pd.DataFrame:
        with database().read() as session:
            return service_history(session, str(asset_id))

    ui.table(ui.read(load), "equipment_history", empty="No service events recorded for this asset.")


def _service_form(user: Principal, assets: dict[str, str], todays: dict[str, date]) -> None:
    """Record a service, calibration, inspection or repair."""
    st.subheader("Record a service or calibration")
    today = max(todays.values())
    with st.form("equipment_service"):
        asset_id = st.selectbox(
            "Asset", list(assets), format_func=assets.__getitem__, key="svc_asset"
        )
        left, right = st.columns(2)
        kind = left.selectbox("Kind", SERVICE_KINDS, key="svc_kind")
        result = right.radio("Result", ["pass", "fail"], horizontal=True, key="svc_result")
        performed_on = left.date_input(
            "Performed on", value=today, max_value=today, format="YYYY-MM-DD", key="svc_on"
        )
        performed_by = right.text_input("Performed by (engineer or company)", key="svc_by")
        certificate = left.text_input(
            "Certificate number (required for a calibration)", key="svc_cert"
        )
        next_due = right.date_input(
            "Next due (empty: from the policy's interval)",
            value=None,
            format="YYYY-MM-DD",
            key="svc_next",
        )
        notes = st.text_area("Notes", key="svc_notes")
        submitted = st.form_submit_button("Record", type="primary", key="svc_submit")
    if not submitted:
        return

    def write() -> str:
        with database().write() as session:
            event = record_service_event(
                session,
                user,
                asset_id=str(asset_id),
                kind=str(kind),
                performed_on=performed_on if isinstance(performed_on, date) else today,
                performed_by=performed_by,
                result=str(result),
                today=today,
                certificate_number=certificate,
                next_due_on=next_due if isinstance(next_due, date) else None,
                notes=notes,
            )
            due = f"; next due {event.next_due_on}" if event.next_due_on else ""
            done = f"{event.kind} of {asset_id} on {event.performed_on} ({event.result})"
            return f"Recorded the {done}{due}."

    ui.perform(write, forget=["svc_by", "svc_cert", "svc_next", "svc_notes"])


def _status_form(user: Principal, assets: dict[str, str]) -> None:
    """Take an asset out of service or put it back, with a reason."""
    st.subheader("Take out of service or back into service")
    with st.form("equipment_status"):
        asset_id = st.selectbox(
            "Asset", list(assets), format_func=assets.__getitem__, key="status_asset"
        )
        status = st.radio(
            "New status",
            MOVABLE,
            format_func=lambda s: s.replace("_", " "),
            horizontal=True,
            key="status_new",
        )
        reason = st.text_input("Reason", key="status_reason")
        submitted = st.form_submit_button("Change status", key="status_submit")
    if not submitted:
        return

    def write() -> str:
        with database().write() as session:
            set_asset_status(
                session, user, asset_id=str(asset_id), status=str(status), reason=reason
            )
        return f"{asset_id} is now {str(status).replace('_', ' ')}."

    ui.perform(write, forget=["status_reason"])


render()
