"""readiness snapshots: one row per site, day and scenario written by the scheduler

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 02:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import readiness.models.base

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "readiness_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("scenario", sa.String(length=60), nullable=False),
        sa.Column("ready", sa.Boolean(), nullable=False),
        sa.Column("blocking", sa.Integer(), nullable=False),
        sa.Column("taken_at", readiness.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_readiness_snapshots_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_readiness_snapshots")),
        sa.UniqueConstraint(
            "site_id", "day", "scenario", name=op.f("uq_readiness_snapshots_site_id")
        ),
    )
    with op.batch_alter_table("readiness_snapshots", schema=None) as batch_op:
        # The trend reads a span of days for every site at once.
        batch_op.create_index(batch_op.f("ix_readiness_snapshots_day"), ["day"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("readiness_snapshots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_readiness_snapshots_day"))
    op.drop_table("readiness_snapshots")
