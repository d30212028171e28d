"""Small layout helpers every page shares: status colours, writes with messages, reads safely."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypeVar

import cached
import pandas as pd
import streamlit as st
from state import database

from readiness import clock
from readiness.access import Principal
from readiness.errors import UserError
from readiness.views.sites import site_todays, visible_sites

LOG = logging.getLogger("readiness.dashboards")
T = TypeVar("T")
UNEXPECTED = (
    "Something went wrong and nothing was recorded. Try again; if it keeps happening,"
    " tell the administrator."
)
UNREADABLE = (
    "The data could not be read. Try again in a moment; if it keeps happening,"
    " run `readiness init`."
)
# Colours of the status vocabulary (light, so the label stays readable).
COLOURS = {
    "failed": "#f8b4b4",
    "overdue": "#f8b4b4",
    "expired": "#f8b4b4",
    "missing": "#fcd9b6",
    "due_soon": "#fdf0a6",
    "expiring": "#fdf0a6",
    "ok": "#bfe8c4",
    "ready": "#bfe8c4",
    "not_applicable": "#e5e7eb",
}
NOT_READY = "#f8b4b4"


def colour(value: str) -> str:
    """The colour of a cell whose text starts with a status word (grey when none)."""
    if value.startswith("NOT READY"):
        return NOT_READY
    return COLOURS.get(value.split(" ", 1)[0], COLOURS["not_applicable"])


def as_labels(frame: pd.DataFrame, columns: Iterable[str]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Status columns as coloured labels: one-item lists shown by a read-only multiselect column.

    (A pandas Styler colours cells too, but costs some 90 ms per thousand rows to send.)
    """
    config: dict[str, Any] = {}
    changed: dict[str, list[list[str]]] = {}
    for column in columns:
        if column not in frame.columns:
            continue
        values = frame[column].fillna("").astype(str)
        options = sorted(values.unique())
        changed[column] = [[value] if value else [] for value in values]
        config[column] = st.column_config.MultiselectColumn(
            column, options=options, color=[colour(option) for option in options]
        )
    return frame.assign(**changed), config  # type: ignore[arg-type]  # lists of lists are cells


def flash() -> None:
    """The confirmation of the last write on this page, once."""
    message = st.session_state.pop("flash", None)
    if message:
        st.success(message)


def perform(write: Callable[[], str], *, forget: Iterable[str] = ()) -> None:
    """Run a write; on success clear cached reads and the form, show the message, redraw.

    A UserError is shown as its sentence; anything else as a sentence too, with the
    traceback only in the server log.
    """
    try:
        message = write()
    except UserError as error:
        st.error(str(error))
        return
    except Exception:
        LOG.exception("a dashboard write failed")
        st.error(UNEXPECTED)
        return
    cached.after_write()
    for key in forget:
        st.session_state.pop(key, None)
    st.session_state["flash"] = message
    st.rerun()


def read(load: Callable[[], T]) -> T:
    """Run a read; a failure is a sentence on screen and the page stops."""
    try:
        return load()
    except UserError as error:
        st.error(str(error))
    except Exception:
        LOG.exception("a dashboard read failed")
        st.error(UNREADABLE)
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def attempt(work: Callable[[], T]) -> T | None:
    """Run something the user asked for; a failure is a sentence and None, the page goes on."""
    try:
        return work()
    except UserError as error:
        st.error(str(error))
    except Exception:
        LOG.exception("a dashboard request failed")
        st.error("That did not work. Try again; if it keeps happening, tell the administrator.")
    return None


def sites_of(user: Principal) -> dict[str, str]:
    """Code -> name of the sites the user covers; stops with a note when there are none."""

    def load() -> dict[str, str]:
        with database().read() as session:
            return visible_sites(session, user)

    sites = read(load)
    if not sites:
        st.info("No sites yet. Import your spreadsheets with `readiness import --dir DIR`.")
        st.stop()
    return sites


def todays(codes: list[str]) -> dict[str, date]:
    """Each site's local date now."""

    def load() -> dict[str, date]:
        with database().read() as session:
            return site_todays(session, codes, clock.utc_now())

    return read(load)


def compliance(user: Principal, sites: dict[str, str]) -> pd.DataFrame:
    """Every compliance item of the user's sites (cached per day and data version)."""
    version = read(cached.data_version)
    days = cached.days_key(todays(list(sites)))
    return read(lambda: cached.items(database().url, user.site_codes, days, version))


def site_picker(
    sites: dict[str, str], key: str, *, all_label: str | None = "All sites"
) -> list[str]:
    """A site selectbox; "All sites" (when offered and there are several) gives every code."""
    options: list[str] = list(sites)
    if all_label and len(options) > 1:
        options = ["*", *options]
    chosen = st.selectbox(
        "Site",
        options,
        format_func=lambda c: str(all_label) if c == "*" else f"{c} — {sites[c]}",
        key=key,
    )
    return list(sites) if chosen == "*" else [str(chosen)]


def table(
    frame: pd.DataFrame,
    key: str,
    *,
    status_columns: Iterable[str] = (),
    empty: str = "Nothing to show.",
    **kwargs: Any,
) -> None:
    """A dataframe without index, status cells coloured; a note when empty."""
    if frame.empty:
        st.caption(empty)
        return
    shown, config = as_labels(frame, status_columns)
    # The keyed container (class st-key-<key>_box) lets a browser test find the grid.
    with st.container(key=f"{key}_box"):
        st.dataframe(shown, hide_index=True, key=key, column_config=config, **kwargs)
