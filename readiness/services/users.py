"""Dashboard users: create, change password, disable, sign in; the demo accounts.

Passwords are hashed with argon2 (argon2-cffi's PasswordHasher). Signing in as an
unknown or disabled user still verifies a dummy hash, so the answer takes about
as long whether or not the name exists. Roles and what each may do live in
`readiness.access`; this module re-exports the pieces callers need.
"""

from __future__ import annotations

import contextlib
import re
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from readiness.access import (
    ACTIONS,
    PAGES,
    ROLES,
    AccessDenied,
    Principal,
    pages_for,
    require,
    require_page,
)
from readiness.audit import records
from readiness.audit.chain import lock_chain
from readiness.checklist.lookup import site_by_code
from readiness.clock import utc_now
from readiness.errors import UserError
from readiness.models import Site, Staff, User
from readiness.services import sessions

__all__ = [
    "ACTIONS",
    "DEMO_PASSWORDS",
    "PAGES",
    "ROLES",
    "AccessDenied",
    "Principal",
    "authenticate",
    "create_user",
    "disable_user",
    "ensure_demo_users",
    "pages_for",
    "principal_of",
    "require",
    "require_page",
    "set_password",
    "signed_in",
    "spend_a_verification",
    "user_count",
]

MIN_PASSWORD = 10
USERNAME: Final = re.compile(r"[a-z0-9][a-z0-9._-]{1,79}")
EMAIL: Final = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_HASHER: Final = PasswordHasher()
# Verified when the user is unknown, so a wrong name costs what a wrong password does.
_DUMMY_HASH: Final = _HASHER.hash("not a password anyone has")

# The demo practice's accounts; README lists them. Never use these on real data.
DEMO_PASSWORDS: Final[dict[str, str]] = {
    "admin": "readiness-admin",
    "officer": "readiness-officer",
    "inspector": "readiness-inspector",
    "staff": "readiness-staff",
}


def _user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username.strip().lower()))


def _existing(session: Session, username: str) -> User:
    found = _user(session, username)
    if found is None:
        raise UserError(f"no user named {username!r}")
    return found


def _checked_password(password: str, username: str) -> str:
    """The password, when long enough and not the user name."""
    if len(password) < MIN_PASSWORD:
        raise UserError(f"a password needs at least {MIN_PASSWORD} characters")
    if password.strip().lower() == username:
        raise UserError("the password must not be the user name")
    return password


