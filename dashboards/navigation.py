"""Which pages the navigation lists for a user, which is their home, and their titles."""

from __future__ import annotations

from dataclasses import dataclass

from readiness.access import Principal

# Page id (file pages/<id>.py) -> navigation title and icon, in navigation order.
PAGES = {
    "today": ("Today", ":material/task_alt:"),
    "overview": ("Overview", ":material/dashboard:"),
    "equipment": ("Equipment", ":material/build:"),
    "stock": ("Stock and expiry", ":material/medication:"),
    "staff": ("Staff and certifications", ":material/badge:"),
    "drills": ("Drills", ":material/emergency:"),
    "incidents": ("Incidents and actions", ":material/healing:"),
    "emergency_plan": ("Emergency plan", ":material/contact_phone:"),
    "audit": ("Audit and export", ":material/verified:"),
    "imports": ("Import", ":material/upload_file:"),
    "admin": ("Users", ":material/group:"),
}


@dataclass(frozen=True)
class Entry:
    """One page of the navigation: shown or hidden, and whether it is the landing page."""

    page: str
    title: str
    icon: str
    visible: bool
    home: bool


def home(user: Principal) -> str:
    """The page a role lands on: staff their checklists, everyone else the overview."""
    return "today" if user.may_see("today") and not user.may_see("equipment") else "overview"


def plan(user: Principal | None) -> list[Entry]:
    """Every page (so a URL always reaches the page's own check), visible only when allowed."""
    landing = home(user) if user is not None else None
    return [
        Entry(page, title, icon, user is not None and user.may_see(page), page == landing)
        for page, (title, icon) in PAGES.items()
    ]
