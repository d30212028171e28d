"""A checklist's items as large touch controls, read back as the answers format, and the
problems of a refused submission placed under the controls, in the labels' words.

Used by the Today page for a new run and for correcting one (`prefix` keeps the two
forms' widgets apart).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import streamlit as st

from readiness.policy.answers import AnswerError
from readiness.policy.handouts import handout_versions
from readiness.policy.templates import NOTE_SUFFIX, Item, Template
from readiness.rules.identifiers import FREE_TEXT_CAPTION

PASS, FAIL = "Pass", "Fail"


def item_key(item_id: str, prefix: str = "") -> str:
    """The widget key of an item's control, e.g. "item_o2_psi"."""
    return f"{prefix}item_{item_id}"


def note_key(item_id: str, prefix: str = "") -> str:
    """The widget key of an item's note."""
    return f"{prefix}note_{item_id}"


def label(item: Item) -> str:
    """What the control is called on screen: the item's text, with its unit."""
    return f"{item.text} ({item.unit})" if item.type == "number" and item.unit else item.text


def items(template: Template, problems: Mapping[str, str], prefix: str = "") -> None:
    """Every item's control and note, each item's problem right under it."""
    st.caption("Notes: " + FREE_TEXT_CAPTION)  # one line covers every item's note
    for item in template.items:
        control(item, prefix)
        if item.id in problems:
            st.error(problems[item.id])


def control(item: Item, prefix: str = "") -> None:
    """A large control for the item's type, and its note."""
    key, shown = item_key(item.id, prefix), label(item)
    if item.type == "pass_fail":
        st.radio(shown, [PASS, FAIL], index=None, horizontal=True, key=key, help=item.help)
    elif item.type == "number":
        # "%g": 1800 psi reads 1800, 21.5 °C reads 21.5 (the default shows 1800.00).
        st.number_input(shown, value=None, step=1.0, format="%g", key=key, help=item.help)
    elif item.type == "count":
        st.number_input(shown, min_value=0, value=None, step=1, key=key, help=item.help)
    elif item.type == "date":
        st.date_input(shown, value=None, format="YYYY-MM-DD", key=key, help=item.help)
    elif item.type == "handout":
        _handout(item, key, shown)
    else:
        # A seal's box starts empty: the number is read off the tag, never copied.
        st.text_input(shown, key=key, help=item.help)
    st.text_input(
        f"Note on: {item.text}",
        key=note_key(item.id, prefix),
        placeholder="Note (what you saw, what you did)",
        label_visibility="collapsed",
    )


def _handout(item: Item, key: str, shown: str) -> None:
    """The handouts the clinic gives now, by title and the version printed on them."""
    offered = handout_versions()
    recorded = st.session_state.get(key)
    if isinstance(recorded, str) and recorded not in offered:
        offered = {recorded: "An earlier handout"} | offered  # as recorded, when correcting
    st.selectbox(
        shown,
        list(offered),
        index=None,
        format_func=lambda version: f"{offered[version]} (version {version})",
        placeholder="Choose the handout you gave",
        key=key,
        help=item.help,
    )


def answers_from_state(template: Template, state: Any, prefix: str = "") -> dict[str, object]:
    """The `{item_id: value, "item_id.note": text}` answers from the form's widgets."""
    answers: dict[str, object] = {}
    for item in template.items:
        value = _answer(item, state.get(item_key(item.id, prefix)))
        if value is not None:
            answers[item.id] = value
        note = (state.get(note_key(item.id, prefix)) or "").strip()
        if note:
            answers[item.id + NOTE_SUFFIX] = note
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


def widget_values(template: Template, answers: Mapping[str, object]) -> dict[str, object]:
    """Widget values (without prefix) showing recorded answers, for correcting a run."""
    values: dict[str, object] = {}
    for item in template.items:
        value = answers.get(item.id)
        if value is not None:
            values[item_key(item.id)] = _widget_value(item, value)
        note = answers.get(item.id + NOTE_SUFFIX)
        if note:
            values[note_key(item.id)] = str(note)
    return values


def _widget_value(item: Item, value: object) -> object:
    if item.type == "pass_fail":
        return PASS if value else FAIL
    if item.type == "date" and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def problems_by_item(error: AnswerError) -> dict[str, str]:
    """Each problem under its item ("kit_seal.note" goes below the kit seal's controls)."""
    problems: dict[str, str] = {}
    for problem in error.problems:
        problems[problem.item_id] = (
            problems.get(problem.item_id, "") + " " + problem.for_people
        ).strip()
    return problems


def attention(template: Template, error: AnswerError) -> str:
    """The summary above the form: which answers, by their labels, need attention."""
    named: list[str] = []
    for problem in error.problems:
        item = template.items_by_id.get(problem.item_id)
        if item is None:
            continue
        shown = f"the note on {item.text}" if problem.field.endswith(NOTE_SUFFIX) else label(item)
        if shown not in named:
            named.append(shown)
    if not named:
        return "Some answers need attention (see below)."
    return "Some answers need attention (see below): " + "; ".join(named) + "."
