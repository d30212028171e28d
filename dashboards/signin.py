"""Signing in and out, and the check every page makes before it reads anything.

The signed-in user name is kept in the browser session's `st.session_state`; on
every run it is looked up again, so a disabled user or a changed role takes effect
at the next click. A session idle for IDLE_S is signed out. Failed sign-ins are
counted per user name and per client (`readiness.services.signin`): answers wait
longer after each failure, and too many lock the name or the client out for a while.
"""

from __future__ import annotations

import logging
import time
import uuid

import streamlit as st
from state import database

from readiness import clock
from readiness.access import NOT_ALLOWED, Principal
from readiness.config import Settings, load_settings
from readiness.services import signin as throttle
from readiness.services import users as auth

LOG = logging.getLogger("readiness.dashboards.signin")
USER_KEY = "auth_user"
SEEN_KEY = "auth_seen"
# Counts this browser session's failures when the client's address is unknown.
CLIENT_KEY = "auth_client"
IDLE_S = 8 * 3600
WRONG = "Wrong user name or password."
UNREADABLE = "The database could not be read. Run `readiness init`, then try again."


def current_user() -> Principal | None:
    """The signed-in user as the database has them now; None when signed out."""
    username = st.session_state.get(USER_KEY)
    if not username:
        return None
    if time.monotonic() - st.session_state.get(SEEN_KEY, 0.0) > IDLE_S:
        sign_out()
        st.session_state["login_notice"] = "You were signed out after 8 hours without activity."
        return None
    try:
        with database().read() as session:
            user = auth.signed_in(session, str(username))
    except Exception:  # an unreadable database: the sign-in form explains it
        LOG.exception("could not look up the signed-in user")
        return None
    if user is None:
        sign_out()
        st.session_state["login_notice"] = "Your account was disabled or removed."
        return None
    st.session_state[SEEN_KEY] = time.monotonic()
    return user


def guard(page: str) -> Principal:
    """The signed-in user allowed on `page`; otherwise the sign-in form or a refusal, and stop."""
    user = current_user()
    if user is None:
        login_form()
        st.stop()
    if not user.may_see(page):
        st.error(NOT_ALLOWED)
        st.stop()
    return user


def login_form() -> None:
    """The sign-in form (user name, password), with what went wrong last time."""
    st.title("Sign in to Readiness")
    try:
        with database().read() as session:
            users = auth.user_count(session)
    except Exception:  # never a traceback on the sign-in page
        LOG.exception("sign-in page could not read the database")
        st.error(UNREADABLE)
        return
    if users == 0:
        st.info("No users yet. Create the first admin: `readiness user add NAME --role admin`.")
    notice = st.session_state.pop("login_notice", None)
    if notice:
        st.warning(notice)
    with st.form("login"):
        st.text_input("User name", key="login_username", autocomplete="username")
        st.text_input("Password", type="password", key="login_password")
        st.form_submit_button("Sign in", type="primary", key="login_submit", on_click=_sign_in)
    error = st.session_state.pop("login_error", None)
    if error:
        st.error(error)


def _sign_in() -> None:
    """The form's callback: check the password, remember the user, forget the password."""
    state = st.session_state
    username = str(state.get("login_username") or "").strip()
    password = str(state.get("login_password") or "")
    state["login_password"] = ""
    if not username or not password:
        state["login_error"] = "Enter your user name and password."
        return
    try:
        settings = load_settings()
        outcome = throttle.sign_in(
            database(),
            username,
            password,
            client=_client(settings),
            limits=throttle.Limits.of(settings),
            now=clock.utc_now,
        )
    except Exception:
        LOG.exception("sign-in failed")
        state["login_error"] = UNREADABLE
        return
    if outcome.locked_until is not None:
        state["login_error"] = throttle.lockout_message(outcome.locked_until, clock.utc_now())
        return
    if outcome.principal is None:
        state["login_error"] = WRONG
        return
    state[USER_KEY] = outcome.principal.username
    state[SEEN_KEY] = time.monotonic()


def _client(settings: Settings) -> str:
    """Who is signing in, for counting failures: an address, else this browser session."""
    session_key = st.session_state.setdefault(CLIENT_KEY, uuid.uuid4().hex)
    try:
        headers, address = dict(st.context.headers), st.context.ip_address
    except Exception:  # no request behind this run (a test harness)
        headers, address = {}, None
    return throttle.client_key(
        headers, address, str(session_key), trusted_proxy=settings.trusted_proxy
    )


def sign_out() -> None:
    """Forget everything this browser session held (the user, forms, downloads)."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]


def sidebar(user: Principal) -> None:
    """Who is signed in, and the sign-out button."""
    st.sidebar.caption(f"Signed in as **{user.username}** · {user.role}")
    if user.site_codes is not None:
        st.sidebar.caption("Site: " + ", ".join(user.site_codes))
    st.sidebar.button("Sign out", key="sign_out", on_click=sign_out)
