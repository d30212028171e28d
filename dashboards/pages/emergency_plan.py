"""Emergency plan: a site's numbers, places and roles in force today, what the wall plan is
missing, the plan's PDF, a form to change them from a date with a reason (officers), and
every dated version."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import plan_section
import ui
from signin import guard
from state import database

from readiness import clock
from readiness.access import Principal
from readiness.export.plan.facts import CONTACT_FIELDS, DUTY_WORDS
from readiness.export.plan.page import SitePlanModel, site_plan
from readiness.models import EMERGENCY_DUTIES, EMERGENCY_SCENARIOS
from readiness.models.site_contact import CONTACT_VALUES, EVERY_SCENARIO
from readiness.services.site_contacts import change_site_plan_as

PLAN_EDIT = ui.Form("planedit", keep=())
OVERRIDE_NONE = ""


def render() -> None:
    """The page for the signed-in user's sites."""
    user = guard("emergency_plan")
    sites = ui.sites_of(user)
    st.title("Emergency plan")
    ui.flash()
    (code,) = ui.site_picker(sites, "plan_site", all_label=None)

    def load() -> SitePlanModel:
        with database().read() as session:
            return site_plan(session, code, clock.utc_now())

    model = ui.read(load)
    st.caption(
        f"What the wall plan of {code} says today ({model.today:%d %B %Y}). Changes are kept"
        " as dated versions: the plan of any past day can still be printed as it was."
    )
    _missing(model)
    _numbers(model)
    st.subheader("Who does what")
    ui.table(model.who_does_what, "plan_roles")
    plan_section.download(user, code, "plan_page")
    if user.may("edit_site_plan"):
        _change_form(user, model)
    st.subheader("Versions")
    ui.table(model.history, "plan_history", empty="Nothing recorded for this site yet.")


def _missing(model: SitePlanModel) -> None:
    """The gaps the wall plan prints in red."""
    if not model.missing:
        st.success("Nothing is missing: every number, place and duty is on file.")
        return
    lines = "\n".join(f"- {line}" for line in model.missing)
    st.warning(f"**The wall plan prints these in red, as missing:**\n\n{lines}")


def _numbers(model: SitePlanModel) -> None:
    """Numbers and places as the wall plan prints them."""
    st.subheader("Numbers and places")
    lines = []
    for name in CONTACT_FIELDS:
        value = model.facts.contacts.get(name)
        if value and name == "drive_minutes":
            value = f"{value} minutes by car"
        shown = value if value else f":red[No {CONTACT_FIELDS[name]} on file]"
        lines.append(f"- **{_label(name)}:** {shown}")
    st.markdown("\n".join(lines))


def _label(name: str) -> str:
    words = CONTACT_FIELDS[name]
    return words[0].upper() + words[1:]


def _change_form(user: Principal, model: SitePlanModel) -> None:
    """Change numbers, places and roles from a day on, with a reason."""
    st.subheader("Change the plan from a date")
    # Keys name the version drawn: after a change the form starts from the new values.
    at = f"planedit_{model.code}_{model.token.replace(':', '_')}_"
    PLAN_EDIT.open()
    choices = model.choices
    with st.form("plan_edit_form"):
        left, right = st.columns(2)
        since = left.date_input(
            "In force from", value=model.today, format="YYYY-MM-DD", key=at + "from"
        )
        reason = right.text_input("Reason for the change", key=at + "reason")
        st.markdown("**Numbers and places**")
        values: dict[str, Any] = {}
        halves = st.columns(2)
        for n, name in enumerate(CONTACT_VALUES):
            place = halves[n % 2]
            current = model.values.get(name)
            if name == "drive_minutes":
                values[name] = place.number_input(
                    "Drive time (minutes)", min_value=0, value=current, step=1, key=at + name
                )
            else:
                values[name] = place.text_input(_label(name), value=current or "", key=at + name)
        st.markdown("**Who does what, in every scenario**")
        every: dict[tuple[str, str], str] = {}
        columns = st.columns(len(EMERGENCY_DUTIES))
        for place, duty in zip(columns, EMERGENCY_DUTIES, strict=True):
            now = model.roles.get((EVERY_SCENARIO, duty), "")
            every[(EVERY_SCENARIO, duty)] = place.selectbox(
                DUTY_WORDS[duty],
                list(choices),
                index=list(choices).index(now),
                format_func=choices.__getitem__,
                key=at + "every_" + duty,
            )
        override = _override_fields(model, at)
        submitted = st.form_submit_button(
            "Record the new version", type="primary", key=at + "submit"
        )
    if not submitted:
        return
    roles = {**every, **override}

    def write(_key: str) -> str:
        with database().write() as session:
            change = change_site_plan_as(
                session,
                user,
                site_code=model.code,
                effective_from=since if isinstance(since, date) else model.today,
                reason=str(reason or ""),
                contacts=values,
                roles=roles,
                based_on=model.token,
            )
            return change.describe()

    PLAN_EDIT.submit(write)


def _override_fields(model: SitePlanModel, at: str) -> dict[tuple[str, str], str]:
    """One scenario's own assignee for one duty (or back to the every-scenario one)."""
    st.markdown("**Someone else for one scenario** (optional)")
    left, mid, right = st.columns(3)
    scenario = left.selectbox(
        "Scenario",
        [OVERRIDE_NONE, *EMERGENCY_SCENARIOS],
        format_func=lambda s: "No change" if s == OVERRIDE_NONE else ui.title_of(s),
        key=at + "ov_scenario",
    )
    duty = mid.selectbox(
        "Duty", list(EMERGENCY_DUTIES), format_func=DUTY_WORDS.__getitem__, key=at + "ov_duty"
    )
    options = {"": "Same as every scenario", **{k: v for k, v in model.choices.items() if k}}
    who = right.selectbox("Who", list(options), format_func=options.__getitem__, key=at + "ov_who")
    if scenario == OVERRIDE_NONE:
        return {}
    return {(str(scenario), str(duty)): str(who)}


render()
