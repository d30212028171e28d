"""The policy's oxygen min_psi wins over the template's, and the run records the minimum applied."""

from __future__ import annotations

import json
from pathlib import Path

from checklist_world import OPENING_OK, build_site, submit
from sqlalchemy import select

from readiness.checklist import apply_policy
from readiness.db import Database
from readiness.models import ChecklistTemplateVersion
from readiness.policy.pack import load_policy
from readiness.policy.templates import load_templates

SHIPPED = Path(__file__).resolve().parents[2] / "checklists"
OVERRIDES = """
requirements:
  - id: oxygen.daily_pressure
    min_psi: 500
"""


def test_a_practice_accepting_500_psi_passes_a_700_psi_reading(
    db: Database, tmp_path: Path
) -> None:
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text(OVERRIDES, encoding="utf-8")
    templates = apply_policy(
        load_templates(SHIPPED), load_policy(SHIPPED / "requirements.yaml", overrides)
    )
    assert templates["opening-daily"].items_by_id["o2_psi"].min == 500
    with db.write() as session:
        build_site(session)
    submission = submit(db, answers=OPENING_OK | {"o2_psi": 700}, templates=templates)
    assert submission.run.passed and submission.actions == []
    with db.read() as session:
        content = session.scalars(select(ChecklistTemplateVersion.content)).one()
    (o2,) = [item for item in json.loads(content)["items"] if item["id"] == "o2_psi"]
    assert o2["min"] == 500


def test_the_default_policy_leaves_the_shipped_templates_as_they_are() -> None:
    shipped = load_templates(SHIPPED)
    in_force = apply_policy(shipped, load_policy(SHIPPED / "requirements.yaml"))
    assert {k: t.version for k, t in in_force.items()} == {k: t.version for k, t in shipped.items()}
