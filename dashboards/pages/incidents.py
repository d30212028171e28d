"""Incidents and corrective actions: trends, retraining flags, log an incident, close actions."""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cached
import ui
from signin import guard
from state import database

from readiness import clock
from readiness.access import Principal
from readiness.errors import UserError
from readiness.models import INCIDENT_TYPES, SEVERITIES, CorrectiveAction, Site
from readiness.models.incident import NO_PROTOCOL
from readiness.policy.handouts import current_protocols
from readiness.rules.identifiers import FREE_TEXT_CAPTION
from readiness.services.corrective_actions import close_corrective_action_as
from readiness.services.followups import complete_followup
from readiness.services.incidents import IncidentReport, log_incident, next_case_ref
from readiness.views.actions import corrective_actions, overdue
from readiness.views.drills import site_staff
from readiness.views.equipment import assets_of
from readiness.views.followups import open_followups
from readiness.views.incidents import DIMENSIONS, incident_log, retraining_flags, trend
from readiness.views.labels import words
from readiness.views.sites import site_clock

FOLLOWUPS = 3
# The protocol choice that leaves it to the incident's type.
TYPES_OWN = ""
PICK = "Choose the action to close from the list."
CHANGED = (
    "That corrective action was closed or changed since the list was drawn; nothing was"
    " recorded. Check the list below and choose again."
)
INCIDENT = ui.Form("inc", keep=("inc_site",))
CLOSE = ui.Form("close")
FOLLOWUP = ui.Form("followup")
FOLLOWUP_GONE = (
    "That follow-up was completed or changed since the list was drawn; nothing was"
    " recorded. Check the list and choose again."
)


def render() -> None:
    """The page for the signed-in user's sites."""
    user = guard("incidents")
    sites = ui.sites_of(user)
    st.title("Incidents and corrective actions")
    ui.flash()
    codes = ui.site_picker(sites, "incidents_site")
    today = max(ui.todays(codes).values())
    policy, _ = cached.rules()

    def load() -> tuple[pd.DataFrame, pd.DataFrame]:
        with database().read() as session:
            return incident_log(session, codes), corrective_actions(session, codes)

    log, actions = ui.read(load)
    st.subheader("Retraining needed")
    rule = policy.settings.incident_retraining
    st.caption(
        f"A type recurring {rule.incidents} times or more at a site within {rule.window_days} days."
    )
    flags = retraining_flags(log, policy, today)
    # Types in words, every one alike ("Burn", "Anaphylaxis"), in the tables and the chart.
    flags, log = (_types_in_words(frame) for frame in (flags, log))
    ui.table(flags, "incidents_flags", empty="No incident type recurs beyond the threshold.")
    _trends(log)
    st.subheader("Incident log")
    ui.table(log, "incidents_log", empty="No incidents recorded.")
    _actions(user, actions, today)
    if user.may("complete_followups"):
        _followup_form(user, codes, today)
    if user.may("log_incident"):
        _incident_form(user, sites, today)


