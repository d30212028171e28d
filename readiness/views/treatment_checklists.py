"""The checklists done once per treatment (frequency per_use, e.g. the pre-procedure time-out)
that a site can fill in now: one per template and in-service asset it applies to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.checklist.lookup import site_by_code
from readiness.models import Asset
from readiness.policy.templates import Template


@dataclass(frozen=True)
class TreatmentChecklist:
    """One per-treatment checklist on one asset (None: the site's)."""

    template: Template
    site_code: str
    asset_id: str | None

    @property
    def key(self) -> str:
        """A stable choice key (no slot: every treatment has its own run)."""
        return f"{self.template.id}|{self.site_code}|{self.asset_id or '-'}|each"


def treatment_checklists(
    session: Session, site_code: str, templates: Mapping[str, Template]
) -> list[TreatmentChecklist]:
    """Per-use templates at the site, per in-service asset of their kind, by title and asset."""
    site = site_by_code(session, site_code)
    per_use = [t for t in templates.values() if t.frequency == "per_use"]
    kinds = sorted({t.applies_to for t in per_use if t.per_asset})
    query = select(Asset.kind, Asset.asset_id).where(
        Asset.site_id == site.id, Asset.status == "in_service", Asset.kind.in_(kinds)
    )
    assets: dict[str, list[str]] = {}
    for kind, asset_id in session.execute(query.order_by(Asset.asset_id)):
        assets.setdefault(kind, []).append(asset_id)
    found = []
    for template in sorted(per_use, key=lambda t: t.title):
        subjects: list[str | None] = (
            list(assets.get(template.applies_to, [])) if template.per_asset else [None]
        )
        found += [TreatmentChecklist(template, site.code, subject) for subject in subjects]
    return found
