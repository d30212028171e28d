"""Practice-wide settings an administrator keeps in the database (the practice's name)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from readiness.models.base import Base

# The name printed on the inspector's workbook cover and the wall plan.
PRACTICE_NAME = "practice_name"
SETTING_KEYS = (PRACTICE_NAME,)


class PracticeSetting(Base):
    """One named setting of the whole practice; changed in place, each change audited."""

    __tablename__ = "practice_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    value: Mapped[str] = mapped_column(String(300))
