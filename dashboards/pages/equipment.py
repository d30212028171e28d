"""Equipment: the register, service history, record a service or calibration, in/out of service."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cached
import ui
from signin import guard
from state import database

from readiness.access import Principal
from readiness.errors import UserError
from readiness.models import ASSET_KINDS, SERVICE_KINDS
from readiness.rules.identifiers import FREE_TEXT_CAPTION
from readiness.services.asset_details import (
    AssetDetails,
    amend_asset_details,
    details_of,
    retire_asset,
)
from readiness.services.assets import (
    MOVABLE,
    NewAsset,
    add_asset,
    asset_named,
    record_service_event,
    set_asset_status,
)
from readiness.views.equipment import asset_register, assets_of, service_history
from readiness.views.labels import words

SERVICE = ui.Form("svc")
STATUS = ui.Form("status", keep=("status_asset",))
ADD = ui.Form("add", keep=("add_site",))
EDIT = ui.Form("edit", keep=("edit_asset",))
RETIRE = ui.Form("retire")
# An asset's details as a sentence names them.
DETAIL_WORDS = {
    "pads_expire_on": "pads expiry date",
    "battery_expires_on": "battery expiry date",
    "wavelength_nm": "wavelengths",
}


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
    if user.may("set_asset_status"):
        # Before the early return: a site with nothing left in service needs it most.
        _add_form(user, {code: sites[code] for code in codes})
    if not assets:
        return
    _history(assets)
    if user.may("record_service"):
        _service_form(user, assets, ui.todays(codes))
    if user.may("set_asset_status"):
        _status_form(user, assets)
    if user.may("manage_assets"):
        today = max(ui.todays(codes).values())
        _edit_form(user, assets)
        _retire_form(user, assets, today)


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
    SERVICE.open()
    with st.form("equipment_service"):
        asset_id = st.selectbox(
            "Asset", list(assets), format_func=assets.__getitem__, key="svc_asset"
        )
        left, right = st.columns(2)
        kind = left.selectbox("Kind", SERVICE_KINDS, format_func=words, key="svc_kind")
        result = right.radio(
            "Result", ["pass", "fail"], format_func=words, horizontal=True, key="svc_result"
        )
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
        st.caption(FREE_TEXT_CAPTION)
        submitted = st.form_submit_button("Record", type="primary", key="svc_submit")
    if not submitted:
        return

    def write(key: str) -> str:
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
                policy=cached.rules()[0],
            )
            due = f"; next due {event.next_due_on}" if event.next_due_on else ""
            done = f"{words(event.kind).lower()} of {asset_id} on {event.performed_on}"
            return f"Recorded the {done} ({words(event.result).lower()}){due}."

    SERVICE.submit(write)


def _status_form(user: Principal, assets: dict[str, str]) -> None:
    """Take an asset out of service or put it back, with a reason."""
    st.subheader("Take out of service or back into service")
    STATUS.open()
    with st.form("equipment_status"):
        asset_id = st.selectbox(
            "Asset", list(assets), format_func=assets.__getitem__, key="status_asset"
        )
        status = st.radio(
            "New status",
            MOVABLE,
            format_func=words,
            horizontal=True,
            key="status_new",
        )
        reason = st.text_input("Reason", key="status_reason")
        submitted = st.form_submit_button("Change status", key="status_submit")
    if not submitted:
        return

    def write(key: str) -> str:
        with database().write() as session:
            set_asset_status(
                session, user, asset_id=str(asset_id), status=str(status), reason=reason
            )
        return f"{assets[str(asset_id)]} is now {words(str(status)).lower()}."

    STATUS.submit(write)


def _add_form(user: Principal, sites: dict[str, str]) -> None:
    """Add equipment: a loan or replacement unit goes into service the same day."""
    ADD.open()
    with st.expander("Add equipment (a loan or replacement unit)"), st.form("equipment_add"):
        left, right = st.columns(2)
        site = left.selectbox(
            "Site", list(sites), format_func=lambda c: f"{c} — {sites[c]}", key="add_site"
        )
        kind = right.selectbox("Kind", ASSET_KINDS, format_func=words, key="add_kind")
        asset_id = left.text_input("Asset id (e.g. AED-2)", key="add_id")
        name = right.text_input("Name (e.g. Loan AED from the distributor)", key="add_name")
        serial = left.text_input("Serial number", key="add_serial")
        location = right.text_input("Location", key="add_location")
        pads = left.date_input(
            "Pads expire on (AEDs)", value=None, format="YYYY-MM-DD", key="add_pads"
        )
        battery = right.date_input(
            "Battery expires on (AEDs)", value=None, format="YYYY-MM-DD", key="add_battery"
        )
        nm = left.text_input(
            "Wavelengths, nm (lasers and eyewear; e.g. 755/1064 or 190-534/740-1100)",
            key="add_nm",
        )
        od = right.text_input("Optical density (lasers and eyewear; e.g. OD 7+)", key="add_od")
        reason = st.text_input("Why (e.g. loan unit while AED-1 is repaired)", key="add_reason")
        submitted = st.form_submit_button("Add equipment", key="add_submit")
    if not submitted:
        return
    new = NewAsset(
        asset_id=asset_id,
        site_code=str(site),
        kind=str(kind),
        name=name,
        serial_number=serial,
        location=location,
        pads_expire_on=pads if isinstance(pads, date) else None,
        battery_expires_on=battery if isinstance(battery, date) else None,
        wavelength_nm=nm,
        optical_density=od,
    )

    def write(key: str) -> str:
        with database().write() as session:
            added = add_asset(session, user, new, reason=reason)
            return f"Added {added.asset_id} ({added.name}) in service at {sites[str(site)]}."

    ADD.submit(write)


def _edit_form(user: Principal, assets: dict[str, str]) -> None:
    """Correct an asset's details, with a reason; what the form showed is what is changed."""
    st.subheader("Correct an asset's details")
    asset_id = str(
        st.selectbox("Asset", list(assets), format_func=assets.__getitem__, key="edit_asset")
    )

    def load() -> tuple[AssetDetails, str]:
        with database().read() as session:
            asset, _ = asset_named(session, asset_id)
            return details_of(asset), asset.kind

    shown, kind = ui.read(load)
    EDIT.open()
    # Keyed by asset: choosing another asset starts from that asset's details.
    seen = EDIT.seen((asset_id, shown))
    with st.form("equipment_edit"):
        left, right = st.columns(2)
        name = left.text_input("Name", value=shown.name, key=f"edit_name_{asset_id}")
        serial = right.text_input(
            "Serial number", value=shown.serial_number or "", key=f"edit_serial_{asset_id}"
        )
        maker = left.text_input(
            "Manufacturer", value=shown.manufacturer or "", key=f"edit_maker_{asset_id}"
        )
        model = right.text_input("Model", value=shown.model or "", key=f"edit_model_{asset_id}")
        location = left.text_input(
            "Location", value=shown.location or "", key=f"edit_location_{asset_id}"
        )
        pads = battery = None
        nm, od = shown.wavelength_nm, shown.optical_density
        if kind == "aed":
            pads = right.date_input(
                "Pads expire on", value=shown.pads_expire_on, format="YYYY-MM-DD",
                key=f"edit_pads_{asset_id}",
            )  # fmt: skip
            battery = left.date_input(
                "Battery expires on", value=shown.battery_expires_on, format="YYYY-MM-DD",
                key=f"edit_battery_{asset_id}",
            )  # fmt: skip
        if kind in ("laser", "eyewear"):
            nm = right.text_input("Wavelengths, nm", value=nm or "", key=f"edit_nm_{asset_id}")
            od = left.text_input("Optical density", value=od or "", key=f"edit_od_{asset_id}")
        reason = st.text_input("Why (e.g. serial number mistyped)", key="edit_reason")
        submitted = st.form_submit_button("Save the details", key="edit_submit")
    if not submitted:
        return
    new = AssetDetails(
        name=name,
        manufacturer=maker,
        model=model,
        serial_number=serial,
        location=location,
        pads_expire_on=pads if isinstance(pads, date) else None,
        battery_expires_on=battery if isinstance(battery, date) else None,
        wavelength_nm=nm,
        optical_density=od,
    )
    # The details the user started from: those of the last draw, when it showed this asset.
    before = seen[1] if seen is not None and seen[0] == asset_id else shown

    def write(key: str) -> str:
        with database().write() as session:
            changed = amend_asset_details(
                session, user, asset_id=asset_id, seen=before, new=new, reason=reason
            )
        if not changed:
            raise UserError("nothing to change: the details are as shown")
        named = [DETAIL_WORDS.get(field) or words(field).lower() for field in changed]
        fields = " and ".join([", ".join(named[:-1]), named[-1]] if len(named) > 1 else named)
        return f"Changed the {fields} of {asset_id}."

    EDIT.submit(write)


def _retire_form(user: Principal, assets: dict[str, str], today: date) -> None:
    """Retire an asset from a date on: nothing is owed for it from that day."""
    st.subheader("Retire equipment")
    RETIRE.open()
    seen = RETIRE.seen(assets)  # the list as the user saw it when they chose
    with st.form("equipment_retire"):
        asset_id = st.selectbox(
            "Asset",
            list(assets),
            format_func=lambda a: assets.get(a, str(a)),
            accept_new_options=True,
            key="retire_asset",
        )
        retired_on = st.date_input(
            "Retired from", value=today, max_value=today, format="YYYY-MM-DD", key="retire_on"
        )
        reason = st.text_input(
            "Why (e.g. replaced by AED-3, returned to the distributor)", key="retire_reason"
        )
        submitted = st.form_submit_button("Retire", key="retire_submit")
    if not submitted:
        return

    def write(key: str) -> str:
        chosen = str(ui.still_listed(asset_id, seen, assets))
        with database().write() as session:
            retire_asset(
                session,
                user,
                asset_id=chosen,
                retired_on=retired_on if isinstance(retired_on, date) else today,
                reason=reason,
            )
        return f"Retired {assets[chosen]} from {retired_on}."

    RETIRE.submit(write)


render()
