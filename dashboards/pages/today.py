"""Today: the checklists a site owes today; fill one in, sign and submit it on a tablet;
correct one's own run with a reason; read and acknowledge the site's emergency plan.

The page only gathers input and shows results: slots come from
`readiness.checklist.due_slots`, writes go through `readiness.services.signing` (the
signed-in person signs as themself; anyone else's name takes that person's PIN). Forms
use the shared `ui.Form`: the idempotency key is made when a checklist is opened, so a
double tap or a retry records one run, and the answers clear after a success.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import checklist_form
import checklist_outcome
import plan_section
import run_correction
import ui
from signin import guard
from state import database

from readiness import clock
from readiness.access import Principal
from readiness.checklist import Slot, due_slots, templates_in_force
from readiness.checklist.lookup import active_sites, signers_of, site_by_code
from readiness.errors import UserError
from readiness.models import Staff
from readiness.policy.answers import AnswerError
from readiness.policy.current import current_policy
from readiness.policy.templates import Template
from readiness.rules.slots import site_today
from readiness.services.signing import prepare_signed, record_signed
from readiness.views.treatment_checklists import TreatmentChecklist, treatment_checklists

LOG = logging.getLogger("readiness.dashboards.today")
CHECK = ui.Form("today", prefix="item_")
STATUS_BADGES = {
    "pending": ":blue-background[pending]",
    "done": ":green-background[done]",
    "late": ":orange-background[done late]",
    "overdue": ":red-background[overdue]",
}
# Bigger radio targets and buttons for fingers on a tablet.
TOUCH_CSS = """
<style>
div[role="radiogroup"] label { font-size: 1.15rem; padding: 0.35rem 1.1rem 0.35rem 0; }
div[role="radiogroup"] label div:first-child { transform: scale(1.35); }
button[kind="primaryFormSubmit"] { min-height: 3.2rem; font-size: 1.15rem; }
</style>
"""


def render(user: Principal) -> None:
    """The whole page, for the sites the signed-in user covers (their own site preselected)."""
    st.title("Today")
    # Style only (no markup, no script): st.html places a lone <style> without raw markdown HTML.
    st.html(TOUCH_CSS)
    checklist_outcome.show()
    try:
        templates = templates_in_force()
        with database().read() as session:
            sites = {s.code: s.name for s in active_sites(session) if user.covers(s.code)}
    except UserError as error:
        st.error(str(error))
        return
    except Exception:  # a clinic tablet shows a sentence, never a traceback
        LOG.exception("Today page could not load")
        st.error("The database could not be read. Ask the office to run `readiness init`.")
        return
    if not sites:
        st.info("No sites yet. Import your spreadsheets with `readiness import --dir DIR`.")
        return
    code = _pick_site(sites, user.site_codes[0] if user.site_codes else None)
    plan_section.render(user, code)
    _show_day(user, code, templates)


def _pick_site(sites: dict[str, str], preselected: str | None) -> str:
    """The site selectbox; a preselected site is chosen first."""
    codes = list(sites)
    index = codes.index(preselected) if preselected in sites else 0
    chosen = st.selectbox(
        "Site",
        codes,
        index=index,
        format_func=lambda c: f"{c} — {sites[c]}",
        key="today_site",
        on_change=_forget_outcome,
    )
    return str(chosen)


def _show_day(user: Principal, code: str, templates: dict[str, Template]) -> None:
    """Today's slots at the site, and the form of the chosen one."""
    now = clock.utc_now()
    try:
        with database().read() as session:
            site = site_by_code(session, code)
            day = site_today(now, site.timezone)
            slots = due_slots(session, code, day, now, templates)
            each = treatment_checklists(session, code, templates)
            # Its own staff and anyone assigned to work there today.
            people = signers_of(session, site, day)
    except UserError as error:
        st.error(str(error))
        return
    except Exception:  # a clinic tablet shows a sentence, never a traceback
        LOG.exception("Today page could not read %s", code)
        st.error(f"Today's checklists for {code} could not be read. Try again in a moment.")
        return
    st.subheader("Checklists")
    st.caption(f"{site.name} · {day:%A %d %B %Y} · {site.timezone}")
    if slots:
        _list_slots(slots)
    else:
        st.info(f"{code} owes no checklists today (closed, or nothing scheduled).")
    chosen = _pick(slots, each)
    if isinstance(chosen, Slot) and chosen.done:
        run_correction.render(user, chosen, _label(chosen))
    elif chosen is not None:
        _form(user, _target(chosen), people, day)


def _list_slots(slots: list[Slot]) -> None:
    """One line per slot with its coloured state."""
    for slot in slots:
        due = _due_text(slot)
        subject = f" · {slot.asset_id}" if slot.asset_id else ""
        done = f" · {slot.done_by}" if slot.done_by else ""
        st.markdown(
            f"{STATUS_BADGES[slot.status]} **{slot.template.title}**{subject}"
            f" · due {due}{_period_note(slot)}{done}"
        )


def _due_text(slot: Slot) -> str:
    """ "10:00" today, or the day a weekly or monthly slot falls due."""
    time = slot.template.due_by.strftime("%H:%M") if slot.template.due_by else None
    if slot.due_on == slot.day:
        return time or "end of day"
    return f"{slot.due_on:%a %d %b}" + (f" {time}" if time else "")


def _period_note(slot: Slot) -> str:
    """For weekly and monthly slots, which period they belong to."""
    if slot.template.frequency == "daily":
        return ""
    return f" · {slot.template.frequency}, since {slot.slot_date:%d %b}"


