"""emergency action plan: site_contacts and emergency_roles

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 10:00:00.000000

Two new tables, empty until a `site_contacts` or `emergency_roles` file is imported; no
existing row changes, so the audit chain needs nothing.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (column, length) of the optional text columns of site_contacts, in model order.
CONTACT_TEXT = (
    ("emergency_number", 40),
    ("poison_control", 40),
    ("ed_name", 200),
    ("ed_address", 300),
    ("ed_phone", 60),
)
PLACES_TEXT = (
    ("route_notes", 500),
    ("transfer_hospital", 200),
    ("medical_director_phone", 60),
    ("lso_phone", 60),
    ("after_hours_phone", 60),
    ("aed_location", 200),
    ("kit_location", 200),
    ("oxygen_location", 200),
    ("extinguisher_location", 200),
)


def upgrade() -> None:
    op.create_table(
        "site_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.String(length=n), nullable=True) for name, n in CONTACT_TEXT),
        sa.Column("drive_minutes", sa.Integer(), nullable=True),
        *(sa.Column(name, sa.String(length=n), nullable=True) for name, n in PLACES_TEXT),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_site_contacts_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_contacts")),
        sa.UniqueConstraint("site_id", name=op.f("uq_site_contacts_site_id")),
    )
    op.create_table(
        "emergency_roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("scenario", sa.String(length=40), nullable=False),
        sa.Column("duty", sa.String(length=40), nullable=False),
        sa.Column("assignee", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_emergency_roles_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emergency_roles")),
        sa.UniqueConstraint("site_id", "scenario", "duty", name=op.f("uq_emergency_roles_site_id")),
    )
    with op.batch_alter_table("emergency_roles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_emergency_roles_site_id"), ["site_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("emergency_roles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_emergency_roles_site_id"))
    op.drop_table("emergency_roles")
    op.drop_table("site_contacts")
