"""Stock requirements: at least a minimum of in-date units of an item per site, and no
expired unit of it still on hand (`quantity` in the facts is the units on hand at as_of)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from readiness.compliance.detail import either, iso, pick, span, thing
from readiness.compliance.facts import Facts
from readiness.compliance.subjects import sites_for
from readiness.compliance.table import Verdicts, judged, per_row, windows
from readiness.policy.requirements import (
    DesignationRequirement,
    ExpiredStockRequirement,
    StockRequirement,
)
from readiness.rules.due import (
    DATE_DTYPE,
    days_until_series,
    due_status_series,
    stock_due_on_series,
)
from readiness.rules.status import Status

KEYS = ["requirement", "site_id"]


def stock_items(requirements: Sequence[StockRequirement], facts: Facts) -> Verdicts:
    """Per site: in-date quantity against the minimum, and when it will fall below it."""
    rows = sites_for(requirements, facts)
    lots = _lots(requirements, facts)
    usable = in_date(lots["expires_on"], lots["as_of"], lots["valid_through"]) & (
        lots["quantity"].fillna(0) > 0
    )
    by = lots[usable.to_numpy()].groupby(KEYS)
    found = pd.DataFrame(
        {
            "on_hand": by["quantity"].sum(),
            "next_expiry": by["expires_on"].min(),
            "restocked": by["received_on"].max(),
        }
    )
    rows = rows.merge(found.reset_index(), on=KEYS, how="left")
    rows = rows.merge(below_minimum_from(requirements, lots), on=KEYS, how="left")
    on_hand = rows["on_hand"].fillna(0).astype("int64")
    minimum = per_row(rows, [r.minimum for r in requirements])
    due = rows["due_on"].where(on_hand >= minimum).astype(DATE_DTYPE)
    status = due_status_series(
        due,
        rows["as_of"],
        per_row(rows, windows(requirements)),
        "expiry",
        valid_through=per_row(rows, [r.valid_through_expiry_date for r in requirements]),
    )
    name = per_row(rows, [_noun(r) for r in requirements])
    count = on_hand.astype("str") + " in-date " + name + "; minimum " + minimum.astype("str")
    count = count + either(
        rows["next_expiry"].notna(), "; next lot expires " + iso(rows["next_expiry"])
    )
    below = (
        "; below the minimum from "
        + iso(due)
        + " ("
        + span(days_until_series(due, rows["as_of"]))
        + ")"
    )
    detail = pick(status, {Status.DUE_SOON: count + below}, default=count)
    return judged(rows, status=status, detail=detail, due_on=due, last_done_on=rows["restocked"])


def expired_stock_items(requirements: Sequence[ExpiredStockRequirement], facts: Facts) -> Verdicts:
    """Per site: expired units of the item still on hand, whatever the in-date count."""
    rows = sites_for(requirements, facts)
    lots = _lots(requirements, facts)
    on_hand = lots["quantity"].fillna(0) > 0
    fresh = in_date(lots["expires_on"], lots["as_of"], lots["valid_through"])
    stale = lots[(on_hand & ~fresh).to_numpy()].sort_values(["expires_on", "lot_number"])
    remove = (
        "Remove "
        + stale["quantity"].astype("int64").astype("str").astype(object)
        + either(stale["quantity"] == 1, " unit", " units")
        + " of lot "
        + stale["lot_number"].astype(object)
        + ", expired "
        + iso(stale["expires_on"])
    )
    expired = pd.DataFrame(
        {
            "remove": remove.groupby([stale[k] for k in KEYS]).agg("; ".join),
            "expired_on": stale.groupby(KEYS)["expires_on"].min(),
        }
    )
    good = lots[(on_hand & fresh).to_numpy()]
    upcoming = good.groupby(KEYS)["expires_on"].min().rename("next_expiry")
    rows = rows.merge(expired.reset_index(), on=KEYS, how="left")
    rows = rows.merge(upcoming.reset_index(), on=KEYS, how="left")
    found = rows["remove"].notna()
    status = pd.Series(
        np.where(found, str(Status.EXPIRED), str(Status.OK)), index=rows.index, dtype="str"
    )
    name = per_row(rows, [_noun(r) for r in requirements])
    none = (
        "No expired "
        + name
        + " on hand"
        + either(
            rows["next_expiry"].notna(), "; next lot on hand expires " + iso(rows["next_expiry"])
        )
    )
    detail = either(found, rows["remove"].astype(object), none)
    due = rows["expired_on"].where(found, rows["next_expiry"]).astype(DATE_DTYPE)
    return judged(rows, status=status, detail=detail, due_on=due)


def in_date(expires_on: pd.Series, as_of: pd.Series, valid_through: pd.Series) -> pd.Series:
    """Not yet expired on as_of; replace-before things are expired on the date itself."""
    left = days_until_series(expires_on, as_of)
    lapsed = (left < 0).where(valid_through.astype(bool), left <= 0)
    return left.notna() & ~lapsed.fillna(True).astype(bool)


def _lots(
    requirements: Sequence[StockRequirement | ExpiredStockRequirement], facts: Facts
) -> pd.DataFrame:
    """Each requirement's lots of its item, with the site's as_of and how expiry reads."""
    items = pd.DataFrame(
        [(r.id, r.item, r.valid_through_expiry_date) for r in requirements],
        columns=["requirement", "item", "valid_through"],
    )
    lots = facts.stock.merge(items, on="item")
    return lots.assign(as_of=facts.scope.of(lots["site_id"], "as_of"))


def below_minimum_from(
    requirements: Sequence[StockRequirement | DesignationRequirement], units: pd.DataFrame
) -> pd.DataFrame:
    """Per requirement and site: the day the in-date count drops below the minimum.

    `units` has requirement, site_id, expires_on, quantity and as_of (lots of stock, or
    card holders counting one each). NaT where the count is below the minimum already.
    """
    rules: dict[tuple[int, bool], list[str]] = {}
    for requirement in requirements:
        key = (requirement.minimum, requirement.valid_through_expiry_date)
        rules.setdefault(key, []).append(requirement.id)
    found = [pd.DataFrame({"requirement": [], "site_id": [], "due_on": []})]
    # One pass per distinct (minimum, expiry reading), not per requirement or site.
    for (minimum, valid_through), ids in rules.items():
        some = units[units["requirement"].isin(ids).to_numpy()]
        due = stock_due_on_series(some, KEYS, some["as_of"], minimum, valid_through=valid_through)
        found.append(due.reset_index())
    found_all = pd.concat(found, ignore_index=True)
    return found_all.astype({"site_id": "Int64", "due_on": DATE_DTYPE})


def _noun(requirement: StockRequirement | ExpiredStockRequirement) -> str:
    """ "Adult epinephrine auto-injectors in date" -> "adult epinephrine auto-injectors"."""
    name = thing(requirement.title).removeprefix("No expired ").removesuffix(" on hand")
    return name if name[:2].isupper() else name[:1].lower() + name[1:]