def _pick(slots: list[Slot], each: list[TreatmentChecklist]) -> Slot | TreatmentChecklist | None:
    """The checklist selectbox: today's slots, then those done before each treatment.

    Values are keys, so labels may change without losing the choice.
    """
    by_key: dict[str, Slot | TreatmentChecklist] = {slot.key: slot for slot in slots}
    by_key |= {checklist.key: checklist for checklist in each}
    chosen = st.selectbox(
        "Checklist",
        list(by_key),
        index=None,
        format_func=lambda key: _label(by_key[key]),
        placeholder="Choose a checklist to fill in",
        key="today_slot",
        on_change=_forget_outcome,
    )
    return by_key.get(str(chosen)) if chosen is not None else None


def _label(chosen: Slot | TreatmentChecklist) -> str:
    """E.g. "Laser pre-use safety check — L-1", "Pre-procedure time-out — L-1 (each treatment)"."""
    title = chosen.template.title
    shown = f"{title} — {chosen.asset_id}" if chosen.asset_id else title
    return shown if isinstance(chosen, Slot) else f"{shown} (each treatment)"


@dataclass(frozen=True)
class _Target:
    """What a new run is for: a slot of today, or one treatment."""

    key: str
    template: Template
    site_code: str
    asset_id: str | None
    label: str


def _target(chosen: Slot | TreatmentChecklist) -> _Target:
    return _Target(chosen.key, chosen.template, chosen.site_code, chosen.asset_id, _label(chosen))


# --- a new run -----------------------------------------------------------------------


def _form(user: Principal, slot: _Target, people: list[Staff], day: date) -> None:
    """The checklist's items, signer and PIN, and the Sign and submit button."""
    _open_form(slot, user, people)
    problems: dict[str, str] = st.session_state.get("today_problems", {})
    names = {person.staff_id: person.full_name for person in people}
    with st.form("today_form"):
        st.subheader(slot.label)
        if slot.template.description:
            st.caption(slot.template.description)
        checklist_form.items(slot.template, problems)
        st.divider()
        st.selectbox(
            "Signed by",
            list(names),
            format_func=lambda staff_id: _signer_label(staff_id, names, user),
            placeholder="Who did this check?",
            key="today_staff",
        )
        if "today_staff" in problems:
            st.error(problems["today_staff"])
        st.text_input(_pin_label(user, names), type="password", key="today_pin")
        submitted = st.form_submit_button(
            "Sign and submit", type="primary", width="stretch", key="today_submit"
        )
    if submitted:
        _submit(user, slot, day)


def _signer_label(staff_id: str, names: dict[str, str], user: Principal) -> str:
    """ "Ana Lopez (S-1) — you"; the id tells two people of one name apart."""
    return f"{names[staff_id]} ({staff_id})" + (" — you" if staff_id == user.staff_id else "")


def _pin_label(user: Principal, names: dict[str, str]) -> str:
    """The PIN field's label: when it is needed, in words."""
    if current_policy().settings.signature_pin_always:
        return "PIN of the person signing (every signature takes a PIN here)"
    if user.staff_id in names:
        return "PIN (only when signing for someone else: their PIN)"
    return "PIN of the person signing"


def _open_form(slot: _Target, user: Principal, people: list[Staff]) -> None:
    """A new form (fresh answers, signer and idempotency key) whenever another slot is opened."""
    state = st.session_state
    if state.get("today_form_slot") != slot.key:
        for name in [k for k in state if str(k).startswith(("item_", "note_", "today_pin"))]:
            del state[name]
        state.pop("today_form_key", None)
        state["today_form_slot"] = slot.key
        state["today_problems"] = {}
        # The signed-in person signs by default; another name takes that person's PIN.
        ids = [person.staff_id for person in people]
        state["today_staff"] = user.staff_id if user.staff_id in ids else None
    CHECK.open()


def _submit(user: Principal, slot: _Target, day: date) -> None:
    """Submit the form's answers as the signed-in user; keep the outcome for the next draw."""
    state = st.session_state
    state["today_problems"] = {}
    staff_id = state.get("today_staff")
    if not staff_id:
        state["today_problems"] = {"today_staff": "Choose who did this check."}
        checklist_outcome.refused("Choose who did this check, then sign.")
    template = slot.template

    def write(key: str) -> str:
        try:
            # Checked and signed in a read session; only the recording takes the
            # writers' lock, so tablets submitting at once do not queue for reads.
            with database().read() as session:
                prepared = prepare_signed(
                    session,
                    user,
                    site_code=slot.site_code,
                    template_id=template.id,
                    staff_id=str(staff_id),
                    answers=checklist_form.answers_from_state(template, state),
                    pin=state.get("today_pin") or None,
                    now_utc=clock.utc_now(),
                    slot_date=day,
                    asset_id=slot.asset_id,
                    key=key,
                    templates={template.id: template},
                )
            with database().write() as session:
                submission = record_signed(session, user, prepared)
                outcome = checklist_outcome.of(submission, slot.label)
        except AnswerError as error:
            state["today_problems"] = checklist_form.problems_by_item(error)
            checklist_outcome.refused(checklist_form.attention(template, error))
        except UserError as error:
            checklist_outcome.refused(str(error))
        state[checklist_outcome.KEY] = outcome
        state.pop("today_pin", None)  # a shared tablet keeps no PIN
        state.pop("today_form_slot", None)  # the next treatment starts from a blank form
        return outcome.text

    CHECK.submit(write)


# --- outcome -------------------------------------------------------------------------


def _forget_outcome() -> None:
    """Another site or checklist was chosen: the last confirmation no longer applies."""
    st.session_state.pop(checklist_outcome.KEY, None)


render(guard("today"))
