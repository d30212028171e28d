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
from readiness.models import STAFF_ROLES
from readiness.policy.pack import Policy
from readiness.services.certifications import add_certification
from readiness.services.staff import record_departure
from readiness.services.staff_members import NewStaff, add_staff
from readiness.views.labels import words
from readiness.views.staffing import cards_of, certificate_matrix, gaps_for_role, staff_frame

RENEWAL = ui.Form("cert")
JOIN = ui.Form("join", keep=("join_site",))
LEAVE = ui.Form("leave")
# Roles whose name is an abbreviation, written as people write them.
ROLE_WORDS = {"rn": "RN", "np": "NP", "pa": "PA"}


def role_label(role: str) -> str:
    """ "RN", "Medical director"."""
    return ROLE_WORDS.get(role) or words(role)


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
    today = max(ui.todays(codes).values())
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
    if user.may("manage_staff"):
        # Before the early return: a site without staff needs it most.
        _join_form(user, {code: sites[code] for code in codes}, today)
    if staff.empty:
        return
    people = {
        str(row.staff_id): f"{row.full_name} ({words(str(row.role))}, {row.site})"
        for row in staff.itertuples()
    }
    _cards(people)
    if user.may("add_certification"):
        _renewal_form(user, people, policy, today)
    if user.may("manage_staff"):
        _leave_form(user, people, today)


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
                policy=cached.rules()[0],
            )
            how = " (from the policy)" if cert.expiry_derived else ""
            title = types[cert.cert_type].title if cert.cert_type in types else cert.cert_type
            name = people[str(staff_id)].split(" (")[0]
            return f"Added {title} for {name}: valid until {cert.expires_on}{how}."

    RENEWAL.submit(write)


def _join_form(user: Principal, sites: dict[str, str], today: date) -> None:
    """Add a staff member at their home site, from the day they were hired."""
    JOIN.open()
    with st.expander("Add a staff member"), st.form("staff_join"):
        left, right = st.columns(2)
        site = left.selectbox(
            "Home site", list(sites), format_func=lambda c: f"{c} — {sites[c]}", key="join_site"
        )
        role = right.selectbox("Role", STAFF_ROLES, format_func=role_label, key="join_role")
        name = left.text_input("Full name", key="join_name")
        staff_id = right.text_input("Staff id (e.g. S-120)", key="join_id")
        hired = left.date_input(
            "Hired on", value=today, max_value=today, format="YYYY-MM-DD", key="join_hired"
        )
        email = right.text_input("Email (for reminders)", key="join_email")
        lso = st.checkbox("Laser safety officer", key="join_lso")
        submitted = st.form_submit_button("Add staff member", key="join_submit")
    if not submitted:
        return
    new = NewStaff(
        staff_id=staff_id,
        site_code=str(site),
        full_name=name,
        role=str(role),
        hired_on=hired if isinstance(hired, date) else today,
        email=email,
        is_lso=bool(lso),
    )

    def write(key: str) -> str:
        with database().write() as session:
            person = add_staff(session, user, new, today=today)
            return (
                f"Added {person.full_name} ({role_label(person.role)}) at"
                f" {sites[str(site)]}, employed from {person.hired_on}."
            )

    JOIN.submit(write)


def _leave_form(user: Principal, people: dict[str, str], today: date) -> None:
    """Record that someone left: owed nothing from that day on, judged as before until it."""
    st.subheader("Record a departure")
    LEAVE.open()
    seen = LEAVE.seen(people)  # the list as the user saw it when they chose
    with st.form("staff_leave"):
        staff_id = st.selectbox(
            "Person",
            list(people),
            format_func=lambda p: people.get(p, str(p)),
            accept_new_options=True,
            key="leave_person",
        )
        left_on = st.date_input(
            "Left on (their first day no longer employed)",
            value=today,
            format="YYYY-MM-DD",
            key="leave_on",
        )
        reason = st.text_input("Why (e.g. moved to another practice)", key="leave_reason")
        submitted = st.form_submit_button("Record the departure", key="leave_submit")
    if not submitted:
        return

    def write(key: str) -> str:
        chosen = str(ui.still_listed(staff_id, seen, people))
        with database().write() as session:
            record_departure(
                session,
                user,
                staff_id=chosen,
                left_on=left_on if isinstance(left_on, date) else today,
                today=today,
                reason=reason,
            )
        return f"Recorded that {people[chosen].split(' (')[0]} left on {left_on}."

    LEAVE.submit(write)


render()
