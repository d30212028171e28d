"""Site document reviews on file: the latest of each type per site, with the file's name."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import Site, SiteDocument

COLUMNS = ["site", "document", "reviewed_on", "reviewed_by", "file", "reference"]
HASHED = "sha256:"


def latest_reviews(session: Session, sites: list[str], titles: dict[str, str]) -> pd.DataFrame:
    """The latest current review of each document type at each site; `titles` names the
    types (doc type -> the requirement's title)."""
    query = (
        select(
            Site.code,
            SiteDocument.doc_type,
            SiteDocument.reviewed_on,
            SiteDocument.reviewed_by,
            SiteDocument.title,
            SiteDocument.reference,
        )
        .join(Site, Site.id == SiteDocument.site_id)
        .where(Site.code.in_(sites), SiteDocument.record_state == "current")
        .order_by(Site.code, SiteDocument.doc_type, SiteDocument.reviewed_on.desc())
    )
    frame = pd.DataFrame(session.execute(query).all(), columns=COLUMNS)
    frame = frame.drop_duplicates(["site", "document"], keep="first")
    return frame.assign(
        document=frame["document"].map(lambda t: titles.get(t, t)),
        reference=frame["reference"].map(shown_reference),
    ).reset_index(drop=True)


def shown_reference(reference: object) -> str:
    """A file's SHA-256 as its first 12 digits (enough to compare by eye; the export has
    all of it), any other reference as written, nothing as empty."""
    text = str(reference or "")
    return f"SHA-256 {text.removeprefix(HASHED)[:12]}…" if text.startswith(HASHED) else text
