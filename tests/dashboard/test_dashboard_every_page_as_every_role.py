"""Every page as every role and as an anonymous visitor, against the access matrix.

Allowed pages render without an exception and show their title; a page a role may not
see shows "You do not have access to this page" and no data even when reached by URL
(AppTest's switch_page is a URL visit); an anonymous visitor gets the sign-in form.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from dashboard_world import build_world, pin_the_clock
from signin_helpers import APP, dashboard_module, sign_in
from streamlit.testing.v1 import AppTest

from readiness import access
from readiness.db import Database
from readiness.migrate import upgrade

navigation = dashboard_module("navigation")

# The access matrix, as README shows it ("yes": the page is in the role's navigation).
MATRIX = """
page        anonymous  staff  officer  inspector  admin
today       -          yes    yes      -          yes
overview    -          yes    yes      yes        yes
equipment   -          -      yes      yes        yes
stock       -          -      yes      yes        yes
staff       -          -      yes      yes        yes
drills      -          -      yes      yes        yes
incidents   -          -      yes      yes        yes
emergency_plan -       -      yes      yes        yes
audit       -          -      yes      yes        yes
imports     -          -      yes      -          yes
admin       -          -      -        -          yes
"""
TITLES = {
    "today": "Today",
    "overview": "Readiness overview",
    "equipment": "Equipment",
    "stock": "Stock and expiry",
    "staff": "Staff and certifications",
    "drills": "Drills",
    "incidents": "Incidents and corrective actions",
    "emergency_plan": "Emergency plan",
    "audit": "Audit and export",
    "imports": "Import spreadsheets",
    "admin": "Users",
}
# Buttons that write; an inspector must see none of them.
WRITE_BUTTONS = {
    "today_submit",
    "svc_submit",
    "status_submit",
    "cert_submit",
    "drill_submit",
    "inc_submit",
    "close_submit",
    "add_submit",
    "pw_submit",
    "disable_submit",
    "import_check",
}


def _matrix() -> dict[tuple[str, str], bool]:
    header, *rows = [line.split() for line in MATRIX.strip().splitlines()]
    return {
        (row[0], role): cell == "yes"
        for row in rows
        for role, cell in zip(header[1:], row[1:], strict=True)
    }


ALLOWED = _matrix()
CASES = sorted(ALLOWED)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('world')}/readiness.db")
    upgrade(db.engine)
    build_world(db)
    yield db
    db.dispose()


def test_the_matrix_here_is_the_one_the_code_enforces() -> None:
    for (page, role), allowed in ALLOWED.items():
        assert (role in access.PAGES[page]) == allowed, (page, role)
    assert {page for page, _ in ALLOWED} == set(access.PAGES)
    assert all((Path(APP).parent / "pages" / f"{page}.py").is_file() for page in access.PAGES)


def _visit(world: Database, monkeypatch: pytest.MonkeyPatch, role: str, page: str) -> AppTest:
    pin_the_clock(monkeypatch, world)
    at = AppTest.from_file(APP, default_timeout=60).run()
    if role != "anonymous":
        sign_in(at, role)
    return at.switch_page(f"pages/{page}.py").run()


def _button_keys(at: AppTest) -> set[str]:
    return {str(b.key) for b in at.button if b.key}


@pytest.mark.parametrize(("page", "role"), CASES, ids=[f"{p}-as-{r}" for p, r in CASES])
def test_page_as_role(
    world: Database, monkeypatch: pytest.MonkeyPatch, page: str, role: str
) -> None:
    at = _visit(world, monkeypatch, role, page)
    assert not at.exception, at.exception
    titles = [t.value for t in at.title]
    if ALLOWED[(page, role)]:
        assert TITLES[page] in titles
        assert access.NOT_ALLOWED not in [e.value for e in at.error]
        if role == "inspector":
            assert not _button_keys(at) & WRITE_BUTTONS
    elif role == "anonymous":
        assert titles == ["Sign in to Readiness"]
        assert at.text_input(key="login_password").value == ""
        assert not at.dataframe and not at.metric
    else:
        assert [e.value for e in at.error] == [access.NOT_ALLOWED]
        assert TITLES[page] not in titles
        assert not at.dataframe and not at.metric and not at.selectbox
        assert not _button_keys(at) & WRITE_BUTTONS


def test_staff_see_only_their_own_site(world: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _visit(world, monkeypatch, "staff", "overview")
    at.session_state["overview_show_sites"] = True  # the readiness matrix's section
    matrix = at.run().dataframe[0].value
    assert list(matrix["Site"]) == ["AUS1"]
    today = _visit(world, monkeypatch, "staff", "today")
    assert today.selectbox(key="today_site").options == ["AUS1 — Clinic AUS1"]


def test_the_navigation_lists_only_the_roles_pages(
    world: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    for role in ("staff", "officer", "inspector", "admin"):
        user = access.Principal(role, role)
        shown = {entry.page for entry in navigation.plan(user) if entry.visible}
        assert shown == {page for page in access.PAGES if ALLOWED[(page, role)]}
        (home,) = [entry.page for entry in navigation.plan(user) if entry.home]
        assert home == ("today" if role == "staff" else "overview")
        pin_the_clock(monkeypatch, world)
        at = AppTest.from_file(APP, default_timeout=60).run()
        sign_in(at, role)
        assert [t.value for t in at.title] == [TITLES[home]]  # signing in lands on the home page
    assert not any(entry.visible or entry.home for entry in navigation.plan(None))
