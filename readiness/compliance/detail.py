"""Pieces of the `detail` sentence, built for whole columns at once.

A detail is written for a clinic manager: what is due or expiring, when, and what
was done last, e.g. "BLS expires 2026-03-31 (in 23 days)". Sentences are chosen by
status and joined as numpy object arrays (wrapped in Series of object dtype): one
vectorised operation per piece, never a format call per row in Python.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import pandas as pd

Text = pd.Series | str
Words = npt.NDArray[np.object_]


def iso(dates: pd.Series) -> pd.Series:
    """Dates as "YYYY-MM-DD" ("" where unknown)."""
    days = dates.to_numpy(dtype="datetime64[D]")
    known = ~np.isnat(days)
    text = np.full(len(days), "", dtype=object)
    numbers = days[known].astype(np.int64)
    if len(numbers):
        # Rows share a few hundred days: each day of their span is written once.
        low, high = int(numbers.min()), int(numbers.max())
        if high - low < 4 * len(numbers) + 366:
            span = np.arange(low, high + 1).astype("datetime64[D]")
            text[known] = np.datetime_as_string(span, unit="D").astype(object)[numbers - low]
        else:
            text[known] = np.datetime_as_string(days[known], unit="D").astype(object)
    return _series(text, dates.index)


def span(days_left: pd.Series) -> pd.Series:
    """Days from as_of as words: "today", "in 1 day", "in 23 days", "3 days ago"."""
    days = days_left.to_numpy(dtype="float64", na_value=0).astype(np.int64)
    size = np.abs(days).astype(str).astype(object)
    unit = np.where(np.abs(days) == 1, " day", " days").astype(object)
    words = np.where(
        days == 0, "today", np.where(days > 0, "in " + size + unit, size + unit + " ago")
    )
    return _series(words, days_left.index)


def pick(status: pd.Series, texts: Mapping[str, Text], default: Text = "") -> pd.Series:
    """Per row, the text given for its status (or the default)."""
    words = status.to_numpy(dtype=object)
    conditions = [words == word for word in texts]
    choices = [_values(text, status.index) for text in texts.values()]
    return _series(
        np.select(conditions, choices, default=_values(default, status.index)), status.index
    )


def either(condition: pd.Series, yes: Text, no: Text = "") -> pd.Series:
    """Per row, `yes` where the condition holds and `no` elsewhere."""
    index = condition.index
    chosen = np.where(condition.to_numpy(dtype=bool), _values(yes, index), _values(no, index))
    return _series(chosen, index)


def capitalised(text: str) -> str:
    """Text with its first letter upper-cased (and the rest left alone, unlike str.capitalize)."""
    return text[:1].upper() + text[1:]


def words(name: str) -> str:
    """A policy name as words: "transfer_agreement" -> "transfer agreement"."""
    return name.replace("_", " ")


def thing(title: str) -> str:
    """What a requirement titled "AED pads in date" is about: "AED pads"."""
    # Titles of expiring things say what must be in date; the sentence says the rest.
    return title.removesuffix(" in date")


def _values(text: Text, index: pd.Index) -> Words:
    """A text, or a Series aligned with `index`, as an object array ("" for NA)."""
    if isinstance(text, pd.Series):
        values = text.to_numpy(dtype=object)
        return np.where(pd.isna(values), "", values)
    return np.full(len(index), text, dtype=object)


def _series(values: Words, index: pd.Index) -> pd.Series:
    """Text pieces as a Series of object dtype, which joins with + at numpy speed."""
    return pd.Series(values, index=index, dtype=object)
