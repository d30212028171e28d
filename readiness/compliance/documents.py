"""Document requirements: a site document of one type reviewed every interval."""

from __future__ import annotations

from collections.abc import Sequence

from readiness.compliance.detail import capitalised, words
from readiness.compliance.facts import Facts
from readiness.compliance.recurring import judge, next_due
from readiness.compliance.subjects import sites_for
from readiness.compliance.table import Verdicts, judged, per_row
from readiness.policy.requirements import DocumentRequirement


def document_items(requirements: Sequence[DocumentRequirement], facts: Facts) -> Verdicts:
    """Per site: due an interval after the document's last review."""
    rows = sites_for(requirements, facts)
    rows = rows.assign(doc_type=per_row(rows, [r.document_type for r in requirements]))
    latest = facts.documents.groupby(["site_id", "doc_type"])["reviewed_on"].max().reset_index()
    rows = rows.merge(latest, on=["site_id", "doc_type"], how="left")
    last = rows["reviewed_on"]
    due = next_due(rows, requirements, last)
    what = per_row(rows, [capitalised(words(r.document_type)) + " review" for r in requirements])
    none = per_row(rows, [f"No {words(r.document_type)} review on record" for r in requirements])
    status, detail = judge(rows, requirements, due, last, what=what, verb="reviewed", none=none)
    return judged(rows, status=status, detail=detail, due_on=due, last_done_on=last)
