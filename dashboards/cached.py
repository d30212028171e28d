"""Heavy reads, cached per database, site scope, day and data version.

The data version is the audit chain's newest event about a record (sign-ins
left out): every audited write, from this
dashboard or anywhere else (command line, imports, another server), moves it, so a
cached answer is never served after the data changed. Writes made here also clear
the caches at once (`after_write`) so their memory goes too. The TTL bounds how
long time-of-day changes (a slot turning overdue at 10:00) can wait, and how long
the trend waits for the snapshot the scheduler writes after a site's day closed
(snapshots are not audited, so they do not move the data version).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st
from sqlalchemy import select
from state import database

from readiness import clock
from readiness.checklist import templates_in_force
from readiness.compliance import compliance_items, scenario_readiness
from readiness.models import AuditEvent, SignInSession
from readiness.policy.current import current_policy
from readiness.policy.pack import Policy
from readiness.policy.templates import Template
from readiness.views.expiry_timeline import timeline as expiry_timeline
from readiness.views.overview import OverviewModel
from readiness.views.overview import model as overview_model
from readiness.views.readiness_trend import readiness_trend
from readiness.views.sites import site_todays

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
    """The newest audit event about the practice's records, read from the database each run.

    Every audited write moves it, whichever dashboard process, command or import made
    it, so each process's cache turns over at once. Sign-ins and sign-outs are audit
    events too but change nothing a page shows: left out, a morning of sign-ins does
    not empty every replica's cache.
    """
    newest = (
        select(AuditEvent.seq)
        .where(AuditEvent.entity != SignInSession.__tablename__)
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    )
    with database().read() as session:
        return session.scalar(newest) or 0


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


@st.cache_data(ttl=ITEMS_TTL_S, show_spinner=False, max_entries=16)
def timeline(url: str, scope: Scope, days: Days, version: int) -> pd.DataFrame:
    """What expires or falls due in the next 90 days, week by week (from the overview's items)."""
    return expiry_timeline(overview(url, scope, days, version).rows, rules()[0])


@st.cache_data(ttl=ITEMS_TTL_S, show_spinner=False, max_entries=16)
def trend(url: str, scope: Scope, today: date) -> pd.DataFrame:
    """Sites ready per scenario on each of the 90 days before `today`, from the snapshots."""
    with database().read() as session:
        return readiness_trend(session, rules()[0], scope, today)


CACHED = (items, overview, timeline)


def after_write() -> None:
    """Drop cached reads after a write, so the writer sees the change at once."""
    for function in CACHED:
        function.clear()
