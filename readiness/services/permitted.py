"""Use cases written elsewhere, behind the signed-in user's permission check.

The dashboard calls these rather than the underlying services, so the role and site
of the user are checked in the call path of every action, whatever page asked.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from readiness.access import Principal, require
from readiness.audit import chain as audit
from readiness.errors import UserError
from readiness.models import CorrectiveAction, Site, User
from readiness.services import checklist_runs
from readiness.services.checklist_runs import Submission
from readiness.services.corrective_actions import close_corrective_action, open_corrective_action
from readiness.services.users import create_user, disable_user, set_password


def submit_checklist_as(session: Session, by: Principal, **kwargs: Any) -> Submission:
    """`submit_checklist` for the user's site, with the user as the audit actor."""
    require(by, "submit_checklist", kwargs["site_code"])
    # Looked up on the module at call time, so tests can stand in for the service.
    return checklist_runs.submit_checklist(session, actor=by.actor, **kwargs)


def close_action(
    session: Session, by: Principal, ca_id: int, resolution: str, closed_by: str, now_utc: datetime
) -> CorrectiveAction:
    """Close a corrective action of a site the user covers."""
    action = session.get(CorrectiveAction, ca_id)
    if action is None:
        raise UserError(f"no corrective action {ca_id}")
    site = session.get(Site, action.site_id)
    require(by, "manage_actions", site.code if site else None)
    return close_corrective_action(session, ca_id, resolution, closed_by, by.actor, now_utc)


def open_action(
    session: Session, by: Principal, *, site_code: str, now_utc: datetime, **kwargs: Any
) -> CorrectiveAction:
    """Open a corrective action by hand at a site the user covers."""
    require(by, "manage_actions", site_code)
    return open_corrective_action(
        session, site_code=site_code, actor=by.actor, now_utc=now_utc, **kwargs
    )


def verify_chain(session: Session, by: Principal) -> audit.VerifyResult:
    """Check the audit chain (read only)."""
    require(by, "verify_audit")
    return audit.verify(session)


def add_user(session: Session, by: Principal, **kwargs: Any) -> User:
    """Create a user (admins only)."""
    require(by, "manage_users")
    return create_user(session, actor=by.actor, **kwargs)


def change_password(session: Session, by: Principal, username: str, password: str) -> None:
    """Set a user's password (admins only)."""
    require(by, "manage_users")
    set_password(session, username, password, actor=by.actor)


def disable(session: Session, by: Principal, username: str) -> bool:
    """Disable a user (admins only; not oneself, so an admin cannot lock themself out)."""
    require(by, "manage_users")
    if username.strip().lower() == by.username:
        raise UserError("you cannot disable your own account")
    return disable_user(session, username, actor=by.actor)
