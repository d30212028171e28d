"""Streamlit entry point: the cached database and the page router."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Readiness", page_icon="🩺", layout="wide")

pages = [
    st.Page("pages/overview.py", title="Overview", icon="📋", default=True),
    st.Page("pages/today.py", title="Today", icon="✅"),
]
st.navigation(pages).run()
