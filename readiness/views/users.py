"""The dashboard's users, for the admin page."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import Site, Staff, User

COLUMNS = ["username", "role", "site", "staff_id", "email", "active", "created_at"]


def user_list(session: Session) -> pd.DataFrame:
    """Every user (no password hashes), by name."""
    query = (
        select(
            User.username,
            User.role,
            Site.code,
            Staff.staff_id,
            User.email,
            User.active,
            User.created_at,
        )
        .outerjoin(Site, Site.id == User.site_id)
        .outerjoin(Staff, Staff.id == User.staff_pk)
        .order_by(User.username)
    )
    return pd.DataFrame(session.execute(query).all(), columns=COLUMNS)
