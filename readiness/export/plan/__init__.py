"""The printed emergency action plan of a site with its protocols, and the patient handout.

- `plan_pdf(facts, protocols, ...)` / `plan_bytes(db, code, ...)`: the wall plan as PDF bytes;
- `handout_pdf(facts, protocols, procedure)`: the aftercare sheet (no patient data).
"""

from readiness.export.plan.facts import SiteFacts, plan_facts, site_facts
from readiness.export.plan.handout import handout_pdf
from readiness.export.plan.wall import plan_bytes, plan_pdf

__all__ = ["SiteFacts", "handout_pdf", "plan_bytes", "plan_facts", "plan_pdf", "site_facts"]
