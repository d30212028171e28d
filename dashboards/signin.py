"""Signing in and out, and the check every page makes before it reads anything.

A good password opens a server-side session (`readiness.services.sessions`). Its
token lives in an HttpOnly cookie that `session_cookie`'s route sets, so a reload, a
second tab or another dashboard process behind the same proxy finds the same
session; each run resumes it from the database, so a sign-out in one tab, a disabled
user, an idle or an absolute timeout takes effect at the next click everywhere.

Without the cookie routes (AppTest; `streamlit run app.py`) the token is kept in this
tab's `st.session_state` instead: `_Carrier` is the one place that differs.

Failed sign-ins are counted per user name and per client (`readiness.services.signin`):
answers wait longer after each failure, and too many lock the name or the client out.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta

import session_cookie
import streamlit as st
from state import database

from readiness import clock
from readiness.access import NOT_ALLOWED, Principal
from readiness.config import Settings, load_settings
from readiness.services import sessions
from readiness.services import signin as throttle
from readiness.services import users as auth

LOG = logging.getLogger("readiness.dashboards.signin")
# This tab's token when there is no cookie route (tests); never set when there is.
TOKEN_KEY = "auth_token"
# A one-time code waiting to be swapped for the cookie, or a cookie waiting to be cleared.
CODE_KEY = "auth_code"
CLEAR_KEY = "auth_clear_cookie"
# The cookie token this tab found ended: not looked up again on every click.
ENDED_KEY = "auth_ended"
# Counts this browser session's failures when the client's address is unknown.
CLIENT_KEY = "auth_client"
SYSTEM_ACTOR = "dashboard"
# The user `checked` found for the run under way (a one-item tuple: None means signed out).
_THIS_RUN: ContextVar[tuple[Principal | None] | None] = ContextVar("signed_in", default=None)
WRONG = "Wrong user name or password."
UNREADABLE = "The database could not be read. Run `readiness init`, then try again."


class _Carrier:
    """Where this browser's session token travels: the cookie, or this tab's state."""

    @staticmethod
    def token() -> str | None:
        if not session_cookie.served():
            return st.session_state.get(TOKEN_KEY)
        token = st.context.cookies.get(session_cookie.COOKIE)
        return None if not token or token == st.session_state.get(ENDED_KEY) else token

    @staticmethod
    def hand_over(code: str) -> None:
        """Give the signed-in browser its token: through the cookie route, or keep it here."""
        if session_cookie.served():
            st.session_state[CODE_KEY] = code
            return
        with database().write() as session:
            redeemed = sessions.redeem(session, code, now=clock.utc_now())
        if redeemed is not None:
            st.session_state[TOKEN_KEY] = redeemed[0]

    @staticmethod
    def forget(token: str) -> None:
        """This token is over: drop it, or stop looking the cookie's up (a sign-in replaces it)."""
        st.session_state.pop(TOKEN_KEY, None)
        if session_cookie.served():
            st.session_state[ENDED_KEY] = token


def _navigating() -> bool:
    """Send the browser to a cookie route, if one is due, carrying the page it is on.

    Drawn by the page (after `st.navigation`, which every run must reach), in place of
    the sign-in form; the route sends the browser straight back.
    """
    code = st.session_state.pop(CODE_KEY, None)
    if code:
        path = f"{session_cookie.SESSION_PATH}?code={code}&next="
    elif st.session_state.pop(CLEAR_KEY, False):
        path = f"{session_cookie.SIGNOUT_PATH}?next="
    else:
        return False
    st.caption("One moment…")
    script = (
        f"<script>window.location.replace('{path}' + encodeURIComponent("
        "window.location.pathname + window.location.search));</script>"
    )
    st.html(script, unsafe_allow_javascript=True)
    return True


def current_user() -> Principal | None:
    """The signed-in user as the database has them now; None when signed out."""
    if st.session_state.get(CODE_KEY) or st.session_state.get(CLEAR_KEY):
        return None  # on the way to the cookie route: the page shows `_navigating`
    token = _Carrier.token()
    if not token:
        return None
    now, timeouts = clock.utc_now(), sessions.Timeouts.of(load_settings())
    try:
        with database().read() as session:
            resumed = sessions.resume(session, token, now=now, timeouts=timeouts)
            user = auth.principal_of(session, resumed.user) if resumed.user else None
    except Exception:  # an unreadable database: the sign-in form explains it
        LOG.exception("could not resume the sign-in session")
        return None
    if user is None:
        _ended(token, resumed, timeouts)
    elif resumed.touch_due and resumed.session_id is not None:
        _touch(resumed.session_id, now)
    return user


