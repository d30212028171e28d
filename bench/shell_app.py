"""The middle figure of bench/dashboard.py: the dashboard's own frame around title-only pages.

The same sign-in check, sidebar, page list and navigation as dashboards/app.py (its
`shell`, run as it is), but each page draws only its title after the page's own
access check: what is left is what the frame costs a click, without any page's work.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "dashboards"))

import app
from navigation import Entry
from signin import guard


def title_only(entry: Entry) -> Callable[[], None]:
    """A page that checks access like the real one, then shows its title and a marker."""

    def page() -> None:
        guard(entry.page)
        st.title(entry.title)
        st.caption(f"{entry.title} drawn")

    page.__name__ = entry.page
    return page


app.shell(title_only)
