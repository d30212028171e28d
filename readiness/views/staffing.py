"""Staff and certifications: the staff × certificate matrix and who is missing what."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from readiness.models import Certification, Site, Staff
from readiness.policy.pack import Policy
from readiness.policy.requirements import CertificationRequirement

GAPS = ("missing", "expired", "failed")
GAP_COLUMNS = ["site", "staff_id", "full_name", "role", "requirement", "status", "detail"]
CARD_COLUMNS = [
    "cert_type",
    "issued_on",
    "expires_on",
    "expiry_derived",
    "card_number",
    "provider",
    "record_state",
    "recorded_by",
]


def staff_frame(session: Session, sites: list[str]) -> pd.DataFrame:
    """Active staff of the sites: site, staff_id, full_name, role."""
    query = (
        select(Site.code, Staff.staff_id, Staff.full_name, Staff.role)
        .join(Site, Site.id == Staff.site_id)
        .where(Site.code.in_(sites), Staff.active)
        .order_by(Site.code, Staff.staff_id)
    )
    return pd.DataFrame(
        session.execute(query).all(), columns=["site", "staff_id", "full_name", "role"]
    )


def certificate_matrix(items: pd.DataFrame, staff: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """One row per staff member, one column per certification requirement: its status.

    A blank cell means the requirement does not apply to that person's role.
    """
    columns = [r.id for r in policy.of_kind(CertificationRequirement)]
    certs = items[(items["subject_type"] == "staff") & items["requirement"].isin(columns)]
    cells = certs.pivot_table(
        index="subject", columns="requirement", values="status", aggfunc="first"
    )
    matrix = staff.merge(cells, how="left", left_on="staff_id", right_index=True)
    return matrix.reindex(columns=[*staff.columns, *columns])


def gaps_for_role(items: pd.DataFrame, staff: pd.DataFrame) -> pd.DataFrame:
    """Certificates a person's role requires that are missing, expired or failed."""
    bad = items[(items["subject_type"] == "staff") & items["status"].isin(GAPS)]
    joined = bad.merge(staff, left_on=["site", "subject"], right_on=["site", "staff_id"])
    return (
        joined[GAP_COLUMNS].sort_values(["site", "staff_id", "requirement"]).reset_index(drop=True)
    )


def cards_of(session: Session, staff_id: str) -> pd.DataFrame:
    """A staff member's certificates, newest first, superseded and voided ones included."""
    query = (
        select(*(getattr(Certification, c) for c in CARD_COLUMNS))
        .join(Staff, Staff.id == Certification.staff_pk)
        .where(Staff.staff_id == staff_id)
        .order_by(Certification.issued_on.desc(), Certification.id.desc())
    )
    return pd.DataFrame(session.execute(query).all(), columns=CARD_COLUMNS)
