"""The practice's own settings: its name, as the workbook cover and the wall plan print it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.access import Principal, require
from readiness.audit import records
from readiness.errors import UserError
from readiness.models import PracticeSetting
from readiness.models.practice_setting import PRACTICE_NAME

MAX_NAME = 120


def practice_name(session: Session) -> str:
    """The stored name of the practice; empty when nobody has named it yet."""
    value = session.scalar(
        select(PracticeSetting.value).where(PracticeSetting.key == PRACTICE_NAME)
    )
    return value or ""


def set_practice_name(session: Session, name: str, *, actor: str) -> bool:
    """Name the practice (audited); False when the name is already that."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise UserError("the practice name is empty: write the name patients and inspectors know")
    if len(cleaned) > MAX_NAME:
        raise UserError(f"the practice name is longer than {MAX_NAME} characters")
    row = session.scalar(
        select(PracticeSetting).where(PracticeSetting.key == PRACTICE_NAME).with_for_update()
    )
    if row is None:
        records.create(session, PracticeSetting(key=PRACTICE_NAME, value=cleaned), actor=actor)
        return True
    return records.update(session, row, {"value": cleaned}, actor=actor, reason="renamed")


def set_practice_name_as(session: Session, by: Principal, name: str) -> bool:
    """`set_practice_name` by a signed-in administrator."""
    require(by, "manage_settings")
    return set_practice_name(session, name, actor=by.actor)
