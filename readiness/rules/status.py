"""The one status vocabulary of Readiness and its severity order."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Status(StrEnum):
    """The status of a compliance item, as shown everywhere (dashboard, CLI, export)."""

    FAILED = "failed"
    OVERDUE = "overdue"
    EXPIRED = "expired"
    MISSING = "missing"
    DUE_SOON = "due_soon"
    OK = "ok"
    NOT_APPLICABLE = "not_applicable"

    @property
    def severity(self) -> int:
        """Rank of this status: higher is more severe (not_applicable is 0)."""
        return SEVERITY[self]

    @property
    def blocks_readiness(self) -> bool:
        """True when this status makes a scenario not ready."""
        return self in BLOCKING


# Most severe first, the order of DESIGN.md's table.
SEVERITY_ORDER: tuple[Status, ...] = (
    Status.FAILED,
    Status.OVERDUE,
    Status.EXPIRED,
    Status.MISSING,
    Status.DUE_SOON,
    Status.OK,
    Status.NOT_APPLICABLE,
)
SEVERITY: dict[Status, int] = {
    status: len(SEVERITY_ORDER) - 1 - rank for rank, status in enumerate(SEVERITY_ORDER)
}

# A scenario is ready while its requirements are ok or merely due soon; a
# requirement that does not apply to a site (no children treated) never blocks.
BLOCKING: frozenset[Status] = frozenset(
    {Status.FAILED, Status.OVERDUE, Status.EXPIRED, Status.MISSING}
)


def worst(*statuses: Status | str | Iterable[Status | str]) -> Status:
    """The most severe status given, as arguments or iterables; not_applicable if none."""
    found = [Status(status) for status in _flatten(statuses)]
    return max(found, key=SEVERITY.__getitem__, default=Status.NOT_APPLICABLE)


def _flatten(items: Iterable[Status | str | Iterable[Status | str]]) -> Iterable[Status | str]:
    """Yield statuses from a mix of single statuses and iterables of them."""
    for item in items:
        # A status is a str, and a str is iterable: test for it first.
        if isinstance(item, str):
            yield item
        else:
            yield from item
