"""Users: who may sign in, with which role and site; add a user, set a password, disable;
failed sign-ins and lockouts, and lifting one."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import ui
from signin import guard
from state import database

from readiness import clock
from readiness.access import ROLES, Principal
from readiness.config import load_settings
from readiness.services.practice import practice_name, set_practice_name_as
from readiness.services.signin import Limits, lift_lockout
from readiness.services.users import create_user_as, disable_user_as, set_password_as
from readiness.views.signin_throttles import signin_throttles
from readiness.views.sites import visible_sites
from readiness.views.users import user_list

ADD = ui.Form("user", prefix="add_")
PASSWORD = ui.Form("pw")
DISABLE = ui.Form("disable")
LIFT = ui.Form("lift")
PRACTICE = ui.Form("practice")


def render() -> None:
    """The page for admins."""
    user = guard("admin")
    st.title("Users")
    ui.flash()
    _practice_form(user)

    def load() -> tuple[pd.DataFrame, dict[str, str]]:
        with database().read() as session:
            return user_list(session), visible_sites(session, user)

    users, sites = ui.read(load)
    ui.table(users, "admin_users", empty="No users yet.")
    _add_form(user, sites)
    names = [str(name) for name in users["username"]] if not users.empty else []
    if names:
        _password_form(user, names)
        _disable_form(
            user,
            [n for n, active in zip(users["username"], users["active"], strict=True) if active],
        )
    _lockouts(user)


def _practice_form(user: Principal) -> None:
    """The practice's name, printed on the inspector's workbook cover."""

    def load() -> str:
        with database().read() as session:
            return practice_name(session)

    current = ui.read(load)
    st.subheader("Practice name")
    st.caption(f"Now: {current}" if current else "The practice has no name yet.")
    PRACTICE.open()
    with st.form("admin_practice"):
        name = st.text_input("Name patients and inspectors know", key="practice_name")
        submitted = st.form_submit_button("Save name", key="practice_submit")
    if not submitted:
        return

    def write(key: str) -> str:
        with database().write() as session:
            changed = set_practice_name_as(session, user, name)
        return "Saved the practice name." if changed else "The practice already has that name."

    PRACTICE.submit(write)


def _lockouts(user: Principal) -> None:
    """Failed sign-ins still counted, lockouts still running, and a way to lift one."""
    st.subheader("Failed sign-ins and lockouts")

    def load() -> pd.DataFrame:
        with database().read() as session:
            return signin_throttles(session, clock.utc_now(), Limits.of(load_settings()))

    counted = ui.read(load)
    ui.table(
        counted, "admin_lockouts", empty="No failed sign-ins are counted and nobody is locked out."
    )
    if counted.empty:
        return
    keys = [f"{kind} {key}" for kind, key in zip(counted["kind"], counted["key"], strict=True)]
    LIFT.open()
    with st.form("admin_lift"):
        chosen = st.selectbox("User name or client", keys, key="lift_key")
        submitted = st.form_submit_button("Lift lockout", key="lift_submit")
    if not submitted:
        return
    kind, _, key = str(chosen).partition(" ")

    def write(form_key: str) -> str:
        with database().write() as session:
            lifted = lift_lockout(session, user, kind, key)
        return f"Lifted the lockout of {kind} {key}." if lifted else f"{kind} {key} was not locked."

    LIFT.submit(write)


def _add_form(user: Principal, sites: dict[str, str]) -> None:
    st.subheader("Add a user")
    ADD.open()
    with st.form("admin_add"):
        left, right = st.columns(2)
        username = left.text_input("User name", key="add_username")
        role = right.selectbox("Role", ROLES, key="add_role")
        site = left.selectbox(
            "Site (staff: required; others: empty for every site)",
            ["", *sites],
            format_func=lambda c: f"{c} — {sites[c]}" if c else "(every site)",
            key="add_site",
        )
        email = right.text_input("E-mail", key="add_email")
        staff_id = left.text_input("Staff id (optional link to a staff member)", key="add_staff")
        password = right.text_input(
            "Password (10 characters or more)", type="password", key="add_password"
        )
        submitted = st.form_submit_button("Add user", type="primary", key="add_submit")
    if not submitted:
        return

    def write(key: str) -> str:
        with database().write() as session:
            made = create_user_as(
                session,
                user,
                username=username,
                role=str(role),
                password=password,
                site_code=str(site) or None,
                email=email or None,
                staff_id=staff_id.strip() or None,
            )
            return f"Added {made.username} as {made.role}."

    ADD.submit(write)


def _password_form(user: Principal, names: list[str]) -> None:
    st.subheader("Set a password")
    PASSWORD.open()
    with st.form("admin_password"):
        username = st.selectbox("User", names, key="pw_user")
        password = st.text_input(
            "New password (10 characters or more)", type="password", key="pw_new"
        )
        submitted = st.form_submit_button("Set password", key="pw_submit")
    if not submitted:
        return

    def write(key: str) -> str:
        with database().write() as session:
            set_password_as(session, user, str(username), password)
        return f"Password set for {username}."

    PASSWORD.submit(write)


def _disable_form(user: Principal, names: list[str]) -> None:
    st.subheader("Disable a user")
    DISABLE.open()
    with st.form("admin_disable"):
        username = st.selectbox("User", names, key="disable_user")
        submitted = st.form_submit_button("Disable", key="disable_submit")
    if not submitted:
        return

    def write(key: str) -> str:
        with database().write() as session:
            changed = disable_user_as(session, user, str(username))
        return f"{username} {'disabled' if changed else 'was already disabled'}."

    DISABLE.submit(write)


render()
