"""Today: the checklists a site owes today; fill one in, sign and submit it on a tablet.

The page only gathers input and shows results: slots come from
`readiness.checklist.due_slots`, submission from `submit_checklist`. The form's
idempotency key is made when a checklist is opened, so a double tap or a retry
records one run.
"""

from __future__ import annotations

import logging
import sys
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cached
from signin import guard
from state import database

from readiness import clock
from readiness.access import Principal
from readiness.checklist import Slot, due_slots, templates_in_force
from readiness.checklist.lookup import active_sites, signers_of, site_by_code
from readiness.errors import UserError
from readiness.models import Staff
from readiness.policy.answers import AnswerError
from readiness.policy.templates import Item, Template
from readiness.rules.identifiers import FREE_TEXT_CAPTION
from readiness.rules.slots import site_today
from readiness.services.permitted import submit_checklist_as

LOG = logging.getLogger("readiness.dashboards.today")
STATUS_BADGES = {
    "pending": ":blue-background[pending]",
    "done": ":green-background[done]",
    "late": ":orange-background[done late]",
    "overdue": ":red-background[overdue]",
}
PASS, FAIL = "Pass", "Fail"
UNEXPECTED = (
    "Something went wrong and nothing was recorded. Try again; if it keeps happening,"
    " tell the compliance officer."
)
# Bigger radio targets and buttons for fingers on a tablet.
TOUCH_CSS = """
<style>
div[role="radiogroup"] label { font-size: 1.15rem; padding: 0.35rem 1.1rem 0.35rem 0; }
div[role="radiogroup"] label div:first-child { transform: scale(1.35); }
button[kind="primaryFormSubmit"] { min-height: 3.2rem; font-size: 1.15rem; }
</style>
"""


@dataclass
class Outcome:
    """What the last submission showed: a confirmation (with its actions) or an error."""

    kind: str
    text: str
    actions: list[str] = field(default_factory=list)


def render(user: Principal) -> None:
    """The whole page, for the sites the signed-in user covers (their own site preselected)."""
    st.title("Today")
    # Style only (no markup, no script): st.html places a lone <style> without raw markdown HTML.
    st.html(TOUCH_CSS)
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
            # Its own staff and anyone assigned to work there today.
            people = signers_of(session, site, day)
    except UserError as error:
        st.error(str(error))
        return
    except Exception:  # a clinic tablet shows a sentence, never a traceback
        LOG.exception("Today page could not read %s", code)
        st.error(f"Today's checklists for {code} could not be read. Try again in a moment.")
        return
    st.caption(f"{site.name} · {day:%A %d %B %Y} · {site.timezone}")
    _show_outcome()
    if not slots:
        st.info(f"{code} owes no checklists today (closed, or nothing scheduled).")
        return
    _list_slots(slots)
    slot = _pick_slot(slots)
    if slot is None:
        return
    if slot.done:
        st.info(
            f"Done by {slot.done_by} (run {slot.run_id}). To correct it, amend it with a reason:"
            f" `readiness checklist amend {slot.run_id} --answers FILE --reason TEXT`."
        )
        return
    _form(user, slot, people, day)


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


def _pick_slot(slots: list[Slot]) -> Slot | None:
    """The slot selectbox: values are slot keys, so labels may change without losing the choice."""
    by_key = {slot.key: slot for slot in slots}
    chosen = st.selectbox(
        "Checklist",
        list(by_key),
        index=None,
        format_func=lambda key: _slot_label(by_key[key]),
        placeholder="Choose a checklist to fill in",
        key="today_slot",
        on_change=_forget_outcome,
    )
    return by_key.get(str(chosen)) if chosen is not None else None


def _slot_label(slot: Slot) -> str:
    """E.g. "Laser pre-use safety check — L-1"."""
    return f"{slot.template.title} — {slot.asset_id}" if slot.asset_id else slot.template.title


# --- the form --------------------------------------------------------------------------


def _form(user: Principal, slot: Slot, people: list[Staff], day: date) -> None:
    """The checklist's items, signer and PIN, and the Sign and submit button."""
    _open_form(slot)
    problems: dict[str, str] = st.session_state.get("today_problems", {})
    names = {person.staff_id: person.full_name for person in people}
    with st.form("today_form"):
        st.subheader(_slot_label(slot))
        if slot.template.description:
            st.caption(slot.template.description)
        st.caption("Notes: " + FREE_TEXT_CAPTION)  # one line covers every item's note
        for item in slot.template.items:
            _item_widget(item)
            if item.id in problems:
                st.error(problems[item.id])
        st.divider()
        st.selectbox(
            "Signed by",
            list(names),
            index=None,
            format_func=lambda staff_id: f"{names[staff_id]} ({staff_id})",
            placeholder="Who did this check?",
            key="today_staff",
        )
        if "today_staff" in problems:
            st.error(problems["today_staff"])
        st.text_input("PIN (if you have one)", type="password", key="today_pin")
        st.form_submit_button(
            "Sign and submit",
            type="primary",
            width="stretch",
            key="today_submit",
            on_click=_submit,
            args=(user, slot.site_code, slot.template, slot.asset_id, day),
        )


