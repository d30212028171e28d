"""After the demo (which assigns its own keys) the application writes new records as usual."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from readiness.audit import chain as audit
from readiness.audit import records
from readiness.db import Database
from readiness.demo import build_demo
from readiness.models import ChecklistResponse, ChecklistRun, Drill, Site, SiteDocument


def test_new_records_get_fresh_keys_and_keep_the_chain_valid(db: Database) -> None:
    build_demo(db, sites=2, days=30, seed=3, if_empty=False, as_of=date(2026, 3, 9))
    with db.write() as session:
        site = session.scalars(select(Site).order_by(Site.id)).first()
        assert site is not None
        largest = session.scalar(select(func.max(SiteDocument.id)))
        review = SiteDocument(
            site_id=site.id, doc_type="emergency_plan", reviewed_on=date(2026, 3, 9),
            reviewed_by="Test Reviewer",
        )  # fmt: skip
        records.create(session, review, actor="test")
        # Child rows got explicit keys too: their sequence must have moved on as well.
        run_id = session.scalar(select(func.max(ChecklistRun.id)))
        last_response = session.scalar(select(func.max(ChecklistResponse.id)))
        response = ChecklistResponse(run_id=run_id, item_id="extra", value="x", passed=True)
        session.add(response)
        session.flush()
        assert review.id == largest + 1
        assert response.id == last_response + 1
        session.delete(response)
    with db.read() as session:
        assert audit.verify(session).ok
        assert session.scalar(select(func.count()).select_from(Drill))
