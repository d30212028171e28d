"""Wall-clock times of instants, to the second and without a zone (as Excel shows them)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

_ZONES: dict[str, ZoneInfo] = {}


def local(instant: datetime | None, tz: str) -> datetime | None:
    """The site-local wall time of an instant, to the second, without zone (Excel has none)."""
    if instant is None:
        return None
    zone = _ZONES.get(tz)
    if zone is None:
        zone = _ZONES[tz] = ZoneInfo(tz)
    return instant.astimezone(zone).replace(tzinfo=None, microsecond=0)


def utc(instant: datetime | None) -> datetime | None:
    """The UTC wall time of an instant, to the second, without zone."""
    if instant is None:
        return None
    return instant.astimezone(UTC).replace(tzinfo=None, microsecond=0)