def _open_form(slot: Slot) -> None:
    """A new form (fresh answers and idempotency key) whenever another slot is opened."""
    if st.session_state.get("today_form_slot") == slot.key:
        return
    for name in [k for k in st.session_state if str(k).startswith(("item_", "note_"))]:
        del st.session_state[name]
    st.session_state["today_form_slot"] = slot.key
    st.session_state["today_form_key"] = f"today:{uuid.uuid4()}"
    st.session_state["today_problems"] = {}


def _item_widget(item: Item) -> None:
    """A large control for the item's type, and its note."""
    key, label = f"item_{item.id}", item.text
    if item.type == "pass_fail":
        st.radio(label, [PASS, FAIL], index=None, horizontal=True, key=key, help=item.help)
    elif item.type == "number":
        unit = f" ({item.unit})" if item.unit else ""
        st.number_input(label + unit, value=None, step=1.0, key=key, help=item.help)
    elif item.type == "count":
        st.number_input(label, min_value=0, value=None, step=1, key=key, help=item.help)
    elif item.type == "date":
        st.date_input(label, value=None, format="YYYY-MM-DD", key=key, help=item.help)
    else:
        st.text_input(label, key=key, help=item.help)
        st.caption(FREE_TEXT_CAPTION)
    st.text_input(
        f"Note on: {item.text}",
        key=f"note_{item.id}",
        placeholder="Note (what you saw, what you did)",
        label_visibility="collapsed",
    )


# --- submission (runs as the button's callback, before the page is drawn again) ---------


def _submit(
    user: Principal, site_code: str, template: Template, asset_id: str | None, day: date
) -> None:
    """Submit the form's answers as the signed-in user; keep the outcome for the next draw."""
    state = st.session_state
    state["today_problems"] = {}
    staff_id = state.get("today_staff")
    if not staff_id:
        state["today_problems"] = {"today_staff": "Choose who did this check."}
        state["today_outcome"] = Outcome("error", "Choose who did this check, then sign.")
        return
    try:
        with database().write() as session:
            submission = submit_checklist_as(
                session,
                user,
                site_code=site_code,
                template_id=template.id,
                staff_id=str(staff_id),
                answers=answers_from_state(template, state),
                slot_date=day,
                asset_id=asset_id,
                key=state.get("today_form_key"),
                pin=state.get("today_pin") or None,
                now_utc=clock.utc_now(),
                templates={template.id: template},
            )
            actions = [
                f"#{a.id} ({a.severity}, due {a.due_on}): {a.description}"
                for a in submission.actions
            ]
            state["today_outcome"] = Outcome("success", submission.describe(), actions)
        cached.after_write()  # the overview shows the new run at once
    except AnswerError as error:
        state["today_problems"] = _problems_by_item(error)
        state["today_outcome"] = Outcome("error", "Some answers need attention (see below).")
    except UserError as error:
        state["today_outcome"] = Outcome("error", str(error))
    except Exception:  # never a traceback on the tablet
        LOG.exception("checklist submission failed")
        state["today_outcome"] = Outcome("error", UNEXPECTED)


def answers_from_state(template: Template, state: Any) -> dict[str, object]:
    """The `{item_id: value, "item_id.note": text}` answers from the form's widgets."""
    answers: dict[str, object] = {}
    for item in template.items:
        value = _answer(item, state.get(f"item_{item.id}"))
        if value is not None:
            answers[item.id] = value
        note = (state.get(f"note_{item.id}") or "").strip()
        if note:
            answers[f"{item.id}.note"] = note
    return answers


def _answer(item: Item, raw: object) -> object:
    """A widget's value as the answers format has it (None: not answered)."""
    if raw is None:
        return None
    if item.type == "pass_fail":
        return raw == PASS
    if item.type == "count" and isinstance(raw, int | float):
        return int(raw)
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, str):
        return raw.strip() or None
    return raw


def _problems_by_item(error: AnswerError) -> dict[str, str]:
    """Each problem under its item: "o2_psi: ..." goes below the o2_psi control."""
    problems: dict[str, str] = {}
    for problem in error.problems:
        problems[problem.item_id] = (
            problems.get(problem.item_id, "") + " " + problem.for_people
        ).strip()
    return problems


def _forget_outcome() -> None:
    """Another site or checklist was chosen: the last confirmation no longer applies."""
    st.session_state.pop("today_outcome", None)


def _show_outcome() -> None:
    """The last submission's confirmation or error."""
    outcome: Outcome | None = st.session_state.get("today_outcome")
    if outcome is None:
        return
    if outcome.kind == "success":
        st.success(outcome.text)
        for action in outcome.actions:
            st.warning(f"Corrective action {action}")
    else:
        st.error(outcome.text)


render(guard("today"))
