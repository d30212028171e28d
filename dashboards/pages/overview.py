"""Overview: every site and how many records it holds."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from readiness.overview import site_counts

from state import database

st.title("Readiness overview")
try:
    with database().read() as session:
        counts = site_counts(session)
except Exception as exc:  # a clinic manager sees a sentence, never a traceback
    st.error(f"The database could not be read: {exc.__class__.__name__}. Run `readiness init`.")
    st.stop()

if counts.empty:
    st.info("No sites yet. Import your spreadsheets with `readiness import --dir DIR`.")
else:
    st.metric("Sites", len(counts))
    st.dataframe(counts, hide_index=True, key="site_counts")
