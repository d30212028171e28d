"""The emergency action plan as a download, for a signed-in user who covers the site."""

from __future__ import annotations

from datetime import datetime

from readiness.access import AccessDenied, Principal
from readiness.config import checklists_dir
from readiness.db import Database
from readiness.export.plan.wall import plan_bytes
from readiness.policy.current import current_policy
from readiness.policy.protocols import load_protocols
from readiness.policy.templates import load_templates


def plan_download(db: Database, by: Principal | None, code: str, now_utc: datetime) -> bytes:
    """The plan of one site as PDF bytes; AccessDenied unless the user covers the site."""
    # No patient data in it: every signed-in user of the site may print the wall plan.
    if by is None:
        raise AccessDenied("sign in first")
    if not by.covers(code):
        raise AccessDenied(f"you do not cover site {code}")
    return plan_bytes(
        db,
        [code],
        current_policy(),
        load_protocols(),
        templates=load_templates(checklists_dir()),
        printed_at=now_utc,
    )
