"""Checklist runs (a submitted checklist) and their item answers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from readiness.models.base import Base, EvidenceMixin, UTCDateTime


class ChecklistTemplateVersion(Base):
    """The exact content of a template as it was when a run used it."""

    __tablename__ = "checklist_template_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ChecklistRun(EvidenceMixin, Base):
    __tablename__ = "checklist_runs"
    __audit_children__ = ("responses",)
    __table_args__ = (
        # One current run per slot; two tablets racing for a slot cannot both land.
        Index(
            "uq_checklist_runs_current_slot",
            "slot_key",
            unique=True,
            sqlite_where=text("record_state = 'current' AND slot_key IS NOT NULL"),
            postgresql_where=text("record_state = 'current' AND slot_key IS NOT NULL"),
        ),
        Index("ix_checklist_runs_site_template_slot", "site_id", "template_id", "slot_date"),
        # A site's runs newest first: the last seal reading is among the first few.
        Index("ix_checklist_runs_site_submitted", "site_id", "submitted_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[str] = mapped_column(String(64))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    asset_pk: Mapped[int | None] = mapped_column(ForeignKey("assets.id"), default=None, index=True)
    # The site-local day of the slot this run satisfies.
    slot_date: Mapped[date] = mapped_column(Date)
    # "template|site|asset|date" for slotted templates; NULL for per-use ones.
    slot_key: Mapped[str | None] = mapped_column(String(200), default=None)
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    submitted_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    signature_name: Mapped[str] = mapped_column(String(200))
    signature_meaning: Mapped[str] = mapped_column(String(40), default="performed")
    late: Mapped[bool] = mapped_column(default=False)
    passed: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str | None] = mapped_column(Text, default=None)

    responses: Mapped[list[ChecklistResponse]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="ChecklistResponse.item_id"
    )


class ChecklistResponse(Base):
    __tablename__ = "checklist_responses"
    # Audited as part of its run.
    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("checklist_runs.id"), index=True)
    item_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[str | None] = mapped_column(Text, default=None)
    passed: Mapped[bool | None] = mapped_column(default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)

    run: Mapped[ChecklistRun] = relationship(back_populates="responses")
