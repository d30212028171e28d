"""A site as a period of history sees it: its zone, open days and the period's UTC bounds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SiteInfo:
    """A site of the export, with the UTC bounds of the period in its own time zone."""

    pk: int
    code: str
    name: str
    tz: str
    open_days: frozenset[int]
    address: str | None
    start_utc: datetime
    end_utc: datetime
