"""Which version of a site's contacts and emergency roles holds on a day (pure).

Contacts are whole versions; roles are changes to one (scenario, duty) each. For a day,
the latest row dated on or before it decides; two rows of one day: the later one (a
correction), the earlier one staying on record. A role row with no assignee takes the
duty away. Before the first row, nothing is on file.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol, TypeVar


class Dated(Protocol):
    """A history row: its primary key and the day it holds from."""

    @property
    def id(self) -> int: ...

    @property
    def effective_from(self) -> date: ...


class DatedRole(Dated, Protocol):
    """A role change: the duty it is about and who does it from its day ("" for no one)."""

    @property
    def scenario(self) -> str: ...

    @property
    def duty(self) -> str: ...

    @property
    def assignee(self) -> str: ...


D = TypeVar("D", bound=Dated)
R = TypeVar("R", bound=DatedRole)


def _order(row: Dated) -> tuple[date, int]:
    return (row.effective_from, row.id)


def in_force(rows: Iterable[D], day: date) -> D | None:
    """The row deciding `day`: the latest dated on or before it (ties: the later row)."""
    best: D | None = None
    for row in rows:
        if row.effective_from <= day and (best is None or _order(row) > _order(best)):
            best = row
    return best


def roles_in_force(rows: Iterable[R], day: date) -> dict[tuple[str, str], R]:
    """(scenario, duty) -> the role row deciding `day`; duties taken away are left out."""
    latest: dict[tuple[str, str], R] = {}
    for row in rows:
        key = (row.scenario, row.duty)
        held = latest.get(key)
        if row.effective_from <= day and (held is None or _order(row) > _order(held)):
            latest[key] = row
    return {key: row for key, row in latest.items() if row.assignee.strip()}
