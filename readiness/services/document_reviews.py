"""Record the review of a site document (emergency plan, transfer agreement, ...).

The reviewed file itself is not kept: its name and SHA-256 are, so an inspector can
match the copy they are shown against the record (`sha256:` + 64 hex digits in the
review's `reference`).
"""

from __future__ import annotations

import hashlib
import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.access import Principal, require
from readiness.audit import records
from readiness.errors import UserError
from readiness.models import Site, SiteDocument
from readiness.policy.pack import Policy
from readiness.policy.requirements import DocumentRequirement

SHA256 = re.compile(r"[0-9a-f]{64}")
REFERENCE_PREFIX = "sha256:"


def sha256_of(content: bytes) -> str:
    """The hex SHA-256 of a file's bytes."""
    return hashlib.sha256(content).hexdigest()


def document_types(policy: Policy) -> dict[str, str]:
    """Document type -> the title of the requirement it satisfies, in policy order."""
    return {r.document_type: r.title for r in policy.of_kind(DocumentRequirement)}


def record_document_review(
    session: Session,
    by: Principal,
    *,
    site_code: str,
    doc_type: str,
    reviewed_on: date,
    reviewed_by: str,
    file_name: str,
    sha256: str,
    today: date,
    policy: Policy,
) -> SiteDocument:
    """Record that the document was reviewed on a day, by whom, and which file it was."""
    site = session.scalar(select(Site).where(Site.code == site_code))
    if site is None:
        raise UserError(f"no site with code {site_code!r}")
    require(by, "review_documents", site.code)
    types = document_types(policy)
    if doc_type not in types:
        raise UserError(f"the policy has no document review of type {doc_type!r}")
    if reviewed_on > today:
        raise UserError(f"the review date {reviewed_on} is in the future")
    if not reviewed_by.strip():
        raise UserError("say who reviewed it")
    name = file_name.strip()
    if not name:
        raise UserError("choose the reviewed file, so its name and fingerprint are kept")
    digest = sha256.strip().lower()
    if not SHA256.fullmatch(digest):
        raise UserError("the file's fingerprint is not a SHA-256 (64 hexadecimal digits)")
    reference = f"{REFERENCE_PREFIX}{digest}"
    same = session.scalar(
        select(SiteDocument.id).where(
            SiteDocument.site_id == site.id,
            SiteDocument.doc_type == doc_type,
            SiteDocument.reviewed_on == reviewed_on,
            SiteDocument.reference == reference,
            SiteDocument.record_state == "current",
        )
    )
    if same is not None:
        raise UserError(f"this review of {name} on {reviewed_on} is already recorded")
    review = SiteDocument(
        site_id=site.id,
        doc_type=doc_type,
        reviewed_on=reviewed_on,
        reviewed_by=reviewed_by.strip(),
        title=name[:300],
        reference=reference,
    )
    return records.create(session, review, actor=by.actor)
