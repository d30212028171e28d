"""Every vectorised rule gives, row by row, exactly what its scalar twin gives."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import product
from typing import get_args

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.rules.due import (
    DATE_DTYPE,
    DueKind,
    add_months,
    add_months_series,
    aha_card_expiry,
    aha_expiry_series,
    certificate_expiry,
    certificate_expiry_series,
    days_until,
    days_until_series,
    due_status_series,
    end_of_month_series,
    month_end,
    next_due,
    next_due_series,
    status_for_due,
    stock_due_on,
    stock_due_on_series,
    warning_tier,
    warning_tier_series,
)
from readiness.rules.status import Status

AS_OF = date(2026, 3, 9)
dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31))
maybe_dates = st.one_of(st.none(), dates)
# Offsets near the as_of date, where the boundaries are.
offsets = st.one_of(st.none(), st.integers(-130, 130))
kinds = st.sampled_from(get_args(DueKind))
tier_lists = st.lists(st.integers(1, 120), max_size=3)


def as_dates(series: pd.Series) -> list[date | None]:
    return [None if pd.isna(value) else value.date() for value in series]


def as_ints(series: pd.Series) -> list[int | None]:
    return [None if pd.isna(value) else int(value) for value in series]


def near(as_of: date, days: list[int | None]) -> list[date | None]:
    return [None if n is None else as_of + timedelta(days=n) for n in days]


# --- a large deterministic table --------------------------------------------------

GRID_OFFSETS = list(range(-100, 101))
GRID_WINDOWS = [[], [30], [60], [90, 60, 30], [7]]


@pytest.mark.parametrize(
    ("kind", "valid_through"), list(product(["recurring", "expiry"], [True, False]))
)
@pytest.mark.parametrize("warn_days", GRID_WINDOWS, ids=str)
def test_due_status_on_a_table_of_every_boundary(
    kind: DueKind, valid_through: bool, warn_days: list[int]
) -> None:
    due = [*near(AS_OF, list(GRID_OFFSETS)), None]
    vectorised = due_status_series(
        pd.Series(due, dtype=object),
        AS_OF,
        warn_days,
        kind,
        valid_through=valid_through,
    )
    scalar = [status_for_due(d, AS_OF, warn_days, kind, valid_through=valid_through) for d in due]
    assert list(vectorised) == scalar


def test_month_arithmetic_on_every_day_of_four_years() -> None:
    days = [date(2023, 1, 1) + timedelta(days=n) for n in range(366 * 4)]
    series = pd.Series(days)
    for months in (-13, -1, 1, 6, 12, 24, 25):
        assert as_dates(add_months_series(series, months)) == [add_months(d, months) for d in days]
    assert as_dates(aha_expiry_series(series)) == [aha_card_expiry(d) for d in days]
    assert as_dates(end_of_month_series(series)) == [month_end(d) for d in days]


# --- generated tables -------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    as_of=dates,
    days=st.lists(offsets, max_size=40),
    warn=tier_lists,
    kind=kinds,
    valid_through=st.booleans(),
)
def test_due_status(
    as_of: date, days: list[int | None], warn: list[int], kind: DueKind, valid_through: bool
) -> None:
    due = near(as_of, days)
    series = pd.Series(due, dtype=object)
    got = due_status_series(series, as_of, warn, kind, valid_through=valid_through)
    assert list(got) == [
        status_for_due(d, as_of, warn, kind, valid_through=valid_through) for d in due
    ]


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(
        st.tuples(offsets, offsets, st.integers(0, 90), kinds, st.booleans()), max_size=40
    )
)
def test_due_status_with_every_argument_per_row(
    rows: list[tuple[int | None, int | None, int, DueKind, bool]],
) -> None:
    due = near(AS_OF, [r[0] for r in rows])
    as_of = [AS_OF if r[1] is None else AS_OF + timedelta(days=r[1]) for r in rows]
    got = due_status_series(
        pd.Series(due, dtype=object),
        pd.Series(as_of, dtype=object),
        pd.Series([r[2] for r in rows], dtype="int64"),
        pd.Series([r[3] for r in rows], dtype=object),
        valid_through=pd.Series([r[4] for r in rows], dtype=bool),
    )
    assert list(got) == [
        status_for_due(d, a, r[2], r[3], valid_through=r[4])
        for d, a, r in zip(due, as_of, rows, strict=True)
    ]


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.tuples(maybe_dates, st.one_of(st.none(), st.integers(-240, 240))), max_size=40)
)
def test_add_months_with_a_month_count_per_row(rows: list[tuple[date | None, int | None]]) -> None:
    days = pd.Series([r[0] for r in rows], dtype=object)
    months = pd.Series([r[1] for r in rows], dtype="Int64")
    expected = [None if d is None or n is None else add_months(d, n) for d, n in rows]
    assert as_dates(add_months_series(days, months)) == expected


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.tuples(maybe_dates, st.integers(1, 60), st.booleans()), max_size=40))
def test_certificate_expiry(rows: list[tuple[date | None, int, bool]]) -> None:
    issued = pd.Series([r[0] for r in rows], dtype=object)
    got = certificate_expiry_series(
        issued, pd.Series([r[1] for r in rows]), pd.Series([r[2] for r in rows], dtype=bool)
    )
    assert as_dates(got) == [
        None if d is None else certificate_expiry(d, m, end_of_month=eom) for d, m, eom in rows
    ]
    assert as_dates(aha_expiry_series(issued)) == [
        None if d is None else aha_card_expiry(d) for d, _, _ in rows
    ]


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.tuples(maybe_dates, st.one_of(st.none(), st.integers(1, 36))), max_size=40),
    default=st.integers(1, 24),
)
def test_next_due_with_a_per_asset_override(
    rows: list[tuple[date | None, int | None]], default: int
) -> None:
    # The compliance engine fills the policy interval where the asset has no override.
    done = pd.Series([r[0] for r in rows], dtype=object)
    months = pd.Series([r[1] for r in rows], dtype="Int64").fillna(default)
    expected = [
        None if d is None else next_due(d, months=default if n is None else n) for d, n in rows
    ]
    assert as_dates(next_due_series(done, months=months)) == expected


@settings(max_examples=200, deadline=None)
@given(done=st.lists(maybe_dates, max_size=40), step=st.integers(1, 400))
def test_next_due_in_days(done: list[date | None], step: int) -> None:
    got = next_due_series(pd.Series(done, dtype=object), days=step)
    assert as_dates(got) == [None if d is None else next_due(d, days=step) for d in done]


@settings(max_examples=200, deadline=None)
@given(as_of=dates, days=st.lists(offsets, max_size=40), tiers=tier_lists)
def test_days_until_and_warning_tier(as_of: date, days: list[int | None], tiers: list[int]) -> None:
    due = near(as_of, days)
    series = pd.Series(due, dtype=object)
    assert as_ints(days_until_series(series, as_of)) == [
        None if d is None else days_until(d, as_of) for d in due
    ]
    assert as_ints(warning_tier_series(series, as_of, tiers)) == [
        warning_tier(d, as_of, tiers) for d in due
    ]


lots = st.lists(
    st.tuples(st.sampled_from(["A", "B", "C"]), offsets, st.integers(0, 3)), max_size=30
)


@settings(max_examples=300, deadline=None)
@given(rows=lots, minimum=st.integers(1, 4), valid_through=st.booleans())
def test_stock_due_on(
    rows: list[tuple[str, int | None, int]], minimum: int, valid_through: bool
) -> None:
    frame = pd.DataFrame(
        {
            "site": [r[0] for r in rows],
            "expires_on": pd.Series(near(AS_OF, [r[1] for r in rows]), dtype=object),
            "quantity": [r[2] for r in rows],
        }
    )
    got = stock_due_on_series(frame, "site", AS_OF, minimum, valid_through=valid_through)
    expected = {
        site: stock_due_on(
            [(AS_OF + timedelta(days=n), q) for s, n, q in rows if s == site and n is not None],
            AS_OF,
            minimum,
            valid_through=valid_through,
        )
        for site in sorted({r[0] for r in rows})
    }
    assert dict(zip(got.index, as_dates(got), strict=True)) == expected


# --- input and output forms ---------------------------------------------------------

FORMS = {
    "date objects": pd.Series([date(2026, 3, 31), None, date(2026, 6, 1)], dtype=object),
    "datetime64": pd.to_datetime(pd.Series(["2026-03-31", None, "2026-06-01"])),
    "iso text": pd.Series(["2026-03-31", None, "2026-06-01"]),
    "timestamps at midnight": pd.Series(
        [pd.Timestamp("2026-03-31"), pd.NaT, pd.Timestamp("2026-06-01")]
    ),
}


@pytest.mark.parametrize("form", FORMS.values(), ids=list(FORMS))
def test_dates_may_come_in_any_pandas_form(form: pd.Series) -> None:
    assert list(due_status_series(form, AS_OF, [30], "recurring")) == [
        Status.DUE_SOON,
        Status.MISSING,
        Status.OK,
    ]
    assert as_dates(add_months_series(form, 1)) == [date(2026, 4, 30), None, date(2026, 7, 1)]


def test_the_index_is_kept_and_the_dtypes_are_documented() -> None:
    series = pd.Series([date(2026, 3, 31), None], index=["S-1", "S-2"], dtype=object)
    dated = add_months_series(series, 1)
    status = due_status_series(series, AS_OF, [30])
    assert list(dated.index) == list(status.index) == ["S-1", "S-2"]
    assert dated.dtype == DATE_DTYPE
    assert str(days_until_series(series, AS_OF).dtype) == "Int64"
    assert set(status) <= {str(s) for s in Status}


def test_instants_are_refused() -> None:
    instants = pd.Series(pd.to_datetime(["2026-03-09T23:30:00Z"]))
    with pytest.raises(TypeError, match="site-local dates"):
        due_status_series(instants, AS_OF, [30])


def test_an_as_of_series_must_match_the_rows() -> None:
    with pytest.raises(ValueError, match="as_of has 1 rows, expected 2"):
        days_until_series(pd.Series([AS_OF, AS_OF]), pd.Series([AS_OF]))


def test_next_due_series_wants_exactly_one_unit() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        next_due_series(pd.Series([AS_OF]))


def test_a_site_without_any_lot_is_reindexed_by_the_caller() -> None:
    frame = pd.DataFrame({"site": ["A"], "expires_on": [date(2026, 9, 1)], "quantity": [2]})
    got = stock_due_on_series(frame, "site", AS_OF, 2).reindex(["A", "B"])
    assert as_dates(got) == [date(2026, 9, 1), None]
    assert list(due_status_series(got, AS_OF, [60], "expiry", valid_through=False)) == [
        Status.OK,
        Status.MISSING,
    ]
