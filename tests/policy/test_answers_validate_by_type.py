"""Answers are checked by item type: failures are results, bad input is refused with reasons."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from readiness.policy.answers import AnswerError, evaluate_answer, evaluate_answers
from readiness.policy.templates import Item, Template, load_template_file

SHIPPED = Path(__file__).resolve().parents[2] / "checklists"
CHECK_DAY = date(2026, 3, 9)

PASS_FAIL = Item(id="aed_ready", text="AED ready", type="pass_fail")
PSI = Item(id="o2_psi", text="Oxygen cylinder pressure", type="number", unit="psi", min=1000)
TEMP = Item(id="temp", text="Storage temperature", type="number", unit="°C", min=15, max=30)
COUNT = Item(id="epi", text="Adult epinephrine", type="count", min=2)
SEAL = Item(id="kit_seal", text="Kit seal", type="seal")
NEW_SEAL = Item(id="kit_seal", text="New seal", type="seal", change_needs_note=False)
EXPIRY = Item(id="epi_exp", text="Epinephrine expiry", type="date", expires=True)
READ_DATE = Item(id="serviced", text="Last service", type="date")
TEXT = Item(id="reason", text="Why", type="text")
OPTIONAL = Item(id="peds", text="Pediatric epinephrine", type="count", required=False)


@pytest.mark.parametrize(
    ("item", "value", "passed", "value_text", "problem"),
    [
        (PASS_FAIL, True, True, "pass", None),
        (PASS_FAIL, False, False, "fail", "AED ready: failed"),
        (PSI, 2150, True, "2150 psi", None),
        (PSI, 1000, True, "1000 psi", None),
        (PSI, 999.5, False, "999.5 psi", "is below the minimum of 1000 psi"),
        (PSI, 0, False, "0 psi", "Oxygen cylinder pressure: 0 psi is below the minimum"),
        (TEMP, 15, True, "15 °C", None),
        (TEMP, 30.0, True, "30 °C", None),
        (TEMP, 30.1, False, "30.1 °C", "30.1 °C is above the maximum of 30 °C"),
        (TEMP, -2, False, "-2 °C", "-2 °C is below the minimum of 15 °C"),
        (COUNT, 2, True, "2", None),
        (COUNT, 3.0, True, "3", None),
        (COUNT, 1, False, "1", "Adult epinephrine: 1 is below the minimum of 2"),
        (COUNT, 0, False, "0", "is below the minimum of 2"),
        (SEAL, " A-10442 ", True, "A-10442", None),
        (EXPIRY, "2026-03-10", True, "2026-03-10", None),
        (EXPIRY, "2026-03-09", False, "2026-03-09", "2026-03-09 is expired (check day 2026-03-09)"),
        (EXPIRY, "2025-12-31", False, "2025-12-31", "is expired"),
        (READ_DATE, "2024-02-29", True, "2024-02-29", None),
        (TEXT, " opened for drill D-7 ", True, "opened for drill D-7", None),
        (OPTIONAL, None, True, "", None),
    ],
)
def test_a_valid_answer_gives_a_result(
    item: Item, value: object, passed: bool, value_text: str, problem: str | None
) -> None:
    result = evaluate_answer(item, value, None, None, on_date=CHECK_DAY)
    assert (result.item_id, result.passed, result.value_text) == (item.id, passed, value_text)
    if problem is None:
        assert result.problem is None
    else:
        assert result.problem is not None and problem in result.problem


@pytest.mark.parametrize(
    ("item", "value", "message"),
    [
        (PASS_FAIL, "yes", 'aed_ready: expected true or false, got "yes"'),
        (PASS_FAIL, 1, "aed_ready: expected true or false, got 1"),
        (PASS_FAIL, None, "aed_ready: an answer is required"),
        (PSI, "2000", 'o2_psi: expected a number, got "2000"'),
        (PSI, True, "o2_psi: expected a number, got true"),
        (PSI, float("nan"), "o2_psi: expected a number"),
        (COUNT, 2.5, "epi: expected a whole number of 0 or more, got 2.5"),
        (COUNT, -1, "epi: expected a whole number of 0 or more, got -1"),
        (COUNT, False, "epi: expected a whole number"),
        (SEAL, 10442, "kit_seal: expected the seal number as text, got 10442"),
        (SEAL, "  ", "kit_seal: expected the seal number as text"),
        (EXPIRY, "09/03/2026", 'epi_exp: expected a date "YYYY-MM-DD", got "09/03/2026"'),
        (EXPIRY, "2026-02-30", 'epi_exp: expected a date "YYYY-MM-DD"'),
        (EXPIRY, "20260310", 'epi_exp: expected a date "YYYY-MM-DD"'),
        (TEXT, 5, "reason: expected text, got 5"),
        (TEXT, "", "reason: an answer is required"),
    ],
)
def test_a_wrong_answer_is_refused(item: Item, value: object, message: str) -> None:
    with pytest.raises(AnswerError) as raised:
        evaluate_answer(item, value, None, None, on_date=CHECK_DAY)
    assert str(raised.value).startswith(message), str(raised.value)


@pytest.mark.parametrize(
    ("item", "previous", "value", "note", "refused"),
    [
        (SEAL, None, "A-10442", None, False),
        (SEAL, "A-10442", "A-10442", None, False),
        (SEAL, "A-10442", "a-10442 ", None, False),
        (SEAL, "A-10442", "A-10443", None, True),
        (SEAL, "A-10442", "A-10443", "   ", True),
        (SEAL, "A-10442", "A-10443", "opened for incident I-12", False),
        (NEW_SEAL, "A-10442", "A-10443", None, False),
    ],
)
def test_a_changed_seal_needs_a_note(
    item: Item, previous: str | None, value: str, note: str | None, refused: bool
) -> None:
    if refused:
        with pytest.raises(AnswerError, match=r"kit_seal: seal number changed from A-10442 to"):
            evaluate_answer(item, value, previous, note)
    else:
        assert evaluate_answer(item, value, previous, note).passed


@pytest.fixture(scope="module")
def opening() -> Template:
    """The shipped opening check."""
    return load_template_file(SHIPPED / "opening-daily.yaml")


GOOD = {
    "aed_ready": True,
    "o2_psi": 2100,
    "kit_seal": "A-10442",
    "kit_seal_intact": True,
    "epi_adult_count": 2,
    "epi_adult_expiry": "2026-11-30",
    "storage_temp_c": 22.5,
    "emergency_numbers_posted": True,
}


def test_good_answers_give_one_passing_result_per_item(opening: Template) -> None:
    results = evaluate_answers(opening, GOOD, {"kit_seal": "A-10442"}, on_date=CHECK_DAY)
    assert [result.item_id for result in results] == [item.id for item in opening.items]
    assert all(result.passed for result in results)


def test_a_low_reading_fails_its_item_only(opening: Template) -> None:
    answers = {**GOOD, "o2_psi": 800, "o2_psi.note": "cylinder ordered"}
    results = {r.item_id: r for r in evaluate_answers(opening, answers, {}, on_date=CHECK_DAY)}
    assert [item_id for item_id, r in results.items() if not r.passed] == ["o2_psi"]
    assert results["o2_psi"].problem == (
        "Oxygen cylinder pressure: 800 psi is below the minimum of 1000 psi"
    )
    assert results["o2_psi"].note == "cylinder ordered"


def test_a_failed_item_without_a_note_is_accepted(opening: Template) -> None:
    results = evaluate_answers(opening, {**GOOD, "aed_ready": False}, {}, on_date=CHECK_DAY)
    assert [r.item_id for r in results if not r.passed] == ["aed_ready"]


def test_every_problem_is_listed_at_once(opening: Template) -> None:
    answers = {**GOOD, "o2_psi": "full", "fridge_c": 4, "nothing.note": "x", "kit_seal": "B-1"}
    del answers["aed_ready"]
    with pytest.raises(AnswerError) as raised:
        evaluate_answers(opening, answers, {"kit_seal": "A-10442"}, on_date=CHECK_DAY)
    problems = [str(problem) for problem in raised.value.problems]
    assert problems[:2] == [
        "fridge_c: no item 'fridge_c' in checklist 'opening-daily'",
        "nothing.note: no item 'nothing' in checklist 'opening-daily'",
    ]
    assert problems[2:] == [
        "aed_ready: an answer is required",
        'o2_psi: expected a number, got "full"',
        problems[4],
    ]
    assert problems[4].startswith("kit_seal: seal number changed from A-10442 to B-1")
    fields = [problem.item_id for problem in raised.value.problems]
    assert fields == ["fridge_c", "nothing", "aed_ready", "o2_psi", "kit_seal"]


def test_what_people_read_names_no_key_and_no_earlier_seal(opening: Template) -> None:
    with pytest.raises(AnswerError) as raised:
        evaluate_answers(opening, {**GOOD, "kit_seal": "B-1"}, {"kit_seal": "A-10442"})
    (problem,) = raised.value.problems
    assert problem.item_id == "kit_seal"
    assert "A-10442" not in problem.for_people and "kit_seal" not in problem.for_people
    assert "A-10442" in str(problem)


def test_a_note_must_be_text(opening: Template) -> None:
    with pytest.raises(AnswerError, match=r"o2_psi\.note: expected text, got 12"):
        evaluate_answers(opening, {**GOOD, "o2_psi.note": 12}, {})


def test_answers_must_be_an_object(opening: Template) -> None:
    with pytest.raises(AnswerError, match="answers must be a JSON object"):
        evaluate_answers(opening, [True, 2100], {})  # type: ignore[arg-type]
