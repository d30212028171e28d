"""Site documents that must be reviewed: emergency plan, transfer agreement."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from readiness.models.base import Base, EvidenceMixin


class SiteDocument(EvidenceMixin, Base):
    __tablename__ = "site_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    doc_type: Mapped[str] = mapped_column(String(40))
    reviewed_on: Mapped[date] = mapped_column(Date)
    reviewed_by: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(300), default=None)
    reference: Mapped[str | None] = mapped_column(String(300), default=None)
