"""Daily readiness checklists: templates in force, due slots, previous seals, lookups.

The write use cases (submit, amend, close a corrective action) live in
`readiness.services.checklist_runs` and `readiness.services.corrective_actions`.
"""

from readiness.checklist.due import Slot, due_slots
from readiness.checklist.in_force import apply_policy, templates_in_force
from readiness.checklist.slot import SlotRef, deadline, slot_key, slot_ref

__all__ = [
    "Slot",
    "SlotRef",
    "apply_policy",
    "deadline",
    "due_slots",
    "slot_key",
    "slot_ref",
    "templates_in_force",
]
