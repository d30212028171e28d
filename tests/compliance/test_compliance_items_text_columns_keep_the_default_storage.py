"""The engine judges on Python-stored text for speed, but its answer keeps pandas' default
text storage, and the process-wide option is as it was, also after a failure and when
several threads judge at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pandas as pd
import pytest
from compliance_support import Practice, items_of

from readiness.compliance import COLUMNS
from readiness.db import Database
from readiness.errors import UserError

TZ = "America/New_York"
DAY = date(2026, 3, 9)


@pytest.fixture(scope="module")
def db(practice_db: Database) -> Database:
    with practice_db.write() as session:
        p = Practice(session)
        site = p.site("ONE", TZ)
        p.asset(site, "L-1", "laser")
        p.cert(p.staff(site, "S-1", "rn"), "bls", date(2025, 6, 1))
    return practice_db


def _default_text() -> pd.StringDtype:
    """The dtype pandas gives text here, as callers of the engine have always had it."""
    return pd.Series(["x"], dtype="str").dtype


def test_text_columns_are_in_the_default_storage(db: Database) -> None:
    items = items_of(db, as_of=DAY)
    assert len(items) > 0
    for column in COLUMNS:
        if column.endswith("_on"):
            assert items[column].dtype == "datetime64[s]"
        else:
            assert items[column].dtype == _default_text(), column
            assert items[column].dtype.storage == _default_text().storage, column


def test_the_option_is_as_it_was_after_a_judgement_and_after_a_failure(db: Database) -> None:
    before = pd.get_option("mode.string_storage")
    items_of(db, as_of=DAY)
    assert pd.get_option("mode.string_storage") == before
    with pytest.raises(UserError, match="unknown site code"):
        items_of(db, as_of=DAY, sites=["NOPE"])
    assert pd.get_option("mode.string_storage") == before


def test_judgements_in_several_threads_agree_and_leave_the_option_alone(db: Database) -> None:
    before = pd.get_option("mode.string_storage")
    alone = items_of(db, as_of=DAY)
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda _: items_of(db, as_of=DAY), range(8)))
    for answer in answers:
        assert answer.astype(object).equals(alone.astype(object))
        assert answer["detail"].dtype.storage == _default_text().storage
    assert pd.get_option("mode.string_storage") == before
