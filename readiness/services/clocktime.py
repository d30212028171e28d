"""Times typed on a form: a site's wall-clock time turned into a UTC instant."""

from __future__ import annotations

from datetime import datetime

from readiness.models.base import utc
from readiness.rules import slots


def site_instant(value: datetime, timezone: str) -> datetime:
    """An aware datetime as UTC; a naive one read as wall-clock time at the site."""
    if value.tzinfo is not None and value.utcoffset() is not None:
        return utc(value)
    # slots' wall-clock rule: a time skipped when the clocks go forward means the gap's end.
    return slots.due_instant(value.date(), value.time(), timezone)
