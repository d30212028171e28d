"""The items table: exact columns and types, one row per requirement and subject, the
site filter, unknown and inactive sites, and a fixed number of bulk queries however
many sites and subjects there are."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pandas as pd
import pytest
from compliance_support import AS_OF, POLICY, Practice, items_of
from sqlalchemy import event

from readiness.compliance import COLUMNS
from readiness.db import Database
from readiness.errors import UserError


@pytest.fixture(scope="module")
def db(practice_db: Database) -> Database:
    with practice_db.write() as session:
        p = Practice(session)
        for code in ("AUS1", "DAL1", "HOU1"):
            site = p.site(code, open_days="mon-fri")
            for n in range(3):
                person = p.staff(site, f"{code}-S{n}", "rn")
                p.cert(person, "bls", date(2025, 1, 1))
            p.asset(site, f"{code}-L1", "laser")
            p.asset(site, f"{code}-AED", "aed", pads_expire_on=date(2027, 1, 1))
        p.site("OLD1", active=False)
    return practice_db


@pytest.fixture(scope="module")
def items(db: Database) -> pd.DataFrame:
    return items_of(db, as_of=AS_OF)


def test_the_columns_and_their_types(items: pd.DataFrame) -> None:
    assert list(items.columns) == list(COLUMNS)
    assert str(items["due_on"].dtype) == "datetime64[s]"
    assert str(items["last_done_on"].dtype) == "datetime64[s]"
    assert items["detail"].str.len().min() > 0


def test_one_row_per_requirement_and_subject(items: pd.DataFrame) -> None:
    assert not items.duplicated(["site", "requirement", "subject"]).any()
    site_level = [r.id for r in POLICY.requirements.values() if r.subject == "site"]
    for site in ("AUS1", "DAL1", "HOU1"):
        here = items[items["site"] == site]
        assert set(here[here["subject_type"] == "site"]["requirement"]) == set(site_level)
    assert sorted(items["site"].unique()) == ["AUS1", "DAL1", "HOU1"]


def test_sorted_by_site_requirement_subject(items: pd.DataFrame) -> None:
    keys = list(zip(items["site"], items["requirement"], items["subject"], strict=True))
    assert keys == sorted(keys)


def test_a_site_filter(db: Database) -> None:
    items = items_of(db, as_of=AS_OF, sites=["DAL1"])
    assert set(items["site"]) == {"DAL1"}
    assert len(items) == len(items_of(db, as_of=AS_OF).query("site == 'DAL1'"))


def test_an_unknown_site_is_refused(db: Database) -> None:
    with pytest.raises(UserError, match=r"^unknown site code 'XYZ'$"):
        items_of(db, sites=["DAL1", "XYZ"])


def test_an_inactive_site_only_when_named(db: Database, items: pd.DataFrame) -> None:
    assert "OLD1" not in set(items["site"])
    assert set(items_of(db, as_of=AS_OF, sites=["OLD1"])["site"]) == {"OLD1"}


@contextmanager
def counted(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_a_handful_of_bulk_queries_whatever_the_size(db: Database) -> None:
    with counted(db) as one_site:
        items_of(db, as_of=AS_OF, sites=["AUS1"])
    with counted(db) as all_sites:
        items_of(db, as_of=AS_OF)
    selects = [s for s in all_sites if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == len([s for s in one_site if s.lstrip().upper().startswith("SELECT")])
    # Sites, staff, assets, 6 evidence tables, the checklist answers read against the
    # asset records (aed.records_match) and the older checklist history; for
    # plan.acknowledged the plan's inputs (contacts, roles, hospital) and the acknowledgements.
    assert len(selects) <= 17


def test_an_empty_practice_gives_an_empty_table(tmp_path: object) -> None:
    from readiness.migrate import upgrade

    empty = Database(f"sqlite:///{tmp_path}/empty.db")
    upgrade(empty.engine)
    items = items_of(empty, as_of=AS_OF)
    assert list(items.columns) == list(COLUMNS) and items.empty
