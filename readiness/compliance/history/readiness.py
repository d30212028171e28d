"""Scenario readiness on every day of a period, per site: for backfilling readiness snapshots.

The engine answers "ready today?" in about a second for a practice; asking it once
per past day of a three-year history would take an hour. Like the export's days out
(`lapses`), this reads the period's facts once per site and lays each requirement
kind's rule over every day at once (`kinds`), open corrective actions on top. A
scenario is not ready on a day when one of the items it requires was failed,
overdue, expired or missing at that day's end; `blocking` counts those items, as
`compliance.scenario_readiness` does. The subjects are those of the compliance items
at the period's end (`items`). Those masks are held to the engine day by day by the
export's tests, so the trend a backfill draws is the one the engine would have.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.compliance.history.facts import load_history
from readiness.compliance.history.kinds import Judging, subject_mask
from readiness.compliance.history.period import SiteInfo, open_days_changes
from readiness.models import Site
from readiness.policy.pack import Policy
from readiness.policy.templates import Template, record_readers
from readiness.rules import masks, slots

__all__ = ["DAY_COLUMNS", "readiness_by_day", "site_periods"]

DAY_COLUMNS = ["site_id", "day", "scenario", "ready", "blocking"]
Counts = npt.NDArray[np.int64]


def site_periods(session: Session, codes: list[str], start: date, end: date) -> list[SiteInfo]:
    """The sites with these codes, with the period's bounds in each one's time zone."""
    rows = session.scalars(select(Site).where(Site.code.in_(codes)).order_by(Site.code)).all()
    changes = open_days_changes(session, (site.id for site in rows))
    return [
        SiteInfo(
            pk=site.id,
            code=site.code,
            name=site.name,
            tz=site.timezone,
            open_days=slots.parse_open_days(site.open_days),
            address=site.address,
            start_utc=slots.day_start_instant(start, site.timezone),
            end_utc=slots.day_end_instant(end, site.timezone),
            changes=changes.get(site.id, ()),
        )
        for site in rows
    ]


def readiness_by_day(
    session: Session,
    policy: Policy,
    templates: Mapping[str, Template],
    sites: list[SiteInfo],
    items: pd.DataFrame,
    *,
    start: date,
    end: date,
    now_utc: datetime,
) -> pd.DataFrame:
    """One row per site, closed day of start..end and scenario (DAY_COLUMNS).

    A day counts once it has closed at the site (before the site's today at now_utc).
    """
    frames = [
        frame
        for site, subjects in _with_items(sites, items)
        if not (
            frame := _site_days(session, policy, templates, site, subjects, start, end, now_utc)
        ).empty
    ]
    if not frames:
        return pd.DataFrame(columns=DAY_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def _with_items(
    sites: list[SiteInfo], items: pd.DataFrame
) -> Iterator[tuple[SiteInfo, pd.DataFrame]]:
    by_site = {str(code): group for code, group in items.groupby("site", sort=False)}
    for site in sites:
        if site.code in by_site:
            yield site, by_site[site.code]


def _site_days(
    session: Session,
    policy: Policy,
    templates: Mapping[str, Template],
    site: SiteInfo,
    subjects: pd.DataFrame,
    start: date,
    end: date,
    now_utc: datetime,
) -> pd.DataFrame:
    """One site: the blocking count of each scenario on each closed day."""
    today = slots.site_today(now_utc, site.tz)
    last = min(end, today - timedelta(days=1))
    if last < start:
        return pd.DataFrame(columns=DAY_COLUMNS)
    days = masks.period(start, last)
    # Site by site, so memory holds one site's facts whatever the practice's size.
    judging = Judging(
        history=load_history(session, [site], start, last, record_readers(templates)),
        policy=policy,
        templates=templates,
        days=days,
        start=start,
        today={site.pk: masks.day(today)},
        now_utc=now_utc,
    )
    out = _out_per_requirement(site, subjects, judging)
    dates = pd.to_datetime(days, unit="D").date
    frames = []
    for name, scenario in policy.scenarios.items():
        blocking = sum(
            (out[r] for r in scenario.requires if r in out), np.zeros(len(days), np.int64)
        )
        frames.append(
            pd.DataFrame(
                {
                    "site_id": site.pk,
                    "day": dates,
                    "scenario": name,
                    "ready": blocking == 0,
                    "blocking": blocking,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _out_per_requirement(
    site: SiteInfo, subjects: pd.DataFrame, judging: Judging
) -> dict[str, Counts]:
    """Per requirement: how many of its subjects were out of compliance at each day's end."""
    found: dict[str, Counts] = {}
    for requirement_id, subject in subjects[["requirement", "subject"]].itertuples(index=False):
        requirement = judging.policy.requirements[requirement_id]
        mask = subject_mask(requirement, site.pk, subject, judging)
        spans = judging.history.actions.get((site.pk, requirement_id, subject), [])
        mask = mask | masks.open_between(spans, judging.days)
        counts = mask.astype(np.int64)
        found[requirement_id] = (
            found[requirement_id] + counts if requirement_id in found else counts
        )
    return found