def _touch(session_id: int, now: datetime) -> None:
    """Note the activity (about once a minute); a failure here signs nobody out."""
    try:
        with database().write() as session:
            sessions.touch(session, session_id, now=now)
    except Exception:
        LOG.exception("could not note a sign-in session's activity")


def _ended(token: str, resumed: sessions.Resumed, timeouts: sessions.Timeouts) -> None:
    """Record the end found now (a timeout), forget the token, say why on the sign-in form."""
    if resumed.ended is not None and resumed.session_id is not None:
        try:
            with database().write() as session:
                sessions.end(
                    session,
                    resumed.session_id,
                    now=clock.utc_now(),
                    reason=resumed.ended,
                    actor=SYSTEM_ACTOR,
                )
        except Exception:  # the session is over either way (`end` skips one already ended)
            LOG.exception("could not record the end of a sign-in session")
    _Carrier.forget(token)
    notice = _notice(resumed.ended, timeouts)
    if notice:
        st.session_state["login_notice"] = notice


def _notice(ended: str | None, timeouts: sessions.Timeouts) -> str | None:
    """The sentence the sign-in form shows for why the session ended."""
    if ended == sessions.IDLE:
        return f"You were signed out after {_span(timeouts.idle)} without activity."
    if ended == sessions.TOO_LONG:
        return f"Sign-ins last at most {_span(timeouts.absolute)}: please sign in again."
    if ended == sessions.DISABLED:
        return "Your account was disabled or removed."
    if ended == sessions.PASSWORD_CHANGED:
        return "Your password was changed: please sign in with the new one."
    if ended is not None:
        return "You were signed out (in this tab, another tab or another window)."
    return None


def _span(length: timedelta) -> str:
    minutes = int(length.total_seconds() // 60)
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour" if hours == 1 else f"{hours} hours"
    return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"


@contextmanager
def checked() -> Iterator[Principal | None]:
    """The sign-in checked once for this run: the page's `guard` reuses the answer.

    Every run still asks the database (a sign-out elsewhere counts at the next click),
    but once, not once for the frame and again for the page.
    """
    user = current_user()
    mark = _THIS_RUN.set((user,))
    try:
        yield user
    finally:
        _THIS_RUN.reset(mark)


def guard(page: str) -> Principal:
    """The signed-in user allowed on `page`; otherwise the sign-in form or a refusal, and stop."""
    found = _THIS_RUN.get()
    user = current_user() if found is None else found[0]
    if user is None:
        login_form()
        st.stop()
    if not user.may_see(page):
        st.error(NOT_ALLOWED)
        st.stop()
    return user


def login_form() -> None:
    """The sign-in form (user name, password), with what went wrong last time."""
    if _navigating():
        return
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
    """The form's callback: check the password, open a session, forget the password."""
    state = st.session_state
    username = str(state.get("login_username") or "").strip()
    password = str(state.get("login_password") or "")
    state["login_password"] = ""
    if not username or not password:
        state["login_error"] = "Enter your user name and password."
        return
    try:
        settings = load_settings()
        client = _client(settings)
        outcome = throttle.sign_in(
            database(),
            username,
            password,
            client=client,
            limits=throttle.Limits.of(settings),
            now=clock.utc_now,
        )
        if outcome.principal is not None:
            with database().write() as session:
                code = sessions.open_session(
                    session,
                    outcome.principal.username,
                    now=clock.utc_now(),
                    timeouts=sessions.Timeouts.of(settings),
                    client=client,
                    user_agent=st.context.headers.get("User-Agent"),
                )
            state.pop(ENDED_KEY, None)
            _Carrier.hand_over(code)
    except Exception:
        LOG.exception("sign-in failed")
        state["login_error"] = UNREADABLE
        return
    if outcome.locked_until is not None:
        state["login_error"] = throttle.lockout_message(outcome.locked_until, clock.utc_now())
    elif outcome.principal is None:
        state["login_error"] = WRONG


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
    """End the session for every tab, and forget everything this tab held (forms, downloads)."""
    token = _Carrier.token()
    if token:
        try:
            with database().write() as session:
                sessions.sign_out(session, token, now=clock.utc_now())
        except Exception:  # the cookie is cleared below all the same
            LOG.exception("could not end the sign-in session")
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if token and session_cookie.served():
        st.session_state[ENDED_KEY] = token
        st.session_state[CLEAR_KEY] = True


def sidebar(user: Principal) -> None:
    """Who is signed in, and the sign-out button."""
    st.sidebar.caption(f"Signed in as **{user.username}** · {user.role}")
    if user.site_codes is not None:
        st.sidebar.caption("Site: " + ", ".join(user.site_codes))
    st.sidebar.button("Sign out", key="sign_out", on_click=sign_out)
