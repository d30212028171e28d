"""The day and the instant at which each site is judged.

A site is judged on its `as_of` date (by default its own local "today") at the
instant `at_utc`: the current instant when as_of is today, the end of the day when
as_of is in the past ("were we compliant on 3 March?" means at the close of
3 March), and the start of the day when as_of is in the future (a projection: what
will be owed that morning if nothing more is recorded). Facts dated after as_of, and
instants after at_utc, do not count.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

import numpy as np
import pandas as pd

from readiness.rules import slots
from readiness.rules.due import DATE_DTYPE

AsOf = date | Mapping[str, date] | None


def site_days(sites: pd.DataFrame, as_of: AsOf, now_utc: datetime) -> pd.DataFrame:
    """`sites` (site, timezone) with as_of, today, at_utc and day_end_utc columns added."""
    today = _local_today(sites["timezone"], now_utc)
    wanted = _requested(sites["site"], as_of, today)
    frame = sites.assign(as_of=wanted, today=today)
    day_end = _day_end(frame, frame["as_of"])
    day_start = _day_end(frame, frame["as_of"] - pd.Timedelta(days=1))
    now = pd.Series(pd.Timestamp(now_utc), index=frame.index).dt.tz_convert("UTC")
    before, after = frame["as_of"] < frame["today"], frame["as_of"] > frame["today"]
    at = now.where(~before, day_end).where(~after, day_start)
    return frame.assign(at_utc=at, day_end_utc=day_end)


def _local_today(zones: pd.Series, now_utc: datetime) -> pd.Series:
    """Each site's local date at now_utc (one conversion per time zone, not per site)."""
    by_zone = {tz: slots.site_today(now_utc, str(tz)) for tz in zones.unique()}
    return pd.to_datetime(zones.map(by_zone)).astype(DATE_DTYPE)


def _requested(codes: pd.Series, as_of: AsOf, today: pd.Series) -> pd.Series:
    """The as_of date per site: one date for all, one per site code, or each site's today."""
    if as_of is None:
        return today
    if isinstance(as_of, Mapping):
        chosen = pd.to_datetime(codes.map(dict(as_of))).astype(DATE_DTYPE)
        return chosen.fillna(today)
    return pd.Series(np.datetime64(as_of, "s"), index=codes.index).astype(DATE_DTYPE)


def _day_end(sites: pd.DataFrame, days: pd.Series) -> pd.Series:
    """UTC instant at which each site's local day ends (days are 23 to 25 hours long)."""
    return slots.due_instants(sites.assign(_day=days), None, date_column="_day")


def local_dates(instants: pd.Series, zones: pd.Series) -> pd.Series:
    """The site-local date of each UTC instant, given each row's time zone."""
    utc = pd.DatetimeIndex(instants)
    days = np.full(len(utc), np.datetime64("NaT"), dtype=DATE_DTYPE)
    names = zones.to_numpy(dtype=object)
    for tz in pd.unique(names[pd.notna(names)]):
        rows = names == tz
        local = utc[rows].tz_convert(str(tz)).tz_localize(None).normalize()
        days[rows] = local.to_numpy(dtype=DATE_DTYPE)
    return pd.Series(days, index=instants.index)
