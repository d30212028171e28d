"""Correcting a done checklist from the Today page: the recorded answers ready to change
and a reason, by the person who signed it or an officer (`signing.amend_own_run`, the
service behind `readiness checklist amend`)."""

from __future__ import annotations

import checklist_form
import checklist_outcome
import streamlit as st
import ui
from state import database

from readiness import clock
from readiness.access import Principal
from readiness.checklist import Slot
from readiness.errors import UserError
from readiness.policy.answers import AnswerError
from readiness.services.signing import amend_own_run
from readiness.views.run_answers import RecordedRun, recorded_run

AMEND = ui.Form("amend", prefix="amend_")


def render(user: Principal, slot: Slot, label: str) -> None:
    """Who did it; the signer (or an officer) may correct it here, with a reason."""
    st.info(f"{label} is done: signed by {slot.done_by}.")
    if slot.run_id is None:
        return

    def load() -> RecordedRun:
        with database().read() as session:
            return recorded_run(session, int(slot.run_id or 0))

    run = ui.attempt(load)
    if run is None:
        return
    own = user.staff_id is not None and user.staff_id == run.signed_by_staff_id
    if not own and user.role == "staff":
        st.caption(f"Only {run.signed_by} or the compliance officer can correct it.")
        return
    with st.expander("Correct this checklist", expanded=st.session_state.get("amend_open", False)):
        _amend_form(user, run, label)


def _amend_form(user: Principal, run: RecordedRun, label: str) -> None:
    """The recorded answers, ready to change, and the reason for the correction."""
    state = st.session_state
    if state.get("amend_run") != run.run_id:
        for name in [k for k in state if str(k).startswith("amend_")]:
            del state[name]
        for key, value in checklist_form.widget_values(run.template, run.answers).items():
            state["amend_" + key] = value
        state["amend_run"] = run.run_id
    AMEND.open()
    problems: dict[str, str] = state.get("amend_problems", {})
    with st.form("amend_form"):
        st.caption(
            f"Change what was recorded wrongly. The signature stays {run.signed_by}'s;"
            " the correction is recorded under your name with your reason."
        )
        checklist_form.items(run.template, problems, prefix="amend_")
        st.text_area("Why is it corrected?", key="amend_reason")
        submitted = st.form_submit_button("Save the correction", type="primary", key="amend_submit")
    if submitted:
        _amend(user, run, label)


def _amend(user: Principal, run: RecordedRun, label: str) -> None:
    state = st.session_state
    state["amend_open"] = True

    def write(key: str) -> str:
        try:
            with database().write() as session:
                submission = amend_own_run(
                    session,
                    user,
                    run.run_id,
                    checklist_form.answers_from_state(run.template, state, prefix="amend_"),
                    str(state.get("amend_reason") or ""),
                    now_utc=clock.utc_now(),
                    key=key,
                )
                outcome = checklist_outcome.of(submission, label)
        except AnswerError as error:
            state["amend_problems"] = checklist_form.problems_by_item(error)
            checklist_outcome.refused(checklist_form.attention(run.template, error))
        except UserError as error:
            checklist_outcome.refused(_reason_text(str(error)))
        outcome.text = "Corrected. " + outcome.text
        state[checklist_outcome.KEY] = outcome
        for name in ("amend_run", "amend_open", "amend_problems"):
            state.pop(name, None)
        return outcome.text

    AMEND.submit(write)


def _reason_text(text: str) -> str:
    return "Say why the checklist is corrected." if text == "an amendment needs a reason" else text
