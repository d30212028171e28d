"""Streamlit entry point: the sign-in gate and the page list of the signed-in user's role.

Every page is registered on every run so that a URL always reaches the page's own
check: pages the role may not see are hidden from the navigation, and the page
itself refuses them ("You do not have access to this page") before reading
anything. An anonymous visitor sees the sign-in page; a page reached by URL shows
the sign-in form and then itself.
"""

from __future__ import annotations

import phone
import signin
import streamlit as st
from navigation import plan

from readiness.access import Principal

st.set_page_config(page_title="Readiness", page_icon="🩺", layout="wide")


def pages(user: Principal | None) -> list[st.Page]:
    """The sign-in page (anonymous only), then every file page, hidden when not allowed."""
    found = []
    if user is None:
        found.append(
            st.Page(
                signin.login_form,
                title="Sign in",
                icon=":material/login:",
                default=True,
                url_path="signin",
            )
        )
    for entry in plan(user):
        found.append(
            st.Page(
                f"pages/{entry.page}.py",
                title=entry.title,
                icon=entry.icon,
                default=entry.home,
                visibility="visible" if entry.visible else "hidden",
            )
        )
    return found


user = signin.current_user()
if user is not None:
    signin.sidebar(user)
    phone.close_sidebar_after_navigation()
st.navigation(pages(user), position="sidebar" if user else "hidden").run()
