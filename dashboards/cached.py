"""Heavy reads, cached per database, site scope, day and data version.

The data version is the audit chain's head: every audited write, from this
dashboard or anywhere else (command line, imports, another server), moves it, so a
cached answer is never served after the data changed. Writes made here also clear
the caches at once (`after_write`) so their memory goes too. The TTL bounds how
long time-of-day changes (a slot turning overdue at 10:00) can wait.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from readiness import audit
from readiness.checklist import templates_in_force
from readiness.compliance import compliance_items, scenario_readiness
from readiness.importing.expiry import current_policy
from readiness.policy import Policy
from readiness.templates import Template
from readiness.views.trend import TrendBook

from state import database

ITEMS_TTL_S = 300
Scope = tuple[str, ...] | None


@st.cache_resource(ttl=ITEMS_TTL_S, show_spinner=False)
def _templates(policy_version: str) -> dict[str, Template]:
    return templates_in_force(policy=current_policy())


def rules() -> tuple[Policy, dict[str, Template]]:
    """The policy and the checklist templates in force."""
    policy = current_policy()
    return policy, _templates(policy.version)


def data_version() -> int:
    """The audit head's sequence number: it moves with every audited write."""
    with database().read() as session:
        return audit.head(session)[0]


@st.cache_data(ttl=ITEMS_TTL_S, show_spinner=False, max_entries=32)
def items(url: str, scope: Scope, day: date, version: int) -> pd.DataFrame:
    """Every compliance item of the scope, as of each site's today."""
    policy, templates = rules()
    with database().read() as session:
        return compliance_items(
            session, policy, sites=None if scope is None else list(scope), templates=templates
        )


@st.cache_data(ttl=ITEMS_TTL_S, show_spinner=False, max_entries=32)
def scenarios(url: str, scope: Scope, day: date, version: int) -> pd.DataFrame:
    """Per site and scenario: ready, and the blocking items."""
    return scenario_readiness(items(url, scope, day, version), rules()[0])


@st.cache_resource(show_spinner=False)
def trend_book(url: str) -> TrendBook:
    """The background-filled trend points of one database."""
    return TrendBook(database(), rules)


CACHED = (items, scenarios)


def after_write() -> None:
    """Drop cached reads after a write, so the writer sees the change at once."""
    for function in CACHED:
        function.clear()
