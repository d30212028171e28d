"""Epinephrine, pads and batteries: lots on hand by expiry, movements, an expiry calendar
and the reorder list.

The reorder list keeps each site at its policy minimum of in-date stock through a
horizon (the requirement's warning window): buy the difference, by the day the
in-date count would fall below the minimum. An AED's own pads and battery are
listed when they expire inside their window and no in-date spare lot covers them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.compliance.stock import in_date
from readiness.models import MOVEMENT_SIGN, Asset, Site, StockLot, StockMovement
from readiness.policy.current import current_policy
from readiness.policy.pack import Policy
from readiness.policy.requirements import (
    ExpiredStockRequirement,
    ExpiryRequirement,
    StockRequirement,
)

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
MOVEMENT_COLUMNS = ["site", "occurred_on", "kind", "quantity", "item", "lot_number", "by", "reason"]
REORDER_COLUMNS = ["site", "item", "buy", "by", "why"]
# Spare lots that replace an AED's own consumables.
SPARES = {"pads_expire_on": "aed_pads", "battery_expires_on": "aed_battery"}
# For items the policy does not name: replaced before the printed date, warned 60 days ahead.
DEFAULT_WARNING = (60, False)


def stock_lots(
    session: Session,
    sites: list[str],
    todays: Mapping[str, date],
    policy: Policy | None = None,
) -> pd.DataFrame:
    """Lots with units on hand at each site's today, days left and a state: expired,
    expiring (inside the item's warning window in the policy) or ok."""
    query = (
        select(
            StockLot.id,
            Site.code,
            StockLot.item,
            StockLot.lot_number,
            StockLot.expires_on,
            StockLot.quantity,
            StockLot.received_on,
            StockLot.location,
        )
        .join(Site, Site.id == StockLot.site_id)
        .where(Site.code.in_(sites))
        .order_by(StockLot.expires_on, Site.code, StockLot.item, StockLot.lot_number)
    )
    names = ["lot_pk", "site", "item", "lot_number", "expires_on", "quantity", "received_on"]
    lots = pd.DataFrame(session.execute(query).all(), columns=[*names, "location"])
    if lots.empty:
        return pd.DataFrame(columns=LOT_COLUMNS)
    today = pd.to_datetime(lots["site"].map(dict(todays)))
    received = lots["received_on"].isna() | (pd.to_datetime(lots["received_on"]) <= today)
    opening = lots["quantity"].where(received, 0).astype("int64")
    lots = lots.assign(quantity=opening + _moved(session, lots, today))
    lots = lots[(lots["quantity"] > 0).to_numpy()].reset_index(drop=True)
    today = pd.to_datetime(lots["site"].map(dict(todays)))
    left = (pd.to_datetime(lots["expires_on"]) - today).dt.days
    rules = _expiry_rules(policy or current_policy())
    rule = lots["item"].map(lambda item: rules.get(item, DEFAULT_WARNING))
    window = rule.map(lambda r: r[0]).astype("int64")
    valid_through = rule.map(lambda r: r[1]).astype(bool)
    fresh = in_date(
        pd.Series(pd.to_datetime(lots["expires_on"]).to_numpy(dtype="datetime64[D]")),
        pd.Series(today.to_numpy(dtype="datetime64[D]")),
        valid_through,
    )
    state = np.where(~fresh.to_numpy(), "expired", np.where(left <= window, "expiring", "ok"))
    return lots.assign(days_left=left, state=state)[LOT_COLUMNS]


def _moved(session: Session, lots: pd.DataFrame, today: pd.Series) -> pd.Series:
    """Per lot row: units received less used and disposed on or before its site's today."""
    query = select(
        StockMovement.lot_pk, StockMovement.kind, StockMovement.quantity, StockMovement.occurred_on
    ).where(StockMovement.lot_pk.in_([int(pk) for pk in lots["lot_pk"]]))
    query = query.where(StockMovement.record_state == "current")
    moves = pd.DataFrame(
        session.execute(query).all(), columns=["lot_pk", "kind", "quantity", "occurred_on"]
    )
    if moves.empty:
        return pd.Series(0, index=lots.index, dtype="int64")
    limit = pd.Series(today.to_numpy(), index=lots["lot_pk"].to_numpy())
    known = pd.to_datetime(moves["occurred_on"]) <= moves["lot_pk"].map(limit)
    signed = (moves["kind"].map(MOVEMENT_SIGN) * moves["quantity"])[known.to_numpy()]
    totals = signed.groupby(moves.loc[known.to_numpy(), "lot_pk"]).sum()
    return lots["lot_pk"].map(totals).fillna(0).astype("int64")


def _expiry_rules(policy: Policy) -> dict[str, tuple[int, bool]]:
    """Per item: (warning window in days, valid through the printed date) from the policy."""
    rules: dict[str, tuple[int, bool]] = {}
    for requirement in policy.of_kind(ExpiryRequirement):
        item = SPARES.get(requirement.expiry_field, requirement.expiry_field)
        rules[item] = (requirement.warning_window, requirement.valid_through_expiry_date)
    for expired in policy.of_kind(ExpiredStockRequirement):
        rules[expired.item] = (DEFAULT_WARNING[0], expired.valid_through_expiry_date)
    # The minimum-stock requirement's window wins: it is the one that warns about the item.
    for stock in policy.of_kind(StockRequirement):
        rules[stock.item] = (stock.warning_window, stock.valid_through_expiry_date)
    return rules


def stock_movements(session: Session, sites: list[str], limit: int = 200) -> pd.DataFrame:
    """The latest movements recorded at the sites, newest first."""
    query = (
        select(
            Site.code,
            StockMovement.occurred_on,
            StockMovement.kind,
            StockMovement.quantity,
            StockLot.item,
            StockLot.lot_number,
            StockMovement.recorded_by,
            StockMovement.reason,
        )
        .join(StockLot, StockLot.id == StockMovement.lot_pk)
        .join(Site, Site.id == StockLot.site_id)
        .where(Site.code.in_(sites), StockMovement.record_state == "current")
        .order_by(StockMovement.occurred_on.desc(), StockMovement.id.desc())
        .limit(limit)
    )
    return pd.DataFrame(session.execute(query).all(), columns=MOVEMENT_COLUMNS)


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
            condition = requirement.applies_if
            if condition is not None and condition.treats_children and site not in children:
                continue
            today = todays[site]
            mine = lots[(lots["site"] == site) & (lots["item"] == requirement.item)]
            short, by = _shortfall(mine, requirement.minimum, today, horizon)
            if short > 0:
                why = f"the policy asks for {requirement.minimum} in date at all times"
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
