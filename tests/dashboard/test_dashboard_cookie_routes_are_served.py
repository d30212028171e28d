"""The sign-in cookie's routes, served beside Streamlit through `st.App(routes=...)`: a one-time
code becomes an HttpOnly, SameSite=Lax cookie (Secure behind TLS) once, a sign-out clears it,
and nobody is sent to another site.

If a Streamlit upgrade drops `st.App`, its `routes`, or `streamlit run`'s discovery of the
app in dashboards/server.py, these tests fail: the dashboard would otherwise fall back to
signing in per tab.
"""

from __future__ import annotations

import http.client
import inspect
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import streamlit as st
from signin_helpers import make_user
from streamlit.runtime.pages_manager import PagesManager
from streamlit.web.server.app_discovery import discover_asgi_app
from streamlit_server import streamlit_server

from readiness import clock
from readiness.db import Database
from readiness.migrate import upgrade
from readiness.services import sessions

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "dashboards" / "server.py"
LOG = ROOT / "test-artifacts" / "sign-in-sessions" / "routes-server.log"


def test_streamlit_still_offers_the_hook() -> None:
    assert "routes" in inspect.signature(st.App).parameters
    found = discover_asgi_app(SERVER)
    assert found.is_asgi_app and found.app_name == "app", found
    # server.py also tells Streamlit up front that app.py uses st.navigation.
    assert "uses_pages_directory" in vars(PagesManager)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Database]]:
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('routes')}/readiness.db")
    upgrade(db.engine)
    make_user(db, "officer")
    with streamlit_server(SERVER, {"READINESS_DB_URL": db.url}, LOG) as url:
        yield url, db
    db.dispose()


def _code(db: Database) -> str:
    with db.write() as session:
        return sessions.open_session(
            session, "officer", now=clock.utc_now(), timeouts=sessions.Timeouts()
        )


def _get(url: str, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    """One GET, redirects not followed."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    connection.request("GET", path, headers=headers or {})
    return connection.getresponse()


def _cookie(answer: http.client.HTTPResponse) -> dict[str, str]:
    """The Set-Cookie attributes of the session cookie, lower-cased names; {} when none."""
    for header in answer.headers.get_all("set-cookie") or []:
        name, _, rest = header.partition("=")
        if name.strip() == "readiness_session":
            value, *attributes = rest.split(";")
            found = {"value": value}
            for attribute in attributes:
                key, _, setting = attribute.strip().partition("=")
                found[key.lower()] = setting
            return found
    return {}


def test_a_code_becomes_a_cookie_once(served: tuple[str, Database]) -> None:
    url, db = served
    code = _code(db)
    answer = _get(url, f"/_readiness/session?code={code}&next=/equipment")
    assert answer.status == 303 and answer.headers["location"] == "/equipment"
    cookie = _cookie(answer)
    assert {"httponly", "samesite", "path", "max-age"} <= set(cookie), cookie
    assert cookie["samesite"].lower() == "lax" and cookie["path"] == "/"
    assert "secure" not in cookie  # plain HTTP: a Secure cookie would never come back
    assert 11 * 3600 < int(cookie["max-age"]) <= 12 * 3600  # the absolute timeout
    with db.read() as session:
        resumed = sessions.resume(
            session, cookie["value"], now=clock.utc_now(), timeouts=sessions.Timeouts()
        )
    assert resumed.user is not None and resumed.user.username == "officer"
    again = _get(url, f"/_readiness/session?code={code}&next=/equipment")
    assert again.status == 303 and _cookie(again) == {}


def test_behind_a_tls_proxy_the_cookie_is_secure(served: tuple[str, Database]) -> None:
    url, db = served
    answer = _get(url, f"/_readiness/session?code={_code(db)}", {"X-Forwarded-Proto": "https"})
    assert "secure" in _cookie(answer)


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil"])
def test_nobody_is_sent_to_another_site(served: tuple[str, Database], target: str) -> None:
    url, _ = served
    assert _get(url, f"/_readiness/session?code=nothing&next={target}").headers["location"] == "/"


def test_signing_out_clears_the_cookie(served: tuple[str, Database]) -> None:
    url, _ = served
    answer = _get(url, "/_readiness/signout?next=/", {"Cookie": "readiness_session=abc"})
    cookie = _cookie(answer)
    assert answer.status == 303 and cookie["max-age"] == "0" and "httponly" in cookie
