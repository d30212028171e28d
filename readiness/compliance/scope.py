"""Which sites are judged, on which day and at which instant."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import and_, false, or_
from sqlalchemy.sql.elements import ColumnElement

from readiness.compliance.frames import (
    Query,
    day_of,
    lookup,
)
from readiness.compliance.histories import in_force


class Scope:
    """The sites being judged, indexed by site_id, with each one's as_of and at_utc."""

    def __init__(self, sites: pd.DataFrame, *, named: bool) -> None:
        self.sites = _open_days_as_of(sites)
        self.named = named

    def of(self, site_ids: pd.Series, column: str) -> pd.Series:
        """A sites column (as_of, at_utc, timezone, ...) for each row's site_id (NA: not judged)."""
        return lookup(self.sites[column], site_ids)

    @property
    def ids(self) -> list[int]:
        """The judged sites' primary keys."""
        return [int(site_id) for site_id in self.sites.index]

    @property
    def last_day(self) -> date:
        """The latest as_of of any judged site."""
        return day_of(self.sites["as_of"].max())

    @property
    def first_day(self) -> date:
        """The earliest as_of of any judged site."""
        return day_of(self.sites["as_of"].min())

    @property
    def last_at(self) -> datetime:
        """The latest at_utc of any judged site."""
        return pd.Timestamp(self.sites["at_utc"].max()).to_pydatetime()

    @property
    def first_at(self) -> datetime:
        """The earliest at_utc of any judged site."""
        return pd.Timestamp(self.sites["at_utc"].min()).to_pydatetime()

    def restrict(self, query: Query, column: Any) -> Query:
        """Only the judged sites' rows when sites were named; every row otherwise."""
        return query.where(column.in_(self.ids)) if self.named else query

    def known_by(self, site: Any, day: Any, at: Any) -> ColumnElement[bool]:
        """SQL for `known`: a judged site's row dated by its as_of and made by its at_utc.

        Sites that share both limits (usually all sites of a time zone) are one term.
        """
        groups: dict[tuple[date, datetime], list[int]] = {}
        for site_id, as_of, at_utc in zip(
            self.sites.index, self.sites["as_of"], self.sites["at_utc"], strict=True
        ):
            limits = (day_of(as_of), pd.Timestamp(at_utc).to_pydatetime())
            groups.setdefault(limits, []).append(int(site_id))
        terms = [
            and_(site.in_(ids), day <= last_day, at <= last_at)
            for (last_day, last_at), ids in sorted(groups.items())
        ]
        return or_(false(), *terms)

    def judged(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Only the rows of judged sites."""
        return frame[frame["site_id"].isin(self.sites.index).to_numpy()]

    def known(self, frame: pd.DataFrame, column: str, limit: str = "as_of") -> pd.DataFrame:
        """Rows of judged sites whose `column` is at or before their site's `limit`."""
        bound = self.of(frame["site_id"], limit)
        return frame[(bound.notna() & (frame[column] <= bound)).to_numpy()]


def _open_days_as_of(sites: pd.DataFrame) -> pd.DataFrame:
    """Sites with `open_days` as their history gives it on their as_of (a site without
    a history keeps its column); the history column itself is dropped."""
    if "open_days_history" not in sites.columns:
        return sites
    days = [
        in_force(history, day_of(as_of)) or current
        for history, as_of, current in zip(
            sites["open_days_history"], sites["as_of"], sites["open_days"], strict=True
        )
    ]
    return sites.drop(columns="open_days_history").assign(
        open_days=pd.Series(days, index=sites.index, dtype=object)
    )
