"""What an export is asked for, and what every sheet needs to know while building it."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.compliance.history.period import OpenDaysChanges, SiteInfo, open_days_changes
from readiness.errors import UserError
from readiness.models import Asset, ChecklistTemplateVersion, Site, Staff
from readiness.policy.pack import Policy
from readiness.policy.templates import Template, TemplateError, parse_template
from readiness.rules import slots

# Longest period one export may cover: a practice-wide retention span, with room.
MAX_PERIOD_DAYS = 366 * 10


@dataclass(frozen=True)
class ExportRequest:
    """Which sites and days to export, who asks, and the instant the export stands at."""

    sites: tuple[str, ...]
    start: date
    end: date
    generated_by: str
    generated_at: datetime
    practice: str = ""

    def __post_init__(self) -> None:
        if not self.sites:
            raise UserError("name at least one site (--site CODE[,CODE...])")
        if len(set(self.sites)) != len(self.sites):
            raise UserError(f"a site is named twice: {','.join(self.sites)}")
        if self.start > self.end:
            raise UserError(
                f"the period starts after it ends: --from {self.start} is after --to {self.end}"
            )
        if (self.end - self.start).days >= MAX_PERIOD_DAYS:
            raise UserError(f"a period of at most {MAX_PERIOD_DAYS} days can be exported at once")
        if self.generated_at.tzinfo is None:
            raise ValueError("generated_at must be timezone-aware")

    @property
    def generated_at_utc(self) -> datetime:
        """The generation instant in UTC, to the second."""
        return self.generated_at.astimezone(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Person:
    """A staff member as the export names them."""

    staff_id: str
    name: str
    role: str
    site_pk: int

    @property
    def label(self) -> str:
        """E.g. "Ana Ruiz (S-104)"."""
        return f"{self.name} ({self.staff_id})"


@dataclass
class ExportContext:
    """The session, the sites, the policy and the lookups the sheets share."""

    session: Session
    request: ExportRequest
    policy: Policy
    templates: Mapping[str, Template]
    head: tuple[int, str]
    sites: list[SiteInfo]
    tally: Counter[str] = field(default_factory=Counter)
    # Results computed once and read by several sheets (e.g. the engine's verdicts).
    shared: dict[str, Any] = field(default_factory=dict)

    @property
    def now_utc(self) -> datetime:
        """The instant the export stands at: slots due later are not yet missed."""
        return self.request.generated_at_utc

    @cached_property
    def site_by_pk(self) -> dict[int, SiteInfo]:
        """The export's sites by primary key."""
        return {site.pk: site for site in self.sites}

    @cached_property
    def site_pks(self) -> list[int]:
        """Primary keys of the export's sites, in code order."""
        return [site.pk for site in self.sites]

    @cached_property
    def people(self) -> dict[int, Person]:
        """Every staff member of the practice (drills may include visiting staff)."""
        rows = self.session.execute(
            select(Staff.id, Staff.staff_id, Staff.full_name, Staff.role, Staff.site_id)
        )
        return {pk: Person(sid, name, role, site) for pk, sid, name, role, site in rows}

    @cached_property
    def asset_ids(self) -> dict[int, str]:
        """Asset id of every asset by primary key."""
        return {
            pk: asset_id for pk, asset_id in self.session.execute(select(Asset.id, Asset.asset_id))
        }

    @cached_property
    def versions(self) -> dict[str, Template]:
        """Every stored template version, as the runs that used it were asked."""
        found: dict[str, Template] = {}
        rows = self.session.execute(
            select(ChecklistTemplateVersion.version, ChecklistTemplateVersion.content)
        )
        for version, content in rows:
            try:
                found[version] = parse_template(json.loads(content), f"version {version[:12]}")
            except (TemplateError, ValueError):
                continue  # shown without wording rather than stopping the export
        return found

    @cached_property
    def version_names(self) -> dict[str, str]:
        """Each stored template version by name and date: "Opening check of 2026-03-01"."""
        rows = self.session.execute(
            select(
                ChecklistTemplateVersion.version,
                ChecklistTemplateVersion.title,
                ChecklistTemplateVersion.first_seen_at,
            )
        )
        return {version: f"{title} of {seen:%Y-%m-%d}" for version, title, seen in rows}

    def person(self, pk: int | None) -> str | None:
        """A staff member's printed name and id, or None."""
        if pk is None:
            return None
        found = self.people.get(pk)
        return found.label if found else f"staff #{pk}"


def resolve_sites(session: Session, request: ExportRequest) -> list[SiteInfo]:
    """The requested sites in code order; a UserError names any unknown code."""
    rows = session.scalars(select(Site).where(Site.code.in_(request.sites))).all()
    known = {site.code: site for site in rows}
    unknown = [code for code in request.sites if code not in known]
    if unknown:
        raise UserError(f"no site with code {', '.join(repr(c) for c in unknown)}")
    changes = open_days_changes(session, (site.id for site in rows))
    return [
        _site_info(known[code], request, changes.get(known[code].id, ()))
        for code in sorted(request.sites)
    ]


def _site_info(site: Site, request: ExportRequest, changes: OpenDaysChanges) -> SiteInfo:
    return SiteInfo(
        pk=site.id,
        code=site.code,
        name=site.name,
        tz=site.timezone,
        open_days=slots.parse_open_days(site.open_days),
        address=site.address,
        start_utc=slots.day_start_instant(request.start, site.timezone),
        end_utc=slots.day_end_instant(request.end, site.timezone),
        changes=changes,
    )


def yes_no(flag: bool | None) -> str | None:
    """A flag as an inspector reads it."""
    return None if flag is None else ("yes" if flag else "no")
