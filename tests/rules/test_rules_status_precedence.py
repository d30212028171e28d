"""Status precedence: failed > overdue > expired > missing > due_soon > ok > not_applicable."""

from __future__ import annotations

from itertools import combinations, permutations

import pandas as pd
import pytest

from readiness.rules.due import STATUS_DTYPE, worst_by
from readiness.rules.status import BLOCKING, SEVERITY_ORDER, Status, worst

ORDER = [
    "failed",
    "overdue",
    "expired",
    "missing",
    "due_soon",
    "ok",
    "not_applicable",
]


def test_the_vocabulary_is_the_design_table() -> None:
    assert [str(status) for status in SEVERITY_ORDER] == ORDER
    assert {str(status) for status in Status} == set(ORDER)


def test_severity_falls_along_the_order() -> None:
    severities = [status.severity for status in SEVERITY_ORDER]
    assert severities == sorted(severities, reverse=True)
    assert Status.NOT_APPLICABLE.severity == 0


@pytest.mark.parametrize(("a", "b"), list(combinations(ORDER, 2)))
def test_the_earlier_status_wins_each_pair(a: str, b: str) -> None:
    assert worst(a, b) == a
    assert worst(b, a) == a
    assert worst([b, a]) == a


@pytest.mark.parametrize("statuses", list(permutations(ORDER[2:], 3)))
def test_order_of_arguments_does_not_matter(statuses: tuple[str, ...]) -> None:
    assert worst(statuses) == min(statuses, key=ORDER.index)


def test_arguments_and_iterables_mix() -> None:
    assert worst(Status.OK, [Status.DUE_SOON, "ok"], (Status.NOT_APPLICABLE,)) == Status.DUE_SOON


def test_nothing_is_not_applicable() -> None:
    assert worst() == Status.NOT_APPLICABLE
    assert worst([]) == Status.NOT_APPLICABLE


def test_an_unknown_status_is_refused() -> None:
    with pytest.raises(ValueError, match="late"):
        worst("ok", "late")


@pytest.mark.parametrize("status", list(Status))
def test_only_failed_overdue_expired_missing_block_a_scenario(status: Status) -> None:
    assert status.blocks_readiness is (status.severity >= Status.MISSING.severity)
    assert (status in BLOCKING) is status.blocks_readiness


def test_the_status_dtype_orders_least_severe_first() -> None:
    assert list(STATUS_DTYPE.categories) == list(reversed(ORDER))


def test_worst_by_matches_worst_per_group() -> None:
    groups = {
        "A": ["ok", "due_soon", "not_applicable"],
        "B": ["missing", "expired", "ok"],
        "C": ["not_applicable"],
        "D": ["failed", "overdue"],
    }
    frame = pd.DataFrame(
        [(site, status) for site, statuses in groups.items() for status in statuses],
        columns=["site", "status"],
    )
    result = worst_by(frame, "site")
    assert result.to_dict() == {site: str(worst(statuses)) for site, statuses in groups.items()}


def test_worst_by_groups_on_several_keys() -> None:
    frame = pd.DataFrame(
        {
            "site": ["A", "A", "A", "B"],
            "scenario": ["fire", "fire", "anaphylaxis", "fire"],
            "status": ["ok", "overdue", "due_soon", "missing"],
        }
    )
    assert worst_by(frame, ["site", "scenario"]).to_dict() == {
        ("A", "anaphylaxis"): "due_soon",
        ("A", "fire"): "overdue",
        ("B", "fire"): "missing",
    }


def test_worst_by_refuses_an_unknown_status() -> None:
    frame = pd.DataFrame({"site": ["A"], "status": ["late"]})
    with pytest.raises(ValueError, match="late"):
        worst_by(frame, "site")
