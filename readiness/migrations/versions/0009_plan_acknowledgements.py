"""plan acknowledgements: staff acknowledge each version of their site's emergency plan

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 02:00:00.000000

One new table, empty until staff acknowledge a plan; no existing row changes, so the
audit chain needs nothing.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import readiness.models.base

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "plan_acknowledgements"


def upgrade() -> None:
    instant = readiness.models.base.UTCDateTime(timezone=True)
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("staff_pk", sa.Integer(), nullable=False),
        sa.Column("plan_version", sa.String(length=64), nullable=False),
        sa.Column("acknowledged_on", sa.Date(), nullable=False),
        sa.Column("signed_at", instant, nullable=False),
        sa.Column("signature_name", sa.String(length=200), nullable=False),
        sa.Column("signature_meaning", sa.String(length=40), nullable=False),
        sa.Column("idempotency_key", sa.String(length=120), nullable=False),
        sa.Column("record_state", sa.String(length=12), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.String(length=500), nullable=True),
        sa.Column("recorded_at", instant, nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_plan_acknowledgements_site_id_sites")
        ),
        sa.ForeignKeyConstraint(
            ["staff_pk"], ["staff.id"], name=op.f("fk_plan_acknowledgements_staff_pk_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_acknowledgements")),
        sa.UniqueConstraint(
            "idempotency_key", name=op.f("uq_plan_acknowledgements_idempotency_key")
        ),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_acknowledgements_staff_pk"), ["staff_pk"], unique=False
        )
        batch_op.create_index(
            "ix_plan_acknowledgements_site_staff",
            ["site_id", "staff_pk", "plan_version"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index("ix_plan_acknowledgements_site_staff")
        batch_op.drop_index(batch_op.f("ix_plan_acknowledgements_staff_pk"))
    op.drop_table(TABLE)