def _checked_name(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.fullmatch(name):
        raise UserError(
            f"user name {username!r}: use 2-80 lower-case letters, digits, '.', '_' or '-'"
        )
    return name


def create_user(
    session: Session,
    *,
    username: str,
    role: str,
    password: str,
    actor: str,
    site_code: str | None = None,
    email: str | None = None,
    staff_id: str | None = None,
) -> User:
    """Add a user; staff users belong to one site (given, or their staff member's)."""
    name = _checked_name(username)
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    # Queue behind other writers first: on PostgreSQL two adds of one name would both
    # see it free and the second would fail on the unique index instead of here.
    lock_chain(session)
    if _user(session, name) is not None:
        raise _exists(name)
    if email and not EMAIL.fullmatch(email.strip()):
        raise UserError(f"not an e-mail address: {email!r}")
    person = _staff_member(session, staff_id) if staff_id else None
    site = site_by_code(session, site_code) if site_code else None
    if person is not None and site is not None and person.site_id != site.id:
        raise UserError(f"{person.staff_id} does not work at {site.code}")
    if site is None and person is not None and role == "staff":
        site = session.get(Site, person.site_id)
    if role == "staff" and site is None:
        raise UserError("a staff user belongs to one site: give --site CODE")
    user = User(
        username=name,
        role=role,
        site_id=site.id if site else None,
        staff_pk=person.id if person else None,
        email=email.strip() if email else None,
        password_hash=_HASHER.hash(_checked_password(password, name)),
        active=True,
        created_at=utc_now(),
    )
    _insert_once(session, user)
    return records.create(session, user, actor=actor, reason=f"user added as {role}")


def _exists(name: str) -> UserError:
    return UserError(f"a user named {name!r} already exists")


def _insert_once(session: Session, user: User) -> None:
    """Insert the user in a savepoint: a writer that skipped the lock still gets a clear error."""
    session.add(user)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as error:
        if "username" not in str(error.orig):
            raise
        raise _exists(user.username) from None


def _staff_member(session: Session, staff_id: str) -> Staff:
    person = session.scalar(select(Staff).where(Staff.staff_id == staff_id))
    if person is None:
        raise UserError(f"no staff member with id {staff_id!r}")
    return person


def set_password(session: Session, username: str, password: str, *, actor: str) -> None:
    """Replace a user's password; the audit trail keeps only a digest of the hash.

    Every browser signed in as the user is signed out at its next click: a password is
    changed because it may be known to someone else, who must not stay signed in.
    """
    user = _existing(session, username)
    new_hash = _HASHER.hash(_checked_password(password, user.username))
    records.update(session, user, {"password_hash": new_hash}, actor=actor, reason="password set")
    sessions.end_all(session, user, now=utc_now(), reason=sessions.PASSWORD_CHANGED, actor=actor)


def disable_user(session: Session, username: str, *, actor: str) -> bool:
    """Stop a user signing in (their records stay); False when already disabled."""
    user = _existing(session, username)
    if user.active and user.role == "admin" and _active_admins(session) <= 1:
        raise UserError(f"{user.username} is the last active admin: add another admin first")
    changed = records.update(session, user, {"active": False}, actor=actor, reason="user disabled")
    # Signed-in browsers go too, at their next click, on every dashboard process.
    sessions.end_all(session, user, now=utc_now(), reason=sessions.DISABLED, actor=actor)
    return changed


def _active_admins(session: Session) -> int:
    query = select(func.count()).select_from(User).where(User.role == "admin", User.active)
    return session.scalar(query) or 0


def user_count(session: Session) -> int:
    """How many users exist (none: the sign-in page says how to make the first admin)."""
    return session.scalar(select(func.count()).select_from(User)) or 0


def authenticate(session: Session, username: str, password: str) -> Principal | None:
    """The user's principal when the name and password match an active user, else None.

    Rehashes the password when argon2's parameters changed, so `session` should be
    a write session; the caller commits.
    """
    user = _user(session, username)
    if user is None or not user.active or not user.password_hash:
        spend_a_verification(password)
        return None
    try:
        _HASHER.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _HASHER.check_needs_rehash(user.password_hash):
        fresh = {"password_hash": _HASHER.hash(password)}
        records.update(session, user, fresh, actor=f"user:{user.username}", reason="rehashed")
    return principal_of(session, user)


def spend_a_verification(password: str) -> None:
    """Verify against a dummy hash: the same work as a real check, always failing."""
    with contextlib.suppress(VerificationError, InvalidHashError):
        _HASHER.verify(_DUMMY_HASH, password + "\0")


def principal_of(session: Session, user: User) -> Principal:
    """The principal of a user row: role, site scope and linked staff id."""
    site = session.get(Site, user.site_id) if user.site_id is not None else None
    person = session.get(Staff, user.staff_pk) if user.staff_pk is not None else None
    return Principal(
        username=user.username,
        role=user.role,
        site_codes=(site.code,) if site is not None else None,
        staff_id=person.staff_id if person is not None else None,
    )


def signed_in(session: Session, username: str) -> Principal | None:
    """The current principal of a signed-in user name; None once disabled or removed.

    Pages call this on every run, so a disabled user or a changed role takes
    effect at the user's next click, not at their next sign-in.
    """
    user = _user(session, username)
    if user is None or not user.active:
        return None
    return principal_of(session, user)


def ensure_demo_users(session: Session, *, actor: str) -> list[tuple[str, str, str]]:
    """The demo accounts (user name, role, password), created when missing.

    The staff account works at the first site (by code) as its first active staff
    member; without sites it is left out. Existing accounts are left as they are.
    """
    first = session.scalar(select(Site).where(Site.active).order_by(Site.code).limit(1))
    made: list[tuple[str, str, str]] = []
    for role in ROLES:
        username, password = role, DEMO_PASSWORDS[role]
        if role == "staff" and first is None:
            continue
        if _user(session, username) is None:
            extra = _demo_staff_link(session, first) if role == "staff" and first else {}
            create_user(
                session, username=username, role=role, password=password, actor=actor, **extra
            )
        made.append((username, role, password))
    return made


def _demo_staff_link(session: Session, site: Site) -> dict[str, str]:
    """The demo staff user's site and, when the site has one, its staff member."""
    person = session.scalar(
        select(Staff).where(Staff.site_id == site.id, Staff.active).order_by(Staff.staff_id)
    )
    link = {"site_code": site.code}
    if person is not None:
        link["staff_id"] = person.staff_id
    return link


def create_user_as(
    session: Session,
    by: Principal,
    *,
    username: str,
    role: str,
    password: str,
    site_code: str | None = None,
    email: str | None = None,
    staff_id: str | None = None,
) -> User:
    """Add a user (admins only), with the admin as the actor."""
    require(by, "manage_users")
    return create_user(
        session, username=username, role=role, password=password, actor=by.actor,
        site_code=site_code, email=email, staff_id=staff_id,
    )  # fmt: skip


def set_password_as(session: Session, by: Principal, username: str, password: str) -> None:
    """Set a user's password (admins only)."""
    require(by, "manage_users")
    set_password(session, username, password, actor=by.actor)


def disable_user_as(session: Session, by: Principal, username: str) -> bool:
    """Disable a user (admins only; not oneself, so an admin cannot lock themself out)."""
    require(by, "manage_users")
    if username.strip().lower() == by.username:
        raise UserError("you cannot disable your own account")
    return disable_user(session, username, actor=by.actor)
