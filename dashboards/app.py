"""Streamlit entry point: the sign-in gate and the page list of the signed-in user's role.

Every page is registered on every run so that a URL always reaches the page's own
check: pages the role may not see are hidden from the navigation, and the page
itself refuses them ("You do not have access to this page") before reading
anything. An anonymous visitor sees the sign-in page; a page reached by URL shows
the sign-in form and then itself.

`shell` is the whole frame around a page; bench/shell_app.py runs it with title-only
pages to measure what the frame alone costs a click.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import phone
import signin
import startup
import streamlit as st
import ui
from navigation import Entry, plan

from readiness.access import Principal

PageSource = Callable[[Entry], str | Path | Callable[[], None]]


def page_file(entry: Entry) -> str:
    """A page's script: pages/<id>.py."""
    return f"pages/{entry.page}.py"


def pages(user: Principal | None, source: PageSource = page_file) -> list[st.Page]:
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
                source(entry),
                title=entry.title,
                icon=entry.icon,
                default=entry.home,
                url_path=entry.page,
                visibility="visible" if entry.visible else "hidden",
            )
        )
    return found


def shell(source: PageSource = page_file) -> None:
    """Check the sign-in once for this run, draw the sidebar, run the page chosen."""
    startup.settle()  # the process's first run: after it, Streamlit's per-run GC is cheap
    st.set_page_config(page_title="Readiness", page_icon="🩺", layout="wide")
    with signin.checked() as user:
        if user is not None:
            signin.sidebar(user)
            phone.close_sidebar_after_navigation()
        page = st.navigation(pages(user, source), position="sidebar" if user else "hidden")
        st.session_state[ui.PAGE_KEY] = page.url_path  # whose confirmation shows (`ui.say`)
        page.run()


if __name__ == "__main__":
    shell()
