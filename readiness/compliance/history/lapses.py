"""Days out of compliance within a period, per site and requirement.

The compliance engine judges one day per call, in about a second for a practice
(it loads its facts and judges every requirement each time), so calling it for each
day of a year is out of the question for an export. Instead the engine judges the
period's last day once, for the statuses, and the days out of compliance come from
the same facts read once: each requirement kind's rule applied to every day at once
as numpy arrays (`kinds`), then open corrective actions laid over (an open action
makes its requirement `failed` for its subject). A day counts when some subject of
the requirement at the site was failed, overdue, expired or missing at its end.
Days after the site's today are not counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

import pandas as pd
from sqlalchemy.orm import Session

from readiness.compliance.history.facts import load_history
from readiness.compliance.history.kinds import Judging, subject_mask
from readiness.compliance.history.period import SiteInfo
from readiness.policy.pack import Policy
from readiness.policy.templates import Template, record_readers
from readiness.rules import masks, slots
from readiness.rules.masks import Mask

__all__ = ["days_out"]


def days_out(
    session: Session,
    policy: Policy,
    templates: Mapping[str, Template],
    sites: list[SiteInfo],
    items: pd.DataFrame,
    *,
    start: date,
    end: date,
    now_utc: datetime,
) -> dict[tuple[str, str], int]:
    """(site code, requirement) -> days in start..end on which it was out of compliance.

    `items` are the compliance items at the period's end (site, requirement, subject):
    the subjects whose days are counted.
    """
    found: dict[tuple[str, str], int] = {}
    days = masks.period(start, end)
    by_site = {str(code): group for code, group in items.groupby("site", sort=False)}
    # Site by site, so memory holds one site's facts whatever the practice's size.
    for site in sites:
        subjects = by_site.get(site.code)
        if subjects is None:
            continue
        today = masks.day(slots.site_today(now_utc, site.tz))
        judging = Judging(
            history=load_history(session, [site], start, end, record_readers(templates)),
            policy=policy,
            templates=templates,
            days=days,
            start=start,
            today={site.pk: today},
            now_utc=now_utc,
        )
        counted = days <= today
        for requirement_id, mask in _site_masks(site, subjects, judging).items():
            found[(site.code, requirement_id)] = int((mask & counted).sum())
    return found


def _site_masks(site: SiteInfo, subjects: pd.DataFrame, judging: Judging) -> dict[str, Mask]:
    """Per requirement: the days some subject was out of compliance, actions laid over."""
    found: dict[str, Mask] = {}
    for requirement_id, subject in subjects[["requirement", "subject"]].itertuples(index=False):
        requirement = judging.policy.requirements[requirement_id]
        mask = subject_mask(requirement, site.pk, subject, judging)
        spans = judging.history.actions.get((site.pk, requirement_id, subject), [])
        mask = mask | masks.open_between(spans, judging.days)
        found[requirement_id] = found[requirement_id] | mask if requirement_id in found else mask
    return found
