"""What every page shares: the database, opened once per server process and URL."""

from __future__ import annotations

import streamlit as st

from readiness.config import load_settings
from readiness.db import Database


@st.cache_resource
def _open(url: str) -> Database:
    return Database(url)


def database() -> Database:
    """The database named by READINESS_DB_URL (the embedded SQLite file by default)."""
    return _open(load_settings().db_url)
