"""Checklist answers: each raw JSON answer checked by its item's type, every problem at once.

`evaluate_answers` turns the `{item_id: value, "item_id.note": text}` object of a
submission into one ItemResult per item, or raises AnswerError carrying every problem
as an (answer key, problem) pair that a page can place under its control.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final

from readiness.policy.handouts import handout_versions
from readiness.policy.templates import (
    NOTE_SUFFIX,
    AnswerValue,
    Item,
    Template,
    countable,
    number_text,
)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class AnswerProblem:
    """One answer that cannot be recorded: the answer key, the problem, and how to say it.

    `field` is the key of the answers object ("o2_psi", "kit_seal.note", or "" for the
    whole object); `problem` is the sentence for a script or the command line; `plain`
    is what a person at the form reads (no keys, nothing they could copy instead of
    reading the label). Pages place problems by `item_id` without parsing text.
    """

    field: str
    problem: str
    plain: str = ""

    @property
    def item_id(self) -> str:
        """The item the problem belongs to (a note's problem belongs to its item)."""
        return self.field.removesuffix(NOTE_SUFFIX)

    @property
    def for_people(self) -> str:
        """The sentence a form shows."""
        return self.plain or self.problem

    def __str__(self) -> str:
        return f"{self.field}: {self.problem}" if self.field else self.problem


class AnswerError(ValueError):
    """Answers that cannot be recorded; `problems` holds every one, `str()` lists them."""

    def __init__(self, problems: AnswerProblem | list[AnswerProblem]) -> None:
        self.problems = [problems] if isinstance(problems, AnswerProblem) else list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class ItemResult:
    """The checked answer to one item: value as text, pass or fail, and why it failed."""

    item_id: str
    passed: bool
    value_text: str
    problem: str | None = None
    value: AnswerValue = None
    note: str | None = None


def evaluate_answers(
    template: Template,
    answers: Mapping[str, object],
    previous_seals: Mapping[str, str],
    *,
    on_date: date | None = None,
) -> list[ItemResult]:
    """One ItemResult per item in template order; AnswerError lists every problem at once.

    `answers` is the `{item_id: value, "item_id.note": text}` object of interfaces.md;
    `previous_seals` maps a seal item id to the last recorded number for this subject;
    `on_date` is the check day, used by `expires` date items.
    """
    if not isinstance(answers, Mapping):
        raise AnswerError(AnswerProblem("", "answers must be a JSON object of {item_id: value}"))
    problems = _unknown_keys(template, answers)
    results: list[ItemResult] = []
    for item in template.items:
        try:
            note = _note(item, answers.get(item.id + NOTE_SUFFIX))
            results.append(
                evaluate_answer(
                    item, answers.get(item.id), previous_seals.get(item.id), note, on_date=on_date
                )
            )
        except AnswerError as error:
            problems.extend(error.problems)
    if problems:
        raise AnswerError(problems)
    return results


def evaluate_answer(
    item: Item,
    value: object,
    previous_seal: str | None,
    note: str | None,
    *,
    on_date: date | None = None,
) -> ItemResult:
    """Check one raw JSON answer by type; a wrong type or unexplained seal raises AnswerError."""
    note = note.strip() if isinstance(note, str) and note.strip() else None
    if value is None:
        if item.required:
            raise AnswerError(
                AnswerProblem(item.id, "an answer is required", "Please answer this.")
            )
        return ItemResult(item.id, passed=True, value_text="", note=note)
    checker = _CHECKERS[item.type]
    return checker(item, value, previous_seal, note, on_date)


def _unknown_keys(template: Template, answers: Mapping[str, object]) -> list[AnswerProblem]:
    """Problems for answer keys that name no item of the template."""
    problems: list[AnswerProblem] = []
    for key in answers:
        item_id = key.removesuffix(NOTE_SUFFIX) if isinstance(key, str) else key
        if item_id not in template.items_by_id:
            problems.append(
                AnswerProblem(str(key), f"no item {item_id!r} in checklist {template.id!r}")
            )
    return problems


def _note(item: Item, value: object) -> str | None:
    """A note must be text when given."""
    if value is None or isinstance(value, str):
        return value
    raise AnswerError(
        AnswerProblem(
            item.id + NOTE_SUFFIX, f"expected text, got {_shown(value)}", "Write the note as text."
        )
    )


def _check_pass_fail(
    item: Item, value: object, _seal: str | None, note: str | None, _on: date | None
) -> ItemResult:
    """true passes, false fails; nothing else is an answer."""
    if not isinstance(value, bool):
        raise AnswerError(
            AnswerProblem(
                item.id, f"expected true or false, got {_shown(value)}", "Choose pass or fail."
            )
        )
    problem = None if value else f"{item.text}: failed"
    return ItemResult(item.id, value, "pass" if value else "fail", problem, value, note)


def _check_number(
    item: Item, value: object, _seal: str | None, note: str | None, _on: date | None
) -> ItemResult:
    """A finite number; outside min/max fails the item."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise AnswerError(
            AnswerProblem(item.id, f"expected a number, got {_shown(value)}", "Enter a number.")
        )
    number = float(value)
    shown = _with_unit(number, item.unit)
    problem = _range_problem(item, number, shown)
    return ItemResult(item.id, problem is None, shown, problem, number, note)


def _check_count(
    item: Item, value: object, _seal: str | None, note: str | None, _on: date | None
) -> ItemResult:
    """A whole number of 0 or more; below min fails the item."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not countable(value):
        raise AnswerError(
            AnswerProblem(
                item.id,
                f"expected a whole number of 0 or more, got {_shown(value)}",
                "Enter a whole number (0 or more).",
            )
        )
    count = int(value)
    problem = _range_problem(item, count, str(count))
    return ItemResult(item.id, problem is None, str(count), problem, count, note)


def _check_seal(
    item: Item, value: object, previous: str | None, note: str | None, _on: date | None
) -> ItemResult:
    """A seal number; a change from the last one must be explained in the note."""
    if not isinstance(value, str) or not value.strip():
        raise AnswerError(
            AnswerProblem(
                item.id,
                f"expected the seal number as text, got {_shown(value)}",
                "Type the number printed on the seal.",
            )
        )
    seal = value.strip()
    changed = previous is not None and _seal_key(seal) != _seal_key(previous)
    if changed and item.change_needs_note is not False and note is None:
        raise AnswerError(
            AnswerProblem(
                item.id,
                f"seal number changed from {previous} to {seal}; "
                f'say why in "{item.id}{NOTE_SUFFIX}" (for example: kit opened for an incident)',
                # No earlier number here: staff must read the tag, not copy it.
                "This seal number differs from the last one recorded. Check the tag; if the"
                " kit was opened, say why in the note (for example: opened for an incident).",
            )
        )
    return ItemResult(item.id, True, seal, None, seal, note)


def _check_date(
    item: Item, value: object, _seal: str | None, note: str | None, on_date: date | None
) -> ItemResult:
    """A YYYY-MM-DD date; an `expires` date on or before the check day fails the item."""
    parsed = _parse_date(value)
    if parsed is None:
        raise AnswerError(
            AnswerProblem(
                item.id, f'expected a date "YYYY-MM-DD", got {_shown(value)}', "Enter a date."
            )
        )
    problem = None
    if item.expires and on_date is not None and parsed <= on_date:
        problem = f"{item.text}: {parsed.isoformat()} is expired (check day {on_date.isoformat()})"
    return ItemResult(item.id, problem is None, parsed.isoformat(), problem, parsed, note)


def _check_text(
    item: Item, value: object, _seal: str | None, note: str | None, _on: date | None
) -> ItemResult:
    """Free text; blank counts as no answer for a required item."""
    if not isinstance(value, str):
        raise AnswerError(
            AnswerProblem(item.id, f"expected text, got {_shown(value)}", "Write text.")
        )
    if not value.strip() and item.required:
        raise AnswerError(AnswerProblem(item.id, "an answer is required", "Please answer this."))
    return ItemResult(item.id, True, value.strip(), None, value.strip(), note)


def _check_handout(
    item: Item, value: object, _seal: str | None, note: str | None, _on: date | None
) -> ItemResult:
    """The version of an aftercare handout the practice gives now (printed in its footer)."""
    known = handout_versions()
    if not isinstance(value, str) or value.strip() not in known:
        current = ", ".join(known) or "none"
        raise AnswerError(
            AnswerProblem(
                item.id,
                f"unknown handout version {_shown(value)} (current: {current})",
                "Choose the handout you gave; its version is printed at the foot of the page.",
            )
        )
    return ItemResult(item.id, True, value.strip(), None, value.strip(), note)


_CHECKERS: Final = {
    "pass_fail": _check_pass_fail,
    "number": _check_number,
    "count": _check_count,
    "seal": _check_seal,
    "date": _check_date,
    "text": _check_text,
    "handout": _check_handout,
}


def _range_problem(item: Item, number: float, shown: str) -> str | None:
    """Why a reading is outside the item's min/max, or None."""
    if item.min is not None and number < item.min:
        return f"{item.text}: {shown} is below the minimum of {_with_unit(item.min, item.unit)}"
    if item.max is not None and number > item.max:
        return f"{item.text}: {shown} is above the maximum of {_with_unit(item.max, item.unit)}"
    return None


def _parse_date(value: object) -> date | None:
    """A date from strict "YYYY-MM-DD" text, else None."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _seal_key(seal: str) -> str:
    """Seal numbers compare without case or spaces: "ab 123" is the tag "AB123"."""
    return "".join(seal.split()).upper()


def _with_unit(number: float, unit: str | None) -> str:
    """A reading with its unit, e.g. "950 psi"."""
    return f"{number_text(number)} {unit}" if unit else number_text(number)


def _shown(value: object) -> str:
    """An answer as the user typed it in JSON."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)
