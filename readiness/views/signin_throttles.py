"""Failed sign-ins still counted and lockouts still running, for the admin page."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from readiness.models.user import SigninThrottle
from readiness.services.signin import Limits, live_failures

COLUMNS = ["kind", "key", "failures", "last_failed_at", "locked_until"]


def signin_throttles(session: Session, now: datetime, limits: Limits) -> pd.DataFrame:
    """User names and clients with failures in their window or a lockout ahead, locked first."""
    query = (
        select(SigninThrottle)
        .where(
            or_(
                SigninThrottle.locked_until > now,
                SigninThrottle.window_started_at > now - limits.lockout,
            ),
            or_(SigninThrottle.failures > 0, SigninThrottle.locked_until > now),
        )
        .order_by(SigninThrottle.locked_until.desc().nulls_last(), SigninThrottle.kind)
    )
    rows = session.scalars(query).all()
    shown = [
        (
            row.kind,
            row.key,
            live_failures(row, now, limits),
            row.last_failed_at,
            row.locked_until if row.locked_until and row.locked_until > now else None,
        )
        for row in rows
    ]
    return pd.DataFrame(shown, columns=COLUMNS)
