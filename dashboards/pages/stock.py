"""Stock and expiry: lots on hand by expiry, an expiry calendar, the reorder list, and a form
to record stock received, used or disposed (each a dated movement, never an overwrite).

The form (`ui.Form`) carries an idempotency key made when it is drawn and replaced only
after a success, so a double submit records one movement.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cached
import ui
from signin import guard
from state import database

from readiness import clock
from readiness.access import Principal
from readiness.policy.pack import Policy
from readiness.policy.requirements import StockRequirement
from readiness.services.stock import StockEntry, record_stock_as
from readiness.views.stock import expiry_calendar, reorder_list, stock_lots, stock_movements

KINDS = {"received": "Received", "used": "Used", "disposed": "Disposed"}
# The form: its widgets (stock_*) clear after a success, except what happened.
STOCK = ui.Form("stock", keep=("stock_kind",))


def render() -> None:
    """The page for the signed-in user's sites."""
    user = guard("stock")
    sites = ui.sites_of(user)
    st.title("Stock and expiry")
    ui.flash()
    codes = ui.site_picker(sites, "stock_site")
    todays = ui.todays(codes)
    policy, _ = cached.rules()

    def load() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        with database().read() as session:
            lots = stock_lots(session, codes, todays, policy)
            reorder = reorder_list(session, policy, codes, todays, lots)
            return lots, reorder, stock_movements(session, codes)

    lots, reorder, moves = ui.read(load)
    st.subheader("Reorder list")
    st.caption(
        "What to buy, how many and by when, to stay at the policy's minimum of in-date stock."
    )
    ui.table(reorder, "stock_reorder", empty="Nothing to reorder.")
    st.subheader("Expiry calendar")
    st.caption("Units expiring each month, by item.")
    ui.table(expiry_calendar(lots), "stock_calendar", empty="No stock on file.")
    st.subheader("Lots on hand by expiry")
    st.caption("Expired units still on hand are a finding: record them disposed once removed.")
    ui.table(lots, "stock_lots", status_columns=["state"], empty="No stock on hand.")
    st.subheader("Stock movements")
    ui.table(moves, "stock_moves", empty="No stock movements recorded.")
    if user.may("record_stock"):
        _movement_form(user, {c: sites[c] for c in codes}, lots, todays, policy)


def _movement_form(
    user: Principal,
    sites: dict[str, str],
    lots: pd.DataFrame,
    todays: dict[str, date],
    policy: Policy,
) -> None:
    """Record units received (a new lot or more of one on file), used or disposed."""
    st.subheader("Record stock received / used / disposed")
    site = str(
        st.selectbox(
            "Site", list(sites), format_func=lambda c: f"{c} — {sites[c]}", key="stock_form_site"
        )
    )
    kind = str(
        st.radio(
            "What happened",
            list(KINDS),
            format_func=KINDS.__getitem__,
            horizontal=True,
            key="stock_kind",
        )
    )
    STOCK.open()
    today = todays.get(site) or ui.todays([site])[site]
    mine = lots[lots["site"] == site]
    with st.form("stock_form"):
        if kind == "received":
            lot_number = st.text_input("Lot number", key="stock_new_lot")
            items = sorted({r.item for r in policy.of_kind(StockRequirement)} | {"aed_pads"})
            item = st.selectbox("Item", items, key="stock_item")
            expires = st.date_input(
                "Expires on (new lots)", value=None, format="YYYY-MM-DD", key="stock_expires"
            )
            location = st.text_input("Kept in (new lots)", key="stock_location")
        else:
            labels = {
                f"{row.lot_number}|{row.item}": (
                    f"{row.lot_number} — {row.item}, expires {row.expires_on},"
                    f" {row.quantity} on hand"
                )
                for row in mine.itertuples()
            }
            chosen = st.selectbox(
                "Lot", list(labels), format_func=labels.__getitem__, index=None, key="stock_lot"
            )
            lot_number, _, item = str(chosen or "").partition("|")
            expires, location = None, None
        quantity = st.number_input("Units", min_value=1, value=None, step=1, key="stock_quantity")
        occurred = st.date_input(
            "On (site-local day)", value=today, max_value=today, format="YYYY-MM-DD", key="stock_on"
        )
        reason = st.text_input("Reason or note", key="stock_reason")
        submitted = st.form_submit_button("Record", type="primary", key="stock_submit")
    if not submitted:
        return
    if not lot_number.strip() or quantity is None:
        st.error("Choose the lot and give the number of units.")
        return

    def write(key: str) -> str:
        entry = StockEntry(
            kind=kind,
            site_code=site,
            lot_number=lot_number,
            quantity=int(quantity),
            occurred_on=occurred if isinstance(occurred, date) else None,
            item=item or None,
            reason=reason,
            key=key,
            expires_on=expires if isinstance(expires, date) else None,
            location=location,
        )
        with database().write() as session:
            return record_stock_as(session, user, entry, now_utc=clock.utc_now()).describe()

    STOCK.submit(write)


render()
