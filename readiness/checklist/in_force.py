"""The checklist templates in force: the YAML files with the policy's figures applied."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from readiness.errors import UserError
from readiness.policy.pack import Policy, load_policy
from readiness.policy.requirements import ChecklistRequirement
from readiness.policy.templates import Item, Template, TemplateError, load_templates

# Items read in this unit take their minimum from a requirement's `min_psi`.
PSI = "psi"


def templates_in_force(
    directory: Path | None = None, policy: Policy | None = None
) -> dict[str, Template]:
    """Every template with the policy applied; a bad file is a one-line UserError."""
    try:
        templates = load_templates(directory)
    except TemplateError as error:
        raise UserError(str(error).splitlines()[0]) from None
    return apply_policy(templates, load_policy() if policy is None else policy)


def apply_policy(templates: Mapping[str, Template], policy: Policy) -> dict[str, Template]:
    """Templates with the policy's minimums written into their items.

    The policy wins over the template (a practice that accepts 500 psi says so once,
    in its overrides), and the run stores the template as it was applied, so the
    recorded wording shows the minimum the reading was actually held to.
    """
    return {key: _with_minimums(template, policy) for key, template in templates.items()}


def _with_minimums(template: Template, policy: Policy) -> Template:
    """One template with policy minimums applied to its psi readings."""
    items = tuple(_item_minimum(template, item, policy) for item in template.items)
    if items == template.items:
        return template
    return template.model_copy(update={"items": items})


def _item_minimum(template: Template, item: Item, policy: Policy) -> Item:
    """The item held to the min_psi of the requirements it fails (the highest, if several)."""
    if item.type != "number" or item.unit != PSI:
        return item
    minimums = [
        requirement.min_psi
        for requirement_id in template.requirements_failed_by(item.id)
        if isinstance(requirement := policy.requirements.get(requirement_id), ChecklistRequirement)
        and requirement.min_psi is not None
    ]
    if not minimums:
        return item
    return item.model_copy(update={"min": float(max(minimums))})
