"""Epinephrine, pads and batteries: lots by expiry, an expiry calendar and the reorder list.

The reorder list keeps each site at its policy minimum of in-date stock through a
horizon (the requirement's warning window): buy the difference, by the day the
in-date count would fall below the minimum. An AED's own pads and battery are
listed when they expire inside their window and no in-date spare lot covers them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import Asset, Site, StockLot
from readiness.policy.pack import ExpiryRequirement, Policy, StockRequirement

LOT_COLUMNS = [
    "site",
    "item",
    "lot_number",
    "expires_on",
    "quantity",
    "days_left",
    "state",
    "location",
]
REORDER_COLUMNS = ["site", "item", "buy", "by", "why"]
# Spare lots that replace an AED's own consumables.
SPARES = {"pads_expire_on": "aed_pads", "battery_expires_on": "aed_battery"}


def stock_lots(session: Session, sites: list[str], todays: Mapping[str, date]) -> pd.DataFrame:
    """Every lot of the sites with days left and a state: expired, expiring (60 days) or ok."""
    query = (
        select(
            Site.code,
            StockLot.item,
            StockLot.lot_number,
            StockLot.expires_on,
            StockLot.quantity,
            StockLot.location,
        )
        .join(Site, Site.id == StockLot.site_id)
        .where(Site.code.in_(sites))
        .order_by(StockLot.expires_on, Site.code, StockLot.item)
    )
    rows = session.execute(query).all()
    lots = pd.DataFrame(
        rows, columns=["site", "item", "lot_number", "expires_on", "quantity", "location"]
    )
    if lots.empty:
        return pd.DataFrame(columns=LOT_COLUMNS)
    today = pd.to_datetime(lots["site"].map(dict(todays)))
    left = (pd.to_datetime(lots["expires_on"]) - today).dt.days
    state = (
        pd.Series("ok", index=lots.index).mask(left <= 60, "expiring").mask(left <= 0, "expired")
    )
    return lots.assign(days_left=left, state=state)[LOT_COLUMNS]


def expiry_calendar(lots: pd.DataFrame, months: int = 12) -> pd.DataFrame:
    """Units expiring per month (rows) and item (columns), from this month on."""
    upcoming = lots[lots["days_left"] > 0]
    if upcoming.empty:
        return pd.DataFrame()
    month = pd.to_datetime(upcoming["expires_on"]).dt.strftime("%Y-%m")
    table = upcoming.assign(month=month).pivot_table(
        index="month", columns="item", values="quantity", aggfunc="sum", fill_value=0
    )
    return table.head(months).reset_index()


def reorder_list(
    session: Session,
    policy: Policy,
    sites: list[str],
    todays: Mapping[str, date],
    lots: pd.DataFrame,
) -> pd.DataFrame:
    """What to buy, how many, by when, for each site and item."""
    rows = _stock_rows(policy, sites, todays, lots, _children_sites(session, sites))
    rows += _consumable_rows(session, policy, sites, todays, lots)
    frame = pd.DataFrame(rows, columns=REORDER_COLUMNS)
    return frame.sort_values(["by", "site", "item"], kind="stable").reset_index(drop=True)


def _children_sites(session: Session, sites: list[str]) -> set[str]:
    query = select(Site.code).where(Site.code.in_(sites), Site.treats_children)
    return set(session.scalars(query))


def _stock_rows(
    policy: Policy,
    sites: list[str],
    todays: Mapping[str, date],
    lots: pd.DataFrame,
    children: set[str],
) -> list[tuple[str, str, int, date, str]]:
    """Minimum-stock requirements: units short of the minimum at the end of the horizon."""
    rows = []
    for requirement in policy.of_kind(StockRequirement):
        horizon = requirement.warning_window
        for site in sites:
            if requirement.applies_if == "treats_children" and site not in children:
                continue
            today = todays[site]
            mine = lots[(lots["site"] == site) & (lots["item"] == requirement.item)]
            short, by = _shortfall(mine, requirement.minimum, today, horizon)
            if short > 0:
                why = f"keep {requirement.minimum} in date ({requirement.id})"
                rows.append((site, requirement.item, short, by, why))
    return rows


def _shortfall(lots: pd.DataFrame, minimum: int, today: date, horizon: int) -> tuple[int, date]:
    """Units missing at today + horizon, and the day the count first drops below minimum."""
    ends = today + timedelta(days=horizon)
    expiries = pd.to_datetime(lots["expires_on"]).dt.date
    in_date_then = int(lots.loc[(expiries > ends).to_numpy(), "quantity"].sum())
    if in_date_then >= minimum:
        return 0, today
    valid = lots.assign(_exp=expiries)[expiries > today].sort_values("_exp", ascending=False)
    running, by = 0, today
    for expires_on, quantity in zip(valid["_exp"], valid["quantity"], strict=True):
        running += int(quantity)
        if running >= minimum:
            by = expires_on - timedelta(days=1)
            break
    return minimum - in_date_then, max(by, today)


def _consumable_rows(
    session: Session,
    policy: Policy,
    sites: list[str],
    todays: Mapping[str, date],
    lots: pd.DataFrame,
) -> list[tuple[str, str, int, date, str]]:
    """AED pads and batteries expiring inside their window with no in-date spare."""
    rows = []
    for requirement in policy.of_kind(ExpiryRequirement):
        field = requirement.expiry_field
        spare_item = SPARES.get(field, field)
        query = (
            select(Site.code, Asset.asset_id, getattr(Asset, field))
            .join(Site, Site.id == Asset.site_id)
            .where(
                Site.code.in_(sites),
                Asset.kind.in_(requirement.asset_kinds),
                Asset.status == "in_service",
            )
        )
        for site, asset_id, expires_on in session.execute(query):
            today = todays[site]
            if expires_on is not None and (expires_on - today).days > requirement.warning_window:
                continue
            if _has_spare(lots, site, spare_item, expires_on or today):
                continue
            by = max(expires_on - timedelta(days=1), today) if expires_on else today
            why = f"{asset_id}: {'expires ' + str(expires_on) if expires_on else 'no date on file'}"
            rows.append((site, spare_item, 1, by, why))
    return rows


def _has_spare(lots: pd.DataFrame, site: str, item: str, after: date) -> bool:
    mine = lots[(lots["site"] == site) & (lots["item"] == item) & (lots["quantity"] > 0)]
    return bool((pd.to_datetime(mine["expires_on"]).dt.date > after).any())
