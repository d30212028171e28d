"""The slotted checklist templates the demo fills in, read once: each template in force with
its version, due time, the items a random failure may hit, and its ticked answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from readiness.checklist.in_force import templates_in_force
from readiness.demo.clinic import Horizon
from readiness.demo.writer import Rec
from readiness.models import ChecklistTemplateVersion
from readiness.policy.answers import ItemResult, evaluate_answer
from readiness.policy.templates import Item, Template
from readiness.services.checklist_runs import response_row
from readiness.services.template_versions import canonical_content


@dataclass(frozen=True)
class Plan:
    """A slotted template and what the demo needs to know to fill it in."""

    template: Template
    # Read once: Template.version hashes the whole template on every access.
    version: str
    due_by: time | None
    # Items that a random failure may hit: never one that takes an asset out of service.
    failable: tuple[Item, ...]
    # The (immutable) result of a ticked pass/fail item, the answer to most questions.
    passed: dict[str, ItemResult]
    # Its stored answer (copied for each run, which adds its keys).
    passed_rows: dict[str, dict[str, object]]

    @property
    def id(self) -> str:
        return self.template.id

    @property
    def daily(self) -> bool:
        return self.template.frequency == "daily"


def load_plans() -> list[Plan]:
    """The templates in force (as submissions use them) that have slots, in id order."""
    templates = templates_in_force()
    plans = []
    for template_id in sorted(templates):
        template = templates[template_id]
        if template.frequency == "per_use":
            continue
        failable = tuple(
            item
            for item in template.items
            if item.can_fail
            and item.type in ("pass_fail", "number", "count")
            and not (item.on_fail and item.on_fail.take_asset_out_of_service)
        )
        passed = {
            item.id: evaluate_answer(item, True, None, None)
            for item in template.items
            if item.type == "pass_fail"
        }
        rows = {item_id: response_row(result) for item_id, result in passed.items()}
        plans.append(Plan(template, template.version, template.due_by, failable, passed, rows))
    return plans


def template_version_recs(plans: list[Plan], known: set[str], h: Horizon) -> list[Rec]:
    """A ChecklistTemplateVersion per template whose version is not stored yet."""
    recs = []
    for plan in plans:
        template = plan.template
        if plan.version in known:
            continue
        row = {
            "template_id": template.id,
            "version": plan.version,
            "title": template.title,
            "content": canonical_content(template),
            "first_seen_at": h.t0,
        }
        recs.append(Rec(ChecklistTemplateVersion, h.t0, row))
    return recs
