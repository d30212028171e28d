"""The procedure time-out records which aftercare handout was given: the answer is a handout
version the protocols give now (the one printed at the foot of the handout); anything
else is refused with a sentence, not stored."""

from __future__ import annotations

import pytest

from readiness.policy.answers import AnswerError, evaluate_answer
from readiness.policy.handouts import current_protocols, handout_versions, version_of
from readiness.policy.templates import load_templates
from readiness.rules.plan_version import handout_procedure

ITEM = load_templates()["procedure-timeout"].items_by_id["aftercare_handout"]


def test_the_current_version_is_recorded_as_given() -> None:
    version = version_of(current_protocols(), "laser_vein")
    assert handout_procedure(version) == "laser_vein"
    assert handout_versions()[version] == "After your laser vein treatment"
    result = evaluate_answer(ITEM, version, None, None)
    assert (result.passed, result.value_text) == (True, version)


@pytest.mark.parametrize("answer", ["laser_vein:000000000000", "yes", 1, None])
def test_an_unknown_or_missing_version_is_refused(answer: object) -> None:
    with pytest.raises(AnswerError) as caught:
        evaluate_answer(ITEM, answer, None, None)
    (problem,) = caught.value.problems
    assert problem.item_id == "aftercare_handout"
    assert "aftercare_handout" not in problem.for_people


def test_the_version_changes_with_the_aftercare_text() -> None:
    protocols = current_protocols()
    care = protocols.aftercare_for("laser_vein")
    edited = care.model_copy(update={"title": care.title + " (revised)"})
    changed = protocols.model_copy(update={"aftercare": {"laser_vein": edited}})
    assert version_of(changed, "laser_vein") != version_of(protocols, "laser_vein")
