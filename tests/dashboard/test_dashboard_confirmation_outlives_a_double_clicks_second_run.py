"""A write's confirmation stays on its page for the runs of the next few seconds: the
second run of a double click, or a form redrawn for the new record, comes right after
the first and used to wipe the confirmation before anyone could read it (Chromium saw it
on the Emergency plan page). It shows on the page that wrote, not on the next page
opened, and is gone once it is older than `ui.FLASH_S`."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

DASHBOARDS = Path(__file__).resolve().parents[2] / "dashboards"

SCRIPT = f"""
import sys
sys.path.insert(0, {str(DASHBOARDS)!r})
import streamlit as st
import ui

ui.flash()
if st.button("Record"):
    ui.say("Recorded the thing")
    st.rerun()
"""


def shown(at: AppTest) -> list[str]:
    return [element.value for element in at.success]


def test_the_confirmation_survives_the_run_right_after_and_stays_on_its_page() -> None:
    at = AppTest.from_string(SCRIPT, default_timeout=30).run()
    assert shown(at) == []

    at.button[0].click().run()
    assert shown(at) == ["Recorded the thing"]
    at.run()  # the second click's run, or any redraw right after
    assert shown(at) == ["Recorded the thing"]

    at.session_state["page_now"] = "another-page"
    at.run()
    assert shown(at) == [], "another page does not show this page's confirmation"
    at.session_state["page_now"] = ""
    at.run()
    assert shown(at) == ["Recorded the thing"]


def test_an_old_confirmation_is_dropped() -> None:
    at = AppTest.from_string(SCRIPT, default_timeout=30).run()
    at.button[0].click().run()
    message, _at, page = at.session_state["flash"]
    at.session_state["flash"] = (message, 0.0, page)  # said long ago
    at.run()
    assert shown(at) == []
    assert "flash" not in at.session_state
