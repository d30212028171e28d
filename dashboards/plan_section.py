"""The Today page's "Emergency plan" section: the site's numbers and roles as the current
version of its plan has them, and the signed-in staff member's acknowledgement of it;
and the plan's PDF download, which the Emergency plan page offers too."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
import ui
from state import database

from readiness import clock
from readiness.access import Principal
from readiness.checklist.lookup import signer, site_by_code
from readiness.export.plan.facts import DUTY_PHRASES, SiteFacts, site_facts
from readiness.models import EMERGENCY_DUTIES, EMERGENCY_SCENARIOS
from readiness.services.plan_acknowledgements import acknowledge_plan
from readiness.services.signing import pin_needed
from readiness.views.plan_acknowledgements import PlanStanding, plan_standing

PLAN = ui.Form("plan", keep=())
# The numbers staff look for first, with the contact fields printed on one line.
NUMBERS = (
    ("Emergency", ("emergency_number",)),
    ("Poison control", ("poison_control",)),
    ("Emergency department", ("ed_name", "ed_address", "ed_phone")),
    ("Drive time and route", ("drive_minutes", "route_notes")),
    ("Transfer hospital", ("transfer_hospital",)),
    ("Medical director", ("medical_director_phone",)),
    ("Laser safety officer", ("lso_phone",)),
    ("After hours", ("after_hours_phone",)),
)


@dataclass(frozen=True)
class _Plan:
    facts: SiteFacts
    standing: PlanStanding
    # Whether the signed-in person's acknowledgement takes their PIN (None: not staff here).
    needs_pin: bool | None


def render(user: Principal, code: str) -> None:
    """The section: collapsed once the signed-in person acknowledged this version."""

    def load() -> _Plan:
        with database().read() as session:
            standing = plan_standing(session, code)
            needs = None
            if user.staff_id in standing.staff:
                person = signer(session, site_by_code(session, code), str(user.staff_id))
                needs = pin_needed(user, person)
            return _Plan(site_facts(session, code), standing, needs)

    plan = ui.attempt(load)
    if plan is None:
        return
    standing = plan.standing
    mine = standing.acknowledged.get(user.staff_id or "")
    owed = plan.needs_pin is not None and mine is None
    title = f"Emergency plan (version {standing.short_version})"
    with st.expander(title + (" — please read and acknowledge" if owed else ""), expanded=owed):
        _numbers(plan.facts)
        _roles(plan.facts)
        if mine is not None:
            st.success(f"You acknowledged this version on {mine:%d %B %Y}.")
        elif plan.needs_pin is not None:
            _acknowledge(user, code, standing, plan.needs_pin)
        _waiting(standing)


def _numbers(facts: SiteFacts) -> None:
    lines = []
    for label, fields in NUMBERS:
        values = [_shown(name, facts.contacts.get(name)) for name in fields]
        known = [value for value in values if value]
        lines.append(f"- **{label}:** " + (", ".join(known) if known else "not on file"))
    st.markdown("\n".join(lines))


def _shown(name: str, value: str | None) -> str | None:
    if value and name == "drive_minutes":
        return f"{value} minutes by car"
    return value


def _roles(facts: SiteFacts) -> None:
    """Who does what, per scenario (a scenario's own row, else the every-scenario row)."""
    lines = []
    for scenario in EMERGENCY_SCENARIOS:
        duties = []
        for duty in EMERGENCY_DUTIES:
            who = facts.role(scenario, duty)
            if who is not None:
                duties.append(f"{who.text} {DUTY_PHRASES.get(duty, duty)}")
        if duties:
            lines.append(f"- **{ui.title_of(scenario)}:** " + "; ".join(duties))
    if lines:
        st.markdown("**Who does what**\n\n" + "\n".join(lines))
    else:
        st.caption("No emergency roles are on file for this site yet.")


def _acknowledge(user: Principal, code: str, standing: PlanStanding, needs_pin: bool) -> None:
    """The acknowledgement form for the signed-in member of staff."""
    st.warning(
        "You have not acknowledged this version of the plan yet. Read it here or on the"
        " wall, then sign below."
    )
    PLAN.open()
    with st.form("plan_form"):
        st.checkbox(
            "I have read this emergency plan and know what I do in each emergency.",
            key="plan_read",
        )
        if needs_pin:
            st.text_input("Your PIN", type="password", key="plan_pin")
        submitted = st.form_submit_button(
            "Acknowledge the plan", type="primary", width="stretch", key="plan_submit"
        )
    if not submitted:
        return
    if not st.session_state.get("plan_read"):
        st.error("Tick the box to say you have read the plan, then acknowledge it.")
        return

    def write(key: str) -> str:
        with database().write() as session:
            done = acknowledge_plan(
                session,
                user,
                site_code=code,
                staff_id=str(user.staff_id),
                plan_version=standing.version,
                pin=st.session_state.get("plan_pin") or None,
                now_utc=clock.utc_now(),
                key=key,
            )
            return done.describe()

    PLAN.submit(write)


def _waiting(standing: PlanStanding) -> None:
    waiting = standing.waiting
    if not waiting:
        st.caption("Everyone at this site has acknowledged this version.")
        return
    st.caption(
        f"Not acknowledged yet ({ui.plural(len(waiting), 'person', 'people')}): "
        + ", ".join(waiting)
    )


def download(user: Principal, code: str, key: str) -> None:
    """Prepare the site's wall plan as a PDF, then offer it (built only when asked for)."""
    # reportlab loads only when a plan is asked for, not with every page.
    from readiness.export.plan.download import plan_download

    if st.button("Prepare the plan (PDF, for the wall)", key=f"{key}_prepare"):
        with st.spinner("Building the plan…"):
            data = ui.attempt(lambda: plan_download(database(), user, code, clock.utc_now()))
        st.session_state[f"{key}_file"] = None if data is None else (code, data)
    ready = st.session_state.get(f"{key}_file")
    if ready and ready[0] == code:
        st.download_button(
            "Download the plan",
            ready[1],
            file_name=f"emergency-plan-{ready[0]}.pdf",
            mime="application/pdf",
            key=f"{key}_download",
            on_click="ignore",
        )
