"""Record the exact content of each checklist template version that runs refer to."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.audit import records
from readiness.errors import UserError
from readiness.models import ChecklistTemplateVersion
from readiness.models.base import utc
from readiness.policy.templates import Template, TemplateError, parse_template


def canonical_content(template: Template) -> str:
    """The template's snapshot as canonical JSON: its SHA-256 is the template's version."""
    return json.dumps(
        template.snapshot(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def record_version(
    session: Session, template: Template, *, actor: str, now_utc: datetime
) -> ChecklistTemplateVersion:
    """The stored row of the template's current version, created (audited) if new."""
    version = template.version
    row = session.scalar(
        select(ChecklistTemplateVersion).where(ChecklistTemplateVersion.version == version)
    )
    if row is not None:
        return row
    row = ChecklistTemplateVersion(
        template_id=template.id,
        version=version,
        title=template.title,
        content=canonical_content(template),
        first_seen_at=utc(now_utc),
    )
    return records.create(session, row, actor=actor)


def record_versions(
    session: Session, templates: Iterable[Template], *, actor: str, now_utc: datetime
) -> int:
    """Record every template's current version; returns how many were new."""
    known = set(session.scalars(select(ChecklistTemplateVersion.version)))
    new = [template for template in templates if template.version not in known]
    for template in new:
        record_version(session, template, actor=actor, now_utc=now_utc)
    return len(new)


def stored_template(session: Session, version: str) -> Template:
    """The template exactly as a run was asked, read back from its stored version."""
    row = session.scalar(
        select(ChecklistTemplateVersion).where(ChecklistTemplateVersion.version == version)
    )
    if row is None:
        raise UserError(f"template version {version[:12]} is not recorded")
    try:
        return parse_template(json.loads(row.content), f"template version {version[:12]}")
    except (TemplateError, ValueError) as error:
        raise UserError(str(error).splitlines()[0]) from None
