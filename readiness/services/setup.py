"""`readiness init`: schema to the latest revision, policy and templates validated and recorded."""

from __future__ import annotations

from readiness.checklist.in_force import templates_in_force
from readiness.clock import utc_now
from readiness.config import Settings
from readiness.db import Database
from readiness.migrate import current_revision, head_revision, refresh_statistics, upgrade
from readiness.policy.pack import load_policy
from readiness.services.template_versions import record_versions


def initialise(db: Database, settings: Settings, *, actor: str) -> str:
    """Create or upgrade the schema; safe to run any number of times."""
    before = current_revision(db.engine)
    upgrade(db.engine)
    refresh_statistics(db.engine)
    after = current_revision(db.engine)
    if before == after:
        summary = f"schema already at revision {after}"
    else:
        summary = f"schema upgraded from {before or 'empty'} to {after} (latest {head_revision()})"
    return f"{summary}; {_record_templates(db, settings, actor=actor)}"


def _record_templates(db: Database, settings: Settings, *, actor: str) -> str:
    """Validate the policy and templates and record each template version not yet stored."""
    policy = load_policy(settings.checklists_dir / "requirements.yaml", settings.policy_overrides)
    templates = templates_in_force(settings.checklists_dir, policy)
    with db.write() as session:
        new = record_versions(session, templates.values(), actor=actor, now_utc=utc_now())
    return f"{len(templates)} checklist templates, {new} new versions recorded"
