"""Staff and certifications: the staff × certificate matrix, gaps by role, add a renewal."""

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
from readiness.policy.pack import Policy
from readiness.services.certifications import add_certification
from readiness.views.labels import words
from readiness.views.staffing import cards_of, certificate_matrix, gaps_for_role, staff_frame

RENEWAL = ui.Form("cert")


def render() -> None:
    """The page for the signed-in user's sites."""
    user = guard("staff")
    sites = ui.sites_of(user)
    st.title("Staff and certifications")
    ui.flash()
    codes = ui.site_picker(sites, "staff_site")
    items = ui.compliance(user, sites)
    items = items[items["site"].isin(codes)]
    policy, _ = cached.rules()

    def load() -> pd.DataFrame:
        with database().read() as session:
            return staff_frame(session, codes)

    staff = ui.read(load)
    matrix = certificate_matrix(items, staff, policy)
    st.subheader("Certificates by person")
    st.caption("Blank: not required for that role.")
    ui.table(
        matrix,
        "staff_matrix",
        status_columns=[c for c in matrix.columns if c not in staff.columns],
    )
    st.subheader("Missing for their role")
    ui.table(
        gaps_for_role(items, staff),
        "staff_gaps",
        status_columns=["status"],
        empty="Nobody is missing a certificate.",
    )
    if staff.empty:
        return
    people = {
        str(row.staff_id): f"{row.full_name} ({words(str(row.role))}, {row.site})"
        for row in staff.itertuples()
    }
    _cards(people)
    if user.may("add_certification"):
        _renewal_form(user, people, policy, max(ui.todays(codes).values()))


def _cards(people: dict[str, str]) -> None:
    """One person's certificates."""
    st.subheader("Certificates on file")
    staff_id = st.selectbox(
        "Person", list(people), format_func=people.__getitem__, key="staff_cards_person"
    )

    def load() -> pd.DataFrame:
        with database().read() as session:
            return cards_of(session, str(staff_id))

    ui.table(ui.read(load), "staff_cards", empty="No certificates on file.")


def _renewal_form(user: Principal, people: dict[str, str], policy: Policy, today: date) -> None:
    """Add a certificate; the expiry comes from the policy when left empty."""
    st.subheader("Add a renewal")
    types = policy.certificate_types
    RENEWAL.open()
    with st.form("staff_renewal"):
        staff_id = st.selectbox(
            "Person", list(people), format_func=people.__getitem__, key="cert_person"
        )
        cert_type = st.selectbox(
            "Certificate", list(types), format_func=lambda t: types[t].title, key="cert_type"
        )
        left, right = st.columns(2)
        issued = left.date_input(
            "Issued on", value=today, max_value=today, format="YYYY-MM-DD", key="cert_issued"
        )
        expires = right.date_input(
            "Expires on (empty: from the policy)",
            value=None,
            format="YYYY-MM-DD",
            key="cert_expires",
        )
        card = left.text_input("Card number", key="cert_card")
        provider = right.text_input("Provider", key="cert_provider")
        submitted = st.form_submit_button("Add", type="primary", key="cert_submit")
    if not submitted:
        return

    def write(key: str) -> str:
        with database().write() as session:
            cert = add_certification(
                session,
                user,
                staff_id=str(staff_id),
                cert_type=str(cert_type),
                issued_on=issued if isinstance(issued, date) else today,
                today=today,
                expires_on=expires if isinstance(expires, date) else None,
                card_number=card,
                provider=provider,
            )
            how = " (from the policy)" if cert.expiry_derived else ""
            title = types[cert.cert_type].title if cert.cert_type in types else cert.cert_type
            name = people[str(staff_id)].split(" (")[0]
            return f"Added {title} for {name}: valid until {cert.expires_on}{how}."

    RENEWAL.submit(write)


render()
