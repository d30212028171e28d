"""Incidents for protocol review: the log, trends by type/site/device/operator, retraining flags."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from readiness.models import Asset, Incident, IncidentFollowup, Site, Staff
from readiness.policy.handouts import current_protocols
from readiness.policy.pack import Policy
from readiness.policy.protocols import Protocols

LOG_COLUMNS = [
    "id",
    "site",
    "occurred_at",
    "case_ref",
    "incident_type",
    "severity",
    "device",
    "operator",
    "transferred",
    "possibly_reportable",
    "report_due_on",
    "next_followup",
    "actions_taken",
    "referral",
    "protocol",
]
# Trend dimensions: the page's label -> the log's column.
DIMENSIONS = {"type": "incident_type", "site": "site", "device": "device", "operator": "operator"}
FLAG_COLUMNS = ["site", "incident_type", "incidents", "threshold", "window_days", "last_on"]


def incident_log(
    session: Session, sites: list[str], protocols: Protocols | None = None
) -> pd.DataFrame:
    """Current incidents of the sites, newest first, with device, operator, next follow-up
    and the protocol followed ("Anaphylaxis ... · version anaphylaxis:3f2a9c1b7d10")."""
    protocols = protocols or current_protocols()
    operator = aliased(Staff)
    follow = (
        select(IncidentFollowup.incident_id, func.min(IncidentFollowup.due_on).label("next"))
        .where(IncidentFollowup.done_on.is_(None))
        .group_by(IncidentFollowup.incident_id)
        .subquery()
    )
    query = (
        select(
            Incident.id,
            Site.code,
            Incident.occurred_at,
            Incident.case_ref,
            Incident.incident_type,
            Incident.severity,
            Asset.asset_id,
            operator.staff_id,
            Incident.transferred,
            Incident.possibly_reportable,
            Incident.report_due_on,
            follow.c.next,
            Incident.actions_taken,
            Incident.referral,
            Incident.protocol,
            Incident.protocol_version,
            Incident.protocol_reason,
        )
        .join(Site, Site.id == Incident.site_id)
        .outerjoin(Asset, Asset.id == Incident.asset_pk)
        .outerjoin(operator, operator.id == Incident.operator_pk)
        .outerjoin(follow, follow.c.incident_id == Incident.id)
        .where(Site.code.in_(sites), Incident.record_state == "current")
        .order_by(Incident.occurred_at.desc())
    )
    rows = [
        (
            *row[:-3],
            _protocol_text(protocols, row.protocol, row.protocol_version, row.protocol_reason),
        )
        for row in session.execute(query).all()
    ]
    return pd.DataFrame(rows, columns=LOG_COLUMNS)


def _protocol_text(
    protocols: Protocols, protocol: str | None, version: str | None, reason: str | None
) -> str:
    """The protocol followed and the version recorded, as one cell."""
    text = protocols.followed_text(protocol, reason)
    return f"{text} · version {version}" if version else text


def trend(log: pd.DataFrame, dimension: str, months: int = 12) -> pd.DataFrame:
    """Incidents per month (rows) and value of the dimension (columns), the last `months`."""
    column = DIMENSIONS[dimension]
    if log.empty:
        return pd.DataFrame()
    month = pd.to_datetime(log["occurred_at"], utc=True).dt.strftime("%Y-%m")
    values = log[column].fillna("(none)").astype(str)
    table = pd.crosstab(month, values)
    table.index.name = "month"
    return table.tail(months)


def retraining_flags(log: pd.DataFrame, policy: Policy, today: date) -> pd.DataFrame:
    """Incident types recurring at a site at or beyond the policy's retraining threshold."""
    rule = policy.settings.incident_retraining
    if log.empty:
        return pd.DataFrame(columns=FLAG_COLUMNS)
    since = pd.Timestamp(today - timedelta(days=rule.window_days), tz="UTC")
    occurred = pd.to_datetime(log["occurred_at"], utc=True)
    recent = log[(occurred >= since).to_numpy()].assign(_on=occurred.dt.date)
    counts = recent.groupby(["site", "incident_type"]).agg(
        incidents=("id", "size"), last_on=("_on", "max")
    )
    flagged = counts[counts["incidents"] >= rule.incidents].reset_index()
    flagged = flagged.assign(threshold=rule.incidents, window_days=rule.window_days)
    return (
        flagged[FLAG_COLUMNS]
        .sort_values(["incidents", "site"], ascending=[False, True])
        .reset_index(drop=True)
    )
