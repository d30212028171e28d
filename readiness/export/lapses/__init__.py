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

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from readiness import slots
from readiness.export.context import SiteInfo
from readiness.export.lapses import masks
from readiness.export.lapses.facts import load_history
from readiness.export.lapses.kinds import Judging, subject_mask
from readiness.policy import Policy
from readiness.templates import Template

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
    by_code = {site.code: site for site in sites}
    today = {site.pk: masks.day(slots.site_today(now_utc, site.tz)) for site in sites}
    judging = Judging(
        history=load_history(session, sites, start, end),
        policy=policy,
        templates=templates,
        days=masks.period(start, end),
        start=start,
        today=today,
    )
    found: dict[tuple[str, str], np.ndarray] = {}
    for site_code, requirement_id, subject in items[["site", "requirement", "subject"]].itertuples(
        index=False
    ):
        site = by_code.get(site_code)
        if site is None:
            continue
        requirement = policy.requirements[requirement_id]
        mask = subject_mask(requirement, site.pk, subject, judging)
        spans = judging.history.actions.get((site.pk, requirement_id, subject), [])
        mask = mask | masks.open_between(spans, judging.days)
        key = (site_code, requirement_id)
        found[key] = found[key] | mask if key in found else mask
    counted = {code: judging.days <= today[site.pk] for code, site in by_code.items()}
    return {key: int((mask & counted[key[0]]).sum()) for key, mask in found.items()}
