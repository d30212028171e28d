"""The sites a user may see, and each site's local today."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.access import Principal
from readiness.models import Site
from readiness.rules.slots import site_today


def visible_sites(session: Session, user: Principal) -> dict[str, str]:
    """Code -> name of the active sites the user covers, in code order."""
    rows = session.execute(select(Site.code, Site.name).where(Site.active).order_by(Site.code))
    return {code: name for code, name in rows if user.covers(code)}


def site_todays(session: Session, codes: list[str] | None, now_utc: datetime) -> dict[str, date]:
    """Each site's local date at `now_utc` (all active sites when `codes` is None)."""
    query = select(Site.code, Site.timezone).where(Site.active)
    if codes is not None:
        query = query.where(Site.code.in_(codes))
    return {code: site_today(now_utc, tz) for code, tz in session.execute(query)}


def site_clock(session: Session, code: str, now_utc: datetime) -> datetime:
    """The wall-clock time at the site now, to the minute (for a form's default time)."""
    tz = session.scalar(select(Site.timezone).where(Site.code == code)) or "UTC"
    local = now_utc.astimezone(ZoneInfo(tz))
    return local.replace(second=0, microsecond=0, tzinfo=None)
