"""Demo runs look like real submissions: recorded template versions, every item, slot keys."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from readiness.db import Database
from readiness.demo import build_demo
from readiness.models import ChecklistRun, ChecklistTemplateVersion, Site
from readiness.services.template_versions import stored_template


def test_runs_answer_every_item_of_their_recorded_template(db: Database) -> None:
    build_demo(db, sites=2, days=45, seed=4, if_empty=False, as_of=date(2026, 3, 9))
    with db.read() as session:
        versions = set(session.scalars(select(ChecklistTemplateVersion.version)))
        codes = {site.id: site.code for site in session.scalars(select(Site))}
        runs = session.scalars(select(ChecklistRun)).all()
        templates = {version: stored_template(session, version) for version in versions}
        assert {run.template_id for run in runs} >= {"opening-daily", "laser-preuse-daily"}
        for run in runs:
            template = templates[run.template_version]
            assert [r.item_id for r in run.responses] == sorted(i.id for i in template.items)
            assert run.passed == all(r.passed is not False for r in run.responses)
            assert run.slot_key is not None
            assert run.slot_key.startswith(f"{run.template_id}|{codes[run.site_id]}|")
            assert run.slot_key.endswith(run.slot_date.isoformat())
            assert run.idempotency_key == f"demo:{run.slot_key}"
            assert run.signature_meaning == "performed" and run.signature_name
            assert run.recorded_by == "demo" and run.recorded_at == run.submitted_at
