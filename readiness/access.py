"""Who may do what: the roles, the access matrix (pages and actions) and site scoping.

The matrix is data so that the dashboard's navigation, each page's own check, each
service's check, the tests and README all read one table. A user limited to a site
sees and changes only that site; `site_codes` None means every site.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from readiness.errors import UserError

ROLES: Final = ("staff", "officer", "inspector", "admin")
ALL_ROLES: Final = frozenset(ROLES)
NOT_ALLOWED: Final = "You do not have access to this page."

# Page id -> roles that see it (the dashboard's file pages/<id>.py).
PAGES: Final[dict[str, frozenset[str]]] = {
    "today": frozenset({"staff", "officer", "admin"}),
    "overview": ALL_ROLES,
    "equipment": frozenset({"officer", "inspector", "admin"}),
    "stock": frozenset({"officer", "inspector", "admin"}),
    "staff": frozenset({"officer", "inspector", "admin"}),
    "drills": frozenset({"officer", "inspector", "admin"}),
    "incidents": frozenset({"officer", "inspector", "admin"}),
    "emergency_plan": frozenset({"officer", "inspector", "admin"}),
    "audit": frozenset({"officer", "inspector", "admin"}),
    "imports": frozenset({"officer", "admin"}),
    "admin": frozenset({"admin"}),
}

# Action id -> (roles allowed, what it is, for refusals: "may not <what>").
ACTIONS: Final[dict[str, tuple[frozenset[str], str]]] = {
    "submit_checklist": (frozenset({"staff", "officer", "admin"}), "submit checklists"),
    "acknowledge_plan": (
        frozenset({"staff", "officer", "admin"}),
        "acknowledge the emergency plan",
    ),
    "record_service": (frozenset({"officer", "admin"}), "record service or calibration"),
    "set_asset_status": (frozenset({"officer", "admin"}), "take assets in or out of service"),
    "add_certification": (frozenset({"officer", "admin"}), "add certifications"),
    "log_drill": (frozenset({"officer", "admin"}), "log drills"),
    "record_stock": (frozenset({"officer", "admin"}), "record stock received, used or disposed"),
    "log_incident": (frozenset({"officer", "admin"}), "log incidents"),
    "manage_actions": (frozenset({"officer", "admin"}), "open or close corrective actions"),
    "export": (frozenset({"officer", "inspector", "admin"}), "download the inspector export"),
    "verify_audit": (frozenset({"officer", "inspector", "admin"}), "verify the audit chain"),
    "import_files": (frozenset({"officer", "admin"}), "import files"),
    "manage_users": (frozenset({"admin"}), "manage users"),
    "manage_assets": (frozenset({"officer", "admin"}), "change or retire equipment"),
    "manage_staff": (frozenset({"officer", "admin"}), "add staff or record a departure"),
    "review_documents": (frozenset({"officer", "admin"}), "record document reviews"),
    "complete_followups": (frozenset({"officer", "admin"}), "complete incident follow-ups"),
    "manage_settings": (frozenset({"admin"}), "change the practice's settings"),
    "edit_site_plan": (
        frozenset({"officer", "admin"}),
        "change a site's emergency contacts and roles",
    ),
}


class AccessDenied(UserError):
    """The signed-in user's role or site does not allow this."""


@dataclass(frozen=True)
class Principal:
    """A signed-in user as every check sees them: name, role and the sites they cover."""

    username: str
    role: str
    # None: every site; otherwise the only site codes this user may see and change.
    site_codes: tuple[str, ...] | None = None
    staff_id: str | None = None

    @property
    def actor(self) -> str:
        """The audit trail's name for this user's writes."""
        return f"user:{self.username}"

    def may_see(self, page: str) -> bool:
        """True when the page is in this role's navigation."""
        return self.role in PAGES.get(page, frozenset())

    def may(self, action: str) -> bool:
        """True when this role may perform the action (on some site)."""
        return action in ACTIONS and self.role in ACTIONS[action][0]

    def covers(self, site_code: str) -> bool:
        """True when this user may see and act on the site."""
        return self.site_codes is None or site_code in self.site_codes

    def visible(self, codes: Iterable[str]) -> list[str]:
        """The given site codes this user may see, in order."""
        return [code for code in codes if self.covers(code)]

    @property
    def label(self) -> str:
        """E.g. "officer (officer, all sites)"."""
        where = "all sites" if self.site_codes is None else ", ".join(self.site_codes)
        return f"{self.username} ({self.role}, {where})"


def pages_for(role: str) -> list[str]:
    """The page ids a role sees, in navigation order."""
    return [page for page, roles in PAGES.items() if role in roles]


def require(user: Principal | None, action: str, site_code: str | None = None) -> Principal:
    """The user, when signed in and allowed the action (on the site); else AccessDenied."""
    if user is None:
        raise AccessDenied("sign in first")
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    roles, what = ACTIONS[action]
    if user.role not in roles:
        raise AccessDenied(f"a user with the {user.role} role may not {what}")
    if site_code is not None and not user.covers(site_code):
        raise AccessDenied(f"{user.username} may not act on site {site_code}")
    return user


def require_page(user: Principal | None, page: str) -> Principal:
    """The user, when signed in and the page is theirs; else AccessDenied."""
    if user is None:
        raise AccessDenied("sign in first")
    if not user.may_see(page):
        raise AccessDenied(NOT_ALLOWED)
    return user
