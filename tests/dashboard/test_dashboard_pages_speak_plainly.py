"""Every page as every role reads as plain language: no raw requirement id, no None, nan or
NaT, no snake_case column header in what it renders (tables' headers and cells, markdown,
metrics, captions, messages); the raw id is shown only in a column named "Requirement id".
Officers and admins see what to do about stopped reminders; staff and inspectors do not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pandas as pd
import pytest
from dashboard_world import build_world, pin_the_clock
from signin_helpers import APP, sign_in
from streamlit.testing.v1 import AppTest

from readiness import access
from readiness.db import Database
from readiness.migrate import upgrade
from readiness.policy.current import current_policy

ROLES = ("staff", "officer", "inspector", "admin")
CASES = [(page, role) for page in access.PAGES for role in ROLES if role in access.PAGES[page]]
RAW_ID_COLUMN = "Requirement id"
NULL_WORDS = re.compile(r"(?<![\w-])(None|nan|NaN|NaT|<NA>)(?![\w-])")
SNAKE = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+")
# The overview's sections draw only when opened: each is opened in turn.
OVERVIEW_SECTIONS = ("overview_show_sites", "overview_show_attention", "overview_show_due")


def raw_ids() -> re.Pattern[str]:
    """Any of the policy's requirement ids standing alone in a text."""
    ids = sorted(current_policy().requirements, key=len, reverse=True)
    return re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, ids)) + r")(?![\w.])")


RAW_ID = raw_ids()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('plain')}/readiness.db")
    upgrade(db.engine)
    build_world(db)
    yield db
    db.dispose()


def visit(world: Database, monkeypatch: pytest.MonkeyPatch, role: str, page: str) -> AppTest:
    pin_the_clock(monkeypatch, world)
    at = AppTest.from_file(APP, default_timeout=60).run()
    sign_in(at, role)
    return at.switch_page(f"pages/{page}.py").run()


def texts(at: AppTest) -> list[str]:
    """Every text a person reads on the page, apart from the tables."""
    found: list[str] = []
    for kind in ("markdown", "caption", "title", "subheader", "header", "success", "info"):
        found += [str(element.value) for element in getattr(at, kind)]
    found += [str(element.value) for element in at.warning]
    found += [str(element.value) for element in at.error]
    for metric in at.metric:
        found += [str(metric.label), str(metric.value)]
    return found


def problems_in_tables(at: AppTest) -> list[str]:
    """Raw ids, empty-value words and snake_case headers in the page's dataframes."""
    found: list[str] = []
    for element in at.dataframe:
        frame: pd.DataFrame = element.value
        for column in frame.columns:
            header = str(column)
            if SNAKE.fullmatch(header) or "_" in header or RAW_ID.search(header):
                found.append(f"header {header!r}")
            for value in frame[column]:
                text = _cell_text(value)
                if text is None:
                    found.append(f"{header}: empty value {value!r}")
                elif NULL_WORDS.search(text):
                    found.append(f"{header}: {text!r}")
                elif header != RAW_ID_COLUMN and RAW_ID.search(text):
                    found.append(f"{header}: raw id in {text!r}")
    return found


def _cell_text(value: object) -> str | None:
    """The cell as text; None for a missing value (None, NaN, NaT, NA)."""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    try:
        if pd.isna(value):  # type: ignore[call-overload]
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def problems(at: AppTest) -> list[str]:
    found = problems_in_tables(at)
    for text in texts(at):
        if NULL_WORDS.search(text):
            found.append(f"text with an empty value: {text!r}")
        if RAW_ID.search(text):
            found.append(f"text with a raw id: {text!r}")
        if re.search(r"\b1 [a-z]+s\b", text) and not re.search(r"\b1 (days?|s)\b", text):
            found.append(f"plural after 1: {text!r}")
    return found


def open_everything(at: AppTest, page: str) -> list[AppTest]:
    """The page as drawn, then with each closed section or picker opened."""
    drawn = [at]
    if page == "overview":
        for section in OVERVIEW_SECTIONS:
            at.session_state[section] = True
            drawn.append(at.run())
            if section == "overview_show_sites":
                pickers = [box for box in at.selectbox if box.key == "overview_blocking_site"]
                if pickers and pickers[0].options:
                    code = pickers[0].options[0].split(" — ")[0]  # shown as "CODE — name"
                    drawn.append(pickers[0].set_value(code).run())
            if section == "overview_show_attention":
                at.checkbox(key="overview_include_ok").check()
                drawn.append(at.run())
    return drawn


@pytest.mark.parametrize(("page", "role"), CASES, ids=[f"{p}-as-{r}" for p, r in CASES])
def test_page_reads_plainly(
    world: Database, monkeypatch: pytest.MonkeyPatch, page: str, role: str
) -> None:
    at = visit(world, monkeypatch, role, page)
    assert not at.exception, at.exception
    for drawn in open_everything(at, page):
        assert not drawn.exception, drawn.exception
        assert problems(drawn) == [], (page, role)


def test_the_overview_names_requirements_by_their_titles(
    world: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = visit(world, monkeypatch, "officer", "overview")
    at.session_state["overview_show_attention"] = True
    at.run()
    at.checkbox(key="overview_include_ok").check().run()
    (rows,) = [d.value for d in at.dataframe if RAW_ID_COLUMN in d.value.columns]
    policy = current_policy()
    assert len(rows) > 0
    for title, rid in zip(rows["Requirement"], rows[RAW_ID_COLUMN], strict=True):
        assert title == policy.requirements[rid].title
    statuses = {str(word) for cell in rows["Status"] for word in cell}  # coloured labels
    assert "OK" in statuses
    assert statuses <= {
        "Failed",
        "Overdue",
        "Expired",
        "Missing",
        "Due soon",
        "OK",
        "Not applicable",
    }
    days = rows["Days left"].astype(str)
    assert all(value == "" or value.lstrip("-").isdigit() for value in days)


@pytest.mark.parametrize(
    ("role", "shown"), [("staff", False), ("inspector", False), ("officer", True), ("admin", True)]
)
def test_only_who_can_act_sees_the_reminder_banner(
    world: Database, monkeypatch: pytest.MonkeyPatch, role: str, shown: bool
) -> None:
    at = visit(world, monkeypatch, role, "overview")
    banner = [e.value for e in [*at.error, *at.success] if "eminders" in str(e.value)]
    assert bool(banner) == shown
    if shown:
        assert any("readiness scheduler" in str(text) for text in banner) or all(
            "last ran" in str(text) for text in banner
        )
