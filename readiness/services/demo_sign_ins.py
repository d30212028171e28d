"""The demo sign-ins that still work, for `make run` to show on every start of a demo database.

No password is stored in clear anywhere: the demo creates its accounts with the
documented passwords (`users.DEMO_PASSWORDS`, also in README), and this reads back
only which of those accounts still accept them. An account whose password was
changed, a disabled one, or a database the demo never filled shows nothing.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import User
from readiness.services.users import DEMO_PASSWORDS, ROLES

_HASHER = PasswordHasher()


def demo_sign_ins(session: Session) -> list[tuple[str, str, str]]:
    """(user name, role, documented password) of each demo account that still accepts it."""
    names = [role for role in ROLES if role in DEMO_PASSWORDS]
    users = {
        user.username: user
        for user in session.scalars(select(User).where(User.username.in_(names), User.active))
    }
    found: list[tuple[str, str, str]] = []
    for name in names:
        user = users.get(name)
        # The demo names each account after its role; a real "admin" with a real role differs.
        if user is None or user.role != name or not _accepts(user, DEMO_PASSWORDS[name]):
            continue
        found.append((name, user.role, DEMO_PASSWORDS[name]))
    return found


def _accepts(user: User, password: str) -> bool:
    if not user.password_hash:
        return False
    try:
        return bool(_HASHER.verify(user.password_hash, password))
    except (VerificationError, InvalidHashError):
        return False
