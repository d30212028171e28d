"""What the Today page says after a checklist is signed: green when it passed, red with
the corrective actions to take when it failed, and why when nothing was recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import streamlit as st
import ui

from readiness.models import CorrectiveAction
from readiness.services.checklist_runs import Submission

# Where the outcome waits for the next drawing of the page.
KEY = "today_outcome"


@dataclass
class Outcome:
    """What the last submission showed: passed, failed (with what to do) or refused."""

    kind: str  # "passed", "failed" or "error"
    text: str
    actions: list[str] = field(default_factory=list)


def refused(text: str) -> None:
    """Show why nothing was recorded at the top of the page, the form as it was."""
    st.session_state[KEY] = Outcome("error", text)
    st.rerun()


def of(submission: Submission, label: str) -> Outcome:
    """What the signer reads: passed in green, failed in red with what to do now."""
    run = submission.run
    signed = run.submitted_at.astimezone(ZoneInfo(submission.timezone))
    who = f"signed by {run.signature_name} at {signed:%H:%M %Z}"
    late = " (late)" if run.late else ""
    if not submission.created:
        return Outcome("passed", f"Already recorded, nothing new written: {label}, {who}.")
    actions = [_action_text(action) for action in submission.actions]
    if run.passed:
        return Outcome("passed", f"Recorded: {label} passed{late}, {who}.")
    text = f"FAILED: {label}{late}, {who}. Do not carry on as usual: do what is listed below."
    for asset_id in submission.out_of_service:
        actions.insert(0, f"{asset_id} is now out of service: do not use it until it is repaired.")
    return Outcome("failed", text, actions)


def _action_text(action: CorrectiveAction) -> str:
    """ "Corrective action #1 (critical, due 9 Mar): Replace the cylinder ... Observed: ..."."""
    return f"Corrective action #{action.id} ({action.severity}, due {action.due_on:%d %b}): " + (
        action.description
    )


def show() -> None:
    """The last submission's outcome: green when it passed, red with what to do when not."""
    flash = ui.said()
    outcome: Outcome | None = st.session_state.pop(KEY, None)
    if outcome is None:
        if flash:
            st.success(flash)  # the plan acknowledgement, or a repeat that wrote nothing
        return
    if outcome.kind == "passed":
        st.success(outcome.text)
    else:
        st.error(outcome.text)
    for action in outcome.actions:
        st.error(action)
