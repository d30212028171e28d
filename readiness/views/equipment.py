"""The asset register with each asset's worst compliance status, and its service history."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import Asset, ServiceEvent, Site
from readiness.rules.status import SEVERITY, Status

REGISTER_COLUMNS = [
    "site",
    "asset_id",
    "kind",
    "name",
    "status",
    "compliance",
    "next_due_on",
    "detail",
    "manufacturer",
    "model",
    "serial_number",
    "location",
]
HISTORY_COLUMNS = [
    "performed_on",
    "kind",
    "result",
    "performed_by",
    "certificate_number",
    "next_due_on",
    "notes",
    "record_state",
    "recorded_by",
]


def asset_register(session: Session, items: pd.DataFrame, sites: list[str]) -> pd.DataFrame:
    """Every asset of the sites: register columns and its worst item (status, due, detail)."""
    query = (
        select(
            Site.code.label("site"),
            Asset.asset_id,
            Asset.kind,
            Asset.name,
            Asset.status,
            Asset.manufacturer,
            Asset.model,
            Asset.serial_number,
            Asset.location,
        )
        .join(Site, Site.id == Asset.site_id)
        .where(Site.code.in_(sites))
        .order_by(Site.code, Asset.asset_id)
    )
    assets = pd.DataFrame(
        session.execute(query).all(), columns=[c.name for c in query.selected_columns]
    )
    worst = worst_per_subject(items[items["subject_type"] == "asset"])
    merged = assets.merge(
        worst, how="left", left_on=["site", "asset_id"], right_on=["site", "subject"]
    )
    return merged.reindex(columns=REGISTER_COLUMNS)


def worst_per_subject(items: pd.DataFrame) -> pd.DataFrame:
    """Per site and subject: its worst status, the earliest due date and that item's detail."""
    if items.empty:
        return pd.DataFrame(columns=["site", "subject", "compliance", "next_due_on", "detail"])
    ranked = items.assign(_rank=items["status"].map(lambda s: SEVERITY[Status(s)]))
    ranked = ranked.sort_values(["_rank", "due_on"], ascending=[False, True], kind="stable")
    first = ranked.drop_duplicates(["site", "subject"])
    return pd.DataFrame(
        {
            "site": first["site"],
            "subject": first["subject"],
            "compliance": first["status"],
            "next_due_on": pd.to_datetime(first["due_on"]).dt.date,
            "detail": first["detail"],
        }
    )


def service_history(session: Session, asset_id: str) -> pd.DataFrame:
    """The asset's service events, newest first, superseded and voided ones included."""
    query = (
        select(*(getattr(ServiceEvent, column) for column in HISTORY_COLUMNS))
        .join(Asset, Asset.id == ServiceEvent.asset_pk)
        .where(Asset.asset_id == asset_id)
        .order_by(ServiceEvent.performed_on.desc(), ServiceEvent.id.desc())
    )
    return pd.DataFrame(session.execute(query).all(), columns=HISTORY_COLUMNS)


def assets_of(session: Session, sites: list[str]) -> dict[str, str]:
    """Asset id -> "ASSET (kind, site)" label, for pickers."""
    query = (
        select(Asset.asset_id, Asset.kind, Asset.name, Site.code)
        .join(Site, Site.id == Asset.site_id)
        .where(Site.code.in_(sites), Asset.status != "retired")
        .order_by(Site.code, Asset.asset_id)
    )
    return {
        aid: f"{aid} — {name} ({kind}, {code})" for aid, kind, name, code in session.execute(query)
    }