def _types_in_words(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty or "incident_type" not in frame.columns:
        return frame
    return frame.assign(incident_type=frame["incident_type"].map(words))


def _trends(log: pd.DataFrame) -> None:
    """Incidents per month by type, site, device or operator."""
    st.subheader("Trends")
    dimension = st.radio("By", list(DIMENSIONS), horizontal=True, key="incidents_dimension")
    table = trend(log, str(dimension))
    if table.empty:
        st.caption("No incidents recorded.")
        return
    st.bar_chart(table, height=260)


def _actions(user: Principal, actions: pd.DataFrame, today: date) -> None:
    """Open corrective actions, and closing one with its resolution."""
    st.subheader("Open corrective actions")
    shown = actions.assign(overdue=overdue(actions, today)) if not actions.empty else actions
    ui.table(shown, "incidents_actions", empty="No open corrective actions.")
    if actions.empty or not user.may("manage_actions"):
        return
    labels = {
        int(str(r.id)): action_label(r.id, r.site, r.due_on, r.description)
        for r in actions.itertuples()
    }
    CLOSE.open()
    chosen_from = CLOSE.seen(labels) or {}  # the list as the user saw it when they chose
    with st.form("close_action"):
        # The browser sends back the label it showed. A label no longer listed (the action
        # was closed or reworded meanwhile) comes back as that text instead of falling to
        # another action (accept_new_options), and the submit is refused.
        action_id = st.selectbox(
            "Action",
            list(labels),
            format_func=lambda a: labels.get(a, str(a)),
            accept_new_options=True,
            key="close_id",
        )
        resolution = st.text_area("Resolution: what was done", key="close_resolution")
        st.caption(FREE_TEXT_CAPTION)
        closed_by = st.text_input("Closed by (name)", value=user.username, key="close_by")
        submitted = st.form_submit_button("Close action", key="close_submit")
    if not submitted:
        return

    def write(key: str) -> str:
        if not isinstance(action_id, int):  # a label no longer listed, or typed text
            raise UserError(CHANGED if str(action_id).startswith("#") else PICK)
        with database().write() as session:
            # Re-read inside the transaction: close the action as the user saw it, or nothing.
            now = session.get(CorrectiveAction, action_id)
            if (
                now is None
                or now.status != "open"
                or chosen_from.get(action_id)
                != action_label(
                    now.id, site_code(session, now.site_id), now.due_on, now.description
                )
            ):
                raise UserError(CHANGED)
            close_corrective_action_as(
                session, user, action_id, resolution, closed_by, clock.utc_now()
            )
        return f"Closed corrective action {chosen_from[action_id]}."

    CLOSE.submit(write)


def _followup_form(user: Principal, codes: list[str], today: date) -> None:
    """Mark a scheduled follow-up done, with what it found: its reminders stop."""
    st.subheader("Follow-ups to do")

    def load() -> dict[int, str]:
        with database().read() as session:
            return open_followups(session, codes)

    due = ui.read(load)
    if not due:
        st.caption("No follow-ups to do.")
        return
    FOLLOWUP.open()
    chosen_from = FOLLOWUP.seen(due)  # the list as the user saw it when they chose
    with st.form("followup_form"):
        # As in the close form: a label no longer listed comes back as text and is refused.
        followup_id = st.selectbox(
            "Follow-up",
            list(due),
            format_func=lambda f: due.get(f, str(f)),
            accept_new_options=True,
            key="followup_id",
        )
        done_on = st.date_input(
            "Done on", value=today, max_value=today, format="YYYY-MM-DD", key="followup_on"
        )
        note = st.text_area("What the follow-up found", key="followup_note")
        st.caption(FREE_TEXT_CAPTION)
        submitted = st.form_submit_button("Mark done", key="followup_submit")
    if not submitted:
        return

    def write(key: str) -> str:
        chosen = int(ui.still_listed(followup_id, chosen_from, due, FOLLOWUP_GONE))
        with database().write() as session:
            complete_followup(
                session,
                user,
                followup_id=chosen,
                done_on=done_on if isinstance(done_on, date) else today,
                note=note,
                today=today,
            )
        return f"Marked the follow-up of {due[chosen]} done on {done_on}."

    FOLLOWUP.submit(write)


def action_label(number: object, site: object, due_on: object, description: object) -> str:
    """How the close form names an action: what the user reads is what gets closed."""
    return f"#{number} {site} · due {due_on} · {str(description or '')[:80]}"


def site_code(session: Session, site_pk: int) -> str:
    """The code of a site, by primary key."""
    site = session.get(Site, site_pk)
    return site.code if site is not None else ""


def _incident_form(user: Principal, sites: dict[str, str], today: date) -> None:
    """Log an incident with a pseudonymous case reference."""
    st.subheader("Log an incident")
    site = st.selectbox(
        "Site of the incident",
        list(sites),
        format_func=lambda c: f"{c} — {sites[c]}",
        key="inc_site",
    )

    def load() -> tuple[dict[str, str], dict[str, str], str, datetime]:
        with database().read() as session:
            return (
                assets_of(session, [str(site)]),
                site_staff(session, str(site)),
                next_case_ref(session, today.year),
                site_clock(session, str(site), clock.utc_now()),
            )

    assets, people, suggested, local_now = ui.read(load)
    st.caption("Never write the patient's name or date of birth: use the case reference only.")
    INCIDENT.open()
    with st.form("incident_form"):
        left, mid, right = st.columns(3)
        occurred_on = left.date_input(
            "Date",
            value=local_now.date(),
            max_value=local_now.date(),
            format="YYYY-MM-DD",
            key="inc_on",
        )
        occurred_time = mid.time_input("Time (site clock)", value=local_now.time(), key="inc_time")
        case_ref = right.text_input("Case reference", value=suggested, key="inc_ref")
        kind = left.selectbox("Type", INCIDENT_TYPES, format_func=words, key="inc_type")
        severity = mid.selectbox("Severity", SEVERITIES, format_func=words, key="inc_severity")
        device = right.selectbox(
            "Device",
            ["", *assets],
            format_func=lambda a: assets.get(a, "(none)"),
            key="inc_device",
        )
        operator = left.selectbox(
            "Operator",
            ["", *people],
            format_func=lambda p: people.get(p, "(none)"),
            key="inc_operator",
        )
        referral = mid.text_input("Referral", key="inc_referral")
        mid.caption(FREE_TEXT_CAPTION)
        transferred = right.checkbox("Transferred to hospital", key="inc_transferred")
        description = st.text_area("What happened", key="inc_description")
        st.caption(FREE_TEXT_CAPTION)
        actions_taken = st.text_area("Actions taken", key="inc_actions")
        st.caption(FREE_TEXT_CAPTION)
        protocol, protocol_reason = _protocol_fields()
        columns = st.columns(FOLLOWUPS)
        followups = [
            column.date_input(
                f"Follow-up {n + 1}",
                value=None,
                min_value=today - timedelta(days=366),
                format="YYYY-MM-DD",
                key=f"inc_follow_{n}",
            )
            for n, column in enumerate(columns)
        ]
        reportable = st.checkbox("Possibly reportable to the state", key="inc_reportable")
        submitted = st.form_submit_button("Log incident", type="primary", key="inc_submit")
    if not submitted:
        return

    def write(key: str) -> str:
        report = IncidentReport(
            site_code=str(site),
            occurred_at=datetime.combine(
                occurred_on if isinstance(occurred_on, date) else today,
                occurred_time or local_now.time(),
            ),
            case_ref=case_ref,
            incident_type=str(kind),
            severity=str(severity),
            asset_id=str(device) or None,
            operator_staff_id=str(operator) or None,
            description=description,
            actions_taken=actions_taken,
            referral=referral,
            transferred=bool(transferred),
            possibly_reportable=bool(reportable),
            followups=tuple(d for d in followups if isinstance(d, date)),
            protocol=str(protocol or "") or None,
            protocol_reason=protocol_reason,
        )
        protocols = current_protocols()
        with database().write() as session:
            logged = log_incident(
                session,
                user,
                report,
                now_utc=clock.utc_now(),
                policy=cached.rules()[0],
                protocols=protocols,
            )
            incident = logged.incident
            line = f"Logged incident {incident.case_ref} at {sites[str(site)]}."
        followed = protocols.followed_text(incident.protocol, incident.protocol_reason)
        version = f" (version {incident.protocol_version})" if incident.protocol_version else ""
        line += f" Protocol followed: {followed}{version}."
        return f"{line} {logged.reporting}" if logged.reporting else line

    INCIDENT.submit(write)


def _protocol_fields() -> tuple[str | None, str]:
    """Which protocol the team followed (by default the one for the type), and why not."""
    titles = {name: p.title for name, p in current_protocols().protocols.items()}
    options = {
        TYPES_OWN: "The one for the type (e.g. a burn: the laser burn protocol)",
        **titles,
        NO_PROTOCOL: "None followed (say why below)",
    }
    protocol = st.selectbox(
        "Protocol followed",
        list(options),
        format_func=lambda name: options.get(name, str(name)),
        key="inc_protocol",
        help="Its version is recorded with the incident, as printed in the plan.",
    )
    reason = st.text_input(
        "If no protocol, or another, was followed: why", key="inc_protocol_reason"
    )
    st.caption(FREE_TEXT_CAPTION)
    return protocol, reason


render()
