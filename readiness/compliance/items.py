"""Every compliance item of the practice: each requirement kind judged in one pass, then the
site conditions (applies_if) and open corrective actions laid over the result."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from readiness import clock
from readiness.compliance.actions import with_open_actions
from readiness.compliance.certification import certification_items, designation_items
from readiness.compliance.checklists import checklist_items
from readiness.compliance.detail import words
from readiness.compliance.documents import document_items
from readiness.compliance.drills import drill_items
from readiness.compliance.equipment import expiry_items, interval_items
from readiness.compliance.facts import Facts, load_facts
from readiness.compliance.stock import stock_items
from readiness.compliance.table import finished, no_items
from readiness.compliance.view import AsOf
from readiness.policy import Policy, Requirement
from readiness.status import Status
from readiness.templates import Template, load_templates

# How each requirement kind turns facts into item rows, for all its requirements at once.
KINDS: dict[str, Callable[[Any, Facts], pd.DataFrame]] = {
    "interval": interval_items,
    "expiry": expiry_items,
    "stock": stock_items,
    "certification": certification_items,
    "designation": designation_items,
    "drill": drill_items,
    "document": document_items,
    "checklist": checklist_items,
}


def compliance_items(
    session: Session,
    policy: Policy,
    *,
    as_of: AsOf = None,
    sites: list[str] | None = None,
    templates: Mapping[str, Template] | None = None,
    now_utc: datetime | None = None,
) -> pd.DataFrame:
    """One row per requirement and subject at each site, with status, dates and a sentence.

    `as_of` is one date, a date per site code, or None for each site's local today at
    `now_utc` (default: the clock). `sites` limits the answer to those site codes (an
    unknown code is a UserError); by default every active site is judged.
    """
    facts = load_facts(
        session,
        policy,
        load_templates() if templates is None else templates,
        codes=sites,
        as_of=as_of,
        now_utc=clock.utc_now() if now_utc is None else now_utc,
    )
    by_kind: dict[str, list[Requirement]] = {}
    for requirement in policy.requirements.values():
        by_kind.setdefault(requirement.kind, []).append(requirement)
    frames = [KINDS[kind](requirements, facts) for kind, requirements in by_kind.items()]
    items = pd.concat(frames, ignore_index=True) if frames else no_items()
    items = with_open_actions(_where_they_apply(items, policy, facts), facts)
    items = items.sort_values(["site", "requirement", "subject"], kind="stable")
    return finished(items.reset_index(drop=True), policy)


def _where_they_apply(items: pd.DataFrame, policy: Policy, facts: Facts) -> pd.DataFrame:
    """Items of requirements with applies_if are not_applicable at sites that fail it."""
    conditions = {r.id: r.applies_if for r in policy.requirements.values() if r.applies_if}
    if not conditions or items.empty:
        return items
    condition = items["requirement"].map(conditions)
    sites = facts.sites.set_index("site")
    meets = pd.Series(True, index=items.index)
    for name in condition.dropna().unique():
        holds = items["site"].map(sites[name].astype(bool)).fillna(False).astype(bool)
        meets &= (condition != name) | holds
    reason = "Not required here (site setting " + condition.fillna("").map(words) + ": no)"
    return items.assign(
        status=items["status"].where(meets, str(Status.NOT_APPLICABLE)),
        detail=items["detail"].where(meets, reason),
        due_on=items["due_on"].where(meets),
    )
