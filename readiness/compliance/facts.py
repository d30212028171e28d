"""The facts the compliance engine judges: one bulk query per table, as pandas DataFrames.

Only current evidence rows count (superseded and voided ones are history), and each
site sees only what was known at its own as_of (see `readiness.compliance.as_of`):
events dated on or before as_of, instants at or before at_utc, corrective actions
open at at_utc. Every frame carries site_id. Other sites' rows are filtered in SQL
when sites are named; otherwise the whole practice is read in one pass per table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd
from sqlalchemy import (
    and_,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session

from readiness.compliance.as_of import AsOf, site_days
from readiness.compliance.evidence import (
    load_actions,
    load_certifications,
    load_documents,
    load_drills,
    load_readings,
    load_runs,
    load_service_events,
    load_stock,
    runs_frame,
)
from readiness.compliance.frames import (
    CURRENT,
    read_frame,
    run_windows,
)
from readiness.compliance.master_data import load_assets, load_people, load_sites
from readiness.compliance.scope import Scope
from readiness.models import (
    ChecklistRun,
)
from readiness.policy.pack import Policy
from readiness.policy.templates import Template


@dataclass(frozen=True)
class Facts:
    """Everything the requirement kinds read, as known at each site's as_of."""

    policy: Policy
    templates: Mapping[str, Template]
    scope: Scope
    staff: pd.DataFrame
    assets: pd.DataFrame
    certifications: pd.DataFrame
    service_events: pd.DataFrame
    stock: pd.DataFrame
    drills: pd.DataFrame
    documents: pd.DataFrame
    runs: pd.DataFrame
    # First slot date of the loaded runs, per template (as far back as its slots need).
    runs_from: Mapping[str, date]
    actions: pd.DataFrame
    session: Session
    # Dates read off labels that must match the asset record (see `_readings`).
    readings: pd.DataFrame
    # Staff assigned on as_of to a judged site besides their home, as rows of that site.
    visiting: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Frames derived from the facts that more than one kind reads, made on first use.
    derived: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def sites(self) -> pd.DataFrame:
        """The judged sites, indexed by site_id."""
        return self.scope.sites

    def earlier_runs(self, site_ids: Iterable[int], template_ids: Iterable[str]) -> pd.DataFrame:
        """Latest run per site, template and asset from before the loaded windows (`runs_from`).

        Only asked for subjects with no run in the window, so it reads a few sites' history.
        """
        # Python ints: a numpy integer would be bound as a blob by sqlite3 and match nothing.
        sites = sorted({int(site_id) for site_id in site_ids})
        templates = sorted(set(template_ids))
        query = (
            select(
                ChecklistRun.site_id,
                ChecklistRun.template_id,
                ChecklistRun.asset_pk,
                func.max(ChecklistRun.slot_date).label("slot_date"),
                func.max(ChecklistRun.submitted_at).label("submitted_at"),
            )
            .where(
                ChecklistRun.record_state == CURRENT,
                ChecklistRun.site_id.in_(sites),
                or_(
                    *(
                        and_(
                            ChecklistRun.template_id == t,
                            ChecklistRun.slot_date < self.runs_from[t],
                        )
                        for t in templates
                    )
                ),
            )
            .group_by(ChecklistRun.site_id, ChecklistRun.template_id, ChecklistRun.asset_pk)
        )
        return runs_frame(read_frame(self.session, query), self.scope)


def load_facts(
    session: Session,
    policy: Policy,
    templates: Mapping[str, Template],
    *,
    codes: list[str] | None,
    as_of: AsOf,
    now_utc: datetime,
) -> Facts | None:
    """Load every table the policy needs, one query per table; None when no site is judged."""
    found = load_sites(session, codes)
    if found.empty:
        return None
    sites = site_days(found, as_of, now_utc).set_index("site_id", drop=False)
    scope = Scope(sites, named=codes is not None)
    runs_from = run_windows(policy, templates, scope.first_day)
    staff, visiting = load_people(session, scope)
    return Facts(
        policy=policy,
        templates=templates,
        scope=scope,
        staff=staff,
        assets=load_assets(session, scope),
        certifications=load_certifications(session, scope, policy),
        service_events=load_service_events(session, scope, policy),
        stock=load_stock(session, scope, policy),
        drills=load_drills(session, scope, policy),
        documents=load_documents(session, scope, policy),
        runs=load_runs(session, scope, runs_from),
        runs_from=runs_from,
        actions=load_actions(session, scope),
        session=session,
        readings=load_readings(session, scope, policy, templates),
        visiting=visiting,
    )
