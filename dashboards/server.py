"""What `readiness dashboard` serves: the app (app.py) plus the sign-in cookie's routes.

`streamlit run dashboards/server.py` finds `app` below and serves it with uvicorn;
`session_cookie` says why the routes are needed.
"""

from __future__ import annotations

from pathlib import Path

import session_cookie
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

# app.py declares its pages with st.navigation. Streamlit guesses the older "pages/
# folder" mode for a process until the first st.navigation call, so after a restart a
# browser reloading a page's address (a signed-in tablet on /today) got that page
# alone, without app.py's sign-in sidebar. Say which mode this app uses up front.
# (tests/dashboard/test_dashboard_cookie_routes_are_served.py checks it still exists.)
PagesManager.uses_pages_directory = False

app = st.App(Path(__file__).with_name("app.py"), routes=session_cookie.routes())
