"""signin throttles: failed sign-ins per user name and per client, and lockouts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import readiness.models.base

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Starts empty: nobody has failed to sign in under the new rules yet.
    op.create_table(
        "signin_throttles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column(
            "window_started_at", readiness.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "last_failed_at", readiness.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("locked_until", readiness.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signin_throttles")),
        sa.UniqueConstraint("kind", "key", name=op.f("uq_signin_throttles_kind")),
    )


def downgrade() -> None:
    op.drop_table("signin_throttles")
