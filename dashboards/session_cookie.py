"""The two HTTP routes that set and clear the sign-in cookie, beside Streamlit's own.

Why this module exists: a Streamlit script talks to the browser over a websocket and
cannot set response headers, so it cannot set an HttpOnly cookie. Streamlit's
documented server hook, `st.App(script, routes=[...])` (Starlette routes served by
the same process, next to the app), can; `server.py` builds the app with these routes
and `readiness dashboard` serves that. The script reads the cookie back on every run
with `st.context.cookies`.

- `/_readiness/session?code=...&next=/page` redeems the one-time code that a
  successful sign-in made (`readiness.services.sessions`), sets the session token as
  the cookie and sends the browser back to the page it signed in on.
- `/_readiness/signout?next=/` clears the cookie (the session itself was ended
  by the sign-out button) and sends the browser to the sign-in page.

When the app is run without these routes (AppTest, or `streamlit run app.py`),
`served()` is False and the sign-in keeps the token in the browser tab's memory
instead (`signin.py`). tests/dashboard/test_dashboard_cookie_routes_are_served.py
fails if a Streamlit upgrade takes the hook away.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from readiness import clock
from readiness.config import load_settings
from readiness.db import Database
from readiness.services import sessions
from readiness.services.signin import client_key

COOKIE = "readiness_session"
SESSION_PATH = "/_readiness/session"
SIGNOUT_PATH = "/_readiness/signout"
_served = False


def routes() -> list[Route]:
    """The routes to give `st.App`; from now on this process sets cookies."""
    global _served
    _served = True
    return [
        Route(SESSION_PATH, redeem, methods=["GET"]),
        Route(SIGNOUT_PATH, sign_out, methods=["GET"]),
    ]


def served() -> bool:
    """Whether this process serves the cookie routes (False under AppTest)."""
    return _served


def redeem(request: Request) -> Response:
    """Swap a one-time code for the session cookie, then back to the page.

    A spent, late or unknown code sets nothing: the page then shows the sign-in form.
    Runs in Starlette's thread pool (a plain function), so the database call blocks
    no websocket.
    """
    code = request.query_params.get("code", "")
    answer = _back(request)
    if not code:
        return answer
    with database().write() as session:
        redeemed = sessions.redeem(
            session,
            code,
            now=clock.utc_now(),
            client=_client(request),
            user_agent=request.headers.get("user-agent", ""),
        )
    if redeemed is not None:
        token, expires_at = redeemed
        answer.set_cookie(
            COOKIE,
            token,
            max_age=_seconds_until(expires_at),
            path="/",
            secure=over_tls(request),
            httponly=True,
            samesite="lax",
        )
    return answer


def _client(request: Request) -> str:
    """The browser's address as the sign-in form saw it (`signin.client_key`)."""
    address = request.client.host if request.client else None
    trusted = load_settings().trusted_proxy
    return client_key(dict(request.headers), address, "", trusted_proxy=trusted)


def sign_out(request: Request) -> Response:
    """Clear the cookie and go back (to the sign-in page)."""
    answer = _back(request)
    answer.delete_cookie(COOKIE, path="/", secure=over_tls(request), httponly=True, samesite="lax")
    return answer


def over_tls(request: Request) -> bool:
    """Served over HTTPS, directly or behind a TLS proxy that says so.

    X-Forwarded-Proto is taken at its word: a client that fakes "https" over plain
    HTTP only gets a cookie its own browser will not send back.
    """
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def safe_next(target: str | None) -> str:
    """A path on this site to return to; anything else (another site, a scheme) is "/"."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(ch in target for ch in "\r\n"):
        return "/"
    return target


def database() -> Database:
    """The database, opened once per process for these routes.

    Not `state.database()`: that is a Streamlit cache, meant for script runs, and these
    requests run outside any.
    """
    return _open(load_settings().db_url)


@cache
def _open(url: str) -> Database:
    return Database(url)


def _back(request: Request) -> RedirectResponse:
    answer = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    answer.headers["Cache-Control"] = "no-store"
    answer.headers["Referrer-Policy"] = "no-referrer"  # the code must not travel on
    return answer


def _seconds_until(moment: datetime) -> int:
    return max(0, int((moment - clock.utc_now()).total_seconds()))
