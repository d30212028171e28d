"""Incidents name no patient: a case reference C-YYYY-NNNN, and no personal names in the text."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from readiness.db import Database
from readiness.demo import build_demo
from readiness.demo.catalog import FIRST_NAMES, LAST_NAMES
from readiness.models import Incident

CASE_REF = re.compile(r"^C-\d{4}-\d{4}$")
A_NAME = re.compile(r"\b(" + "|".join(FIRST_NAMES + LAST_NAMES) + r")\b")
A_BIRTH_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\bDOB\b|\bborn\b", re.IGNORECASE)


def test_incidents_carry_only_a_pseudonymous_case_reference(db: Database) -> None:
    build_demo(db, sites=3, days=180, seed=5, if_empty=False, as_of=date(2026, 3, 9))
    with db.read() as session:
        incidents = session.scalars(select(Incident)).all()
    assert incidents
    refs = [incident.case_ref for incident in incidents]
    assert all(CASE_REF.match(ref) for ref in refs), refs
    assert len(set(refs)) == len(refs)
    for incident in incidents:
        assert incident.case_ref[2:6] == str(incident.occurred_at.year)
        for text in (incident.description, incident.actions_taken, incident.referral):
            assert not A_NAME.search(text or ""), text
            assert not A_BIRTH_DATE.search(text or ""), text
