"""Signing in to the dashboard under AppTest: make a user, fill the sign-in form."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from readiness.db import Database
from readiness.models import User
from readiness.services.users import create_user

DASHBOARDS = Path(__file__).resolve().parent.parent / "dashboards"
APP = str(DASHBOARDS / "app.py")
PASSWORD = "correct horse battery"


def make_user(db: Database, role: str, site: str | None = None, name: str | None = None) -> str:
    """A user of the role (limited to `site` when given), created once; returns the name."""
    username = name or (f"{role}-{site.lower()}" if site else role)
    with db.write() as session:
        if session.scalar(select(User).where(User.username == username)) is None:
            create_user(
                session,
                username=username,
                role=role,
                password=PASSWORD,
                site_code=site,
                actor="test",
            )
    return username


def sign_in(at: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    """Fill and submit the sign-in form on the current page."""
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    return at.button(key="login_submit").click().run()


def signed_in_app(
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
    role: str,
    site: str | None = None,
) -> AppTest:
    """The app on this database, signed in as a (new) user of the role."""
    monkeypatch.setenv("READINESS_DB_URL", db.url)
    username = make_user(db, role, site)
    at = AppTest.from_file(APP, default_timeout=60).run()
    sign_in(at, username)
    assert not at.exception, at.exception
    return at


def dashboard_module(name: str) -> ModuleType:
    """A module of dashboards/ (signin, navigation, ...), imported as the app imports it."""
    if str(DASHBOARDS) not in sys.path:
        sys.path.insert(0, str(DASHBOARDS))
    return importlib.import_module(name)


def labels(frame: pd.DataFrame, column: str) -> list[str]:
    """A status column as text: the dashboard sends statuses as one-item label lists."""
    return [", ".join(map(str, value)) for value in frame[column]]
