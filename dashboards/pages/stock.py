"""Stock and expiry: lots by expiry, an expiry calendar, and the reorder list."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cached
import ui
from signin import guard
from state import database

from readiness.views.stock import expiry_calendar, reorder_list, stock_lots


def render() -> None:
    """The page for the signed-in user's sites."""
    user = guard("stock")
    sites = ui.sites_of(user)
    st.title("Stock and expiry")
    codes = ui.site_picker(sites, "stock_site")
    todays = ui.todays(codes)
    policy, _ = cached.rules()

    def load() -> tuple[pd.DataFrame, pd.DataFrame]:
        with database().read() as session:
            lots = stock_lots(session, codes, todays)
            return lots, reorder_list(session, policy, codes, todays, lots)

    lots, reorder = ui.read(load)
    st.subheader("Reorder list")
    st.caption(
        "What to buy, how many and by when, to stay at the policy's minimum of in-date stock."
    )
    ui.table(reorder, "stock_reorder", empty="Nothing to reorder.")
    st.subheader("Expiry calendar")
    st.caption("Units expiring each month, by item.")
    ui.table(expiry_calendar(lots), "stock_calendar", empty="No stock on file.")
    st.subheader("Lots by expiry")
    ui.table(lots, "stock_lots", status_columns=["state"], empty="No stock on file.")


render()
