"""The floor of bench/dashboard.py: two trivial pages in the same kind of navigation."""

from __future__ import annotations

import streamlit as st


def _page(name: str) -> None:
    st.title(f"Floor {name}")
    st.caption(f"Floor {name} drawn")


def floor_a() -> None:
    """A title and a marker."""
    _page("A")


def floor_b() -> None:
    """A title and a marker."""
    _page("B")


st.navigation(
    [st.Page(floor_a, title="Floor A", default=True), st.Page(floor_b, title="Floor B")]
).run()
