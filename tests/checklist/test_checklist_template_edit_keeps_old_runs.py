"""Editing a template never rewrites past runs: they keep their version and its wording."""

from __future__ import annotations

import hashlib
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

from checklist_world import build_site, submit
from sqlalchemy import select

from readiness.checklist import apply_policy
from readiness.db import Database
from readiness.models import ChecklistRun, ChecklistTemplateVersion
from readiness.policy.pack import load_policy
from readiness.policy.templates import load_templates
from readiness.services.template_versions import stored_template

SHIPPED = Path(__file__).resolve().parents[2] / "checklists"
OLD_TEXT = "AED status indicator shows ready, no chirp or warning"
NEW_TEXT = "AED shows the green ready light and passed its self-test"


def test_old_runs_keep_their_version_and_new_runs_get_the_new_one(
    db: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "checklists"
    shutil.copytree(SHIPPED, folder)
    policy = load_policy(folder / "requirements.yaml")
    before = apply_policy(load_templates(folder), policy)
    with db.write() as session:
        build_site(session)
    old = submit(db, templates=before).run

    path = folder / "opening-daily.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(OLD_TEXT, NEW_TEXT), encoding="utf-8")
    after = apply_policy(load_templates(folder), policy)
    tuesday = datetime(2026, 3, 10, 13, 0, tzinfo=UTC)
    new = submit(db, templates=after, slot_date=date(2026, 3, 10), now_utc=tuesday).run

    assert before["opening-daily"].version != after["opening-daily"].version
    with db.read() as session:
        runs = {run.id: run for run in session.scalars(select(ChecklistRun))}
        assert runs[old.id].template_version == before["opening-daily"].version
        assert runs[new.id].template_version == after["opening-daily"].version
        asked_then = stored_template(session, old.template_version)
        asked_now = stored_template(session, new.template_version)
        versions = session.scalars(select(ChecklistTemplateVersion)).all()
    assert asked_then.items_by_id["aed_ready"].text == OLD_TEXT
    assert asked_now.items_by_id["aed_ready"].text == NEW_TEXT
    for row in versions:  # the stored content is exactly what the version hashes
        assert hashlib.sha256(row.content.encode()).hexdigest() == row.version
