"""A failed delivery is retried after 1, 2, 4 ... minutes, never more than 6 hours apart."""

from __future__ import annotations

from datetime import timedelta

import pytest

from readiness.reminders.outbox import backoff


@pytest.mark.parametrize(
    ("attempts", "wait"),
    [
        (1, timedelta(minutes=1)),
        (2, timedelta(minutes=2)),
        (3, timedelta(minutes=4)),
        (9, timedelta(minutes=256)),
        (10, timedelta(hours=6)),
        (1000, timedelta(hours=6)),
    ],
)
def test_the_wait_doubles_up_to_a_ceiling(attempts: int, wait: timedelta) -> None:
    assert backoff(attempts) == wait
