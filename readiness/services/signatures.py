"""Electronic signatures on checklists: printed name, UTC time, meaning, optional PIN.

A staff member may have a sign-off PIN (argon2-hashed on `staff.pin_hash`); when
one is set, nothing is signed in their name without it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from readiness.audit import records
from readiness.errors import UserError
from readiness.models import Staff
from readiness.models.base import utc

PERFORMED: Final = "performed"
PIN_PATTERN: Final = re.compile(r"\d{4,12}")
_HASHER: Final = PasswordHasher()


@dataclass(frozen=True)
class Signature:
    """Who signed, the name printed with the record, when (UTC) and what the signature means."""

    staff_pk: int
    staff_id: str
    printed_name: str
    signed_at: datetime
    meaning: str = PERFORMED


def sign(staff: Staff, pin: str | None, now_utc: datetime, meaning: str = PERFORMED) -> Signature:
    """A signature by the staff member, checking their PIN when they have one."""
    check_pin(staff, pin)
    return Signature(staff.id, staff.staff_id, staff.full_name, utc(now_utc), meaning)


def check_pin(staff: Staff, pin: str | None) -> None:
    """Refuse a missing or wrong PIN for a staff member who has one set."""
    if staff.pin_hash is None:
        return
    if not pin:
        raise UserError(f"{staff.full_name} signs with a PIN: enter it")
    try:
        _HASHER.verify(staff.pin_hash, pin)
    except (VerificationError, InvalidHashError):
        raise UserError(f"wrong PIN for {staff.full_name}") from None


def set_pin(session: Session, staff: Staff, pin: str, actor: str) -> None:
    """Set (or replace) a staff member's sign-off PIN; the audit keeps only a digest."""
    if not PIN_PATTERN.fullmatch(pin):
        raise UserError("a PIN is 4 to 12 digits")
    records.update(
        session, staff, {"pin_hash": _HASHER.hash(pin)}, actor=actor, reason="sign-off PIN set"
    )


def clear_pin(session: Session, staff: Staff, actor: str) -> bool:
    """Remove a staff member's PIN; False when none was set."""
    return records.update(
        session, staff, {"pin_hash": None}, actor=actor, reason="sign-off PIN removed"
    )
