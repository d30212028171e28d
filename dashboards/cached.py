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
from state import database

from readiness import clock
from readiness.audit import chain as audit
from readiness.checklist import templates_in_force
from readiness.compliance import compliance_items, scenario_readiness
from readiness.policy.current import current_policy
from readiness.policy.pack import Policy
from readiness.policy.templates import Template
from readiness.views.overview import OverviewModel
from readiness.views.overview import model as overview_model
from readiness.views.sites import site_todays
from readiness.views.trend import TrendBook

ITEMS_TTL_S = 300
Scope = tuple[str, ...] | None
Days = tuple[date, ...]


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
def items(url: str, scope: Scope, days: Days, version: int) -> pd.DataFrame:
    """Every compliance item of the scope, as of each site's today (`days`: those todays)."""
    policy, templates = rules()
    with database().read() as session:
        return compliance_items(
            session, policy, sites=None if scope is None else list(scope), templates=templates
        )


@st.cache_data(ttl=ITEMS_TTL_S, show_spinner=False, max_entries=16)
def overview(url: str, scope: Scope, days: Days, version: int) -> OverviewModel:
    """The overview's figures, matrix and lists, derived once per data version."""
    found = items(url, scope, days, version)
    with database().read() as session:
        todays = site_todays(session, None if scope is None else list(scope), clock.utc_now())
    return overview_model(found, scenario_readiness(found, rules()[0]), todays)


def days_key(todays: dict[str, date]) -> Days:
    """The distinct local dates of the sites: cached reads are per day, not per instant."""
    return tuple(sorted(set(todays.values())))


@st.cache_resource(show_spinner=False)
def trend_book(url: str) -> TrendBook:
    """The background-filled trend points of one database."""
    return TrendBook(database(), rules)


CACHED = (items, overview)


def after_write() -> None:
    """Drop cached reads after a write, so the writer sees the change at once."""
    for function in CACHED:
        function.clear()
