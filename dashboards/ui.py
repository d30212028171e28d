"""Small layout helpers every page shares: status colours, writes with messages, reads safely."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypeVar

import cached
import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from readiness import clock
from readiness.access import Principal
from readiness.errors import UserError
from readiness.views.sites import site_todays, visible_sites

from state import database

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
# Background colours of the status vocabulary (light, so the text stays readable).
COLOURS = {
    "failed": "#f8b4b4",
    "overdue": "#f8b4b4",
    "expired": "#f8b4b4",
    "missing": "#fcd9b6",
    "due_soon": "#fdf0a6",
    "ok": "#bfe8c4",
    "not_applicable": "#e5e7eb",
    "ready": "#bfe8c4",
    "expiring": "#fdf0a6",
}


def colour(value: object) -> str:
    """CSS for a cell whose text starts with a status word."""
    text = str(value)
    if text.startswith("NOT READY"):
        return f"background-color: {COLOURS['failed']}"
    word = text.split(" ", 1)[0]
    return f"background-color: {COLOURS[word]}" if word in COLOURS else ""


def coloured(frame: pd.DataFrame, columns: Iterable[str]) -> Styler:
    """The frame with status cells of `columns` coloured."""
    present = [c for c in columns if c in frame.columns]
    return frame.style.map(colour, subset=present)


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


def site_picker(
    sites: dict[str, str], key: str, *, all_label: str | None = "All sites"
) -> list[str]:
    """A site selectbox; "All sites" (when offered and there are several) gives every code."""
    options = list(sites)
    if all_label and len(options) > 1:
        options = ["*", *options]
    chosen = st.selectbox(
        "Site",
        options,
        format_func=lambda c: all_label if c == "*" else f"{c} — {sites[c]}",
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
    shown: pd.DataFrame | Styler = coloured(frame, status_columns) if status_columns else frame
    # The keyed container (class st-key-<key>_box) lets a browser test find the grid.
    with st.container(key=f"{key}_box"):
        st.dataframe(shown, hide_index=True, key=key, **kwargs)
