"""A recorded checklist run as the form that would record it again: its template as it
was used, its answers in the answers format, and who signed it (for correcting it)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from readiness.errors import UserError
from readiness.models import ChecklistResponse, ChecklistRun, Staff
from readiness.policy.templates import NOTE_SUFFIX, Item, Template
from readiness.services.template_versions import stored_template


@dataclass(frozen=True)
class RecordedRun:
    """A run to correct: its id, template, answers and signer."""

    run_id: int
    template: Template
    answers: dict[str, object]
    signed_by_staff_id: str
    signed_by: str


def recorded_run(session: Session, run_id: int) -> RecordedRun:
    """The run's template as used and its answers; UserError when it is not current."""
    run = session.get(ChecklistRun, run_id)
    if run is None or run.record_state != "current":
        raise UserError("That checklist has been corrected or removed since; reload the page.")
    template = stored_template(session, run.template_version)
    answers: dict[str, object] = {}
    for response in run.responses:
        item = template.items_by_id.get(response.item_id)
        if item is None:
            continue
        value = _value(item, response)
        if value is not None:
            answers[item.id] = value
        if response.note:
            answers[item.id + NOTE_SUFFIX] = response.note
    person = session.get_one(Staff, run.submitted_by)
    return RecordedRun(run.id, template, answers, person.staff_id, run.signature_name)


def _value(item: Item, response: ChecklistResponse) -> object:
    """A stored answer ("1800 psi", "pass", "2027-01-31") in the answers format."""
    text = response.value
    if text is None:
        return None
    if item.type == "pass_fail":
        return text == "pass"
    if item.type in ("number", "count"):
        number = float(text.split()[0])  # the unit follows the number
        return int(number) if item.type == "count" else number
    return text
