"""Cell text is made safe before it is written and hashed; canonical lines are stable."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readiness.export.cells import MAX_CELL_CHARS, Toned, canonical, clean_row, line_of, safe_text
from readiness.export.layout import base_name, check_sheet_name, part_name


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("=1+1", "=1+1"),
        ("\t=x", "\t=x"),
        ("\r\n=y", "\r\n=y"),
        ("a\x00b", "a␀b"),
        ("bell\x07", "bell␇"),
        ("esc\x1b[31m", "esc␛[31m"),
        ("\ufffe", "\ufffd"),
        ("", None),
    ],
)
def test_text_is_shown_as_written(text: str, shown: str | None) -> None:
    assert safe_text(text) == shown


def test_long_text_is_cut_to_the_limit_with_its_length() -> None:
    cut = safe_text("a" * 50_000)
    assert cut is not None and len(cut) == MAX_CELL_CHARS
    assert cut.endswith(" … [truncated: 50,000 characters in total]")
    assert safe_text("b" * MAX_CELL_CHARS) == "b" * MAX_CELL_CHARS


@given(st.text(min_size=0, max_size=200))
def test_safe_text_is_idempotent_and_xml_clean(text: str) -> None:
    once = safe_text(text)
    assert safe_text(once or "") == once
    if once is not None:
        assert all(ch in "\t\n\r" or ord(ch) >= 0x20 for ch in once)
        assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in once)


def test_canonical_lines_drop_trailing_nulls_and_type_values() -> None:
    row = [
        "x",
        1,
        2.0,
        2.5,
        date(2026, 3, 9),
        datetime(2026, 3, 9, 8, 12, 5),
        None,
        Toned("ok", "good"),
        None,
    ]
    assert line_of(clean_row(row)) == (
        b'["x",1,2,2.5,"2026-03-09","2026-03-09T08:12:05",null,"ok"]\n'
    )
    with pytest.raises(TypeError):
        canonical(True)


@pytest.mark.parametrize("name", ["Checklist items", "Service and calibration log"])
def test_sheet_names_and_parts_are_valid(name: str) -> None:
    assert part_name(name, 1) == name
    second = part_name(name, 2)
    assert second == f"{name} (2)" and len(second) <= 31
    assert base_name(second) == name


@pytest.mark.parametrize("bad", ["a" * 32, "a/b", "a[1]", "x:y", "what?", "star*", "", "'quoted"])
def test_invalid_sheet_names_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        check_sheet_name(bad)
