"""practice settings: the practice's name, kept by an administrator

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 03:00:00.000000

A new table, empty until an administrator names the practice; no existing row changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "practice_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_settings")),
        sa.UniqueConstraint("key", name=op.f("uq_practice_settings_key")),
    )


def downgrade() -> None:
    op.drop_table("practice_settings")
