"""indexes the planner can use: drop the one-value record_state indexes, add a site's runs
newest first

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 23:59:00.000000

Nearly every evidence row is "current", so an index on record_state selects nothing; on a
database without statistics SQLite nevertheless preferred it to the (site, template, slot
date) and slot-key indexes and read every checklist run. `ix_checklist_runs_site_submitted`
lets the last seal reading of a site be found by walking its newest runs.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Tables of evidence records, each with an index on record_state until this revision.
EVIDENCE = (
    "certifications",
    "checklist_runs",
    "drills",
    "incidents",
    "service_events",
    "site_documents",
    "stock_movements",
)
SITE_SUBMITTED = "ix_checklist_runs_site_submitted"


def upgrade() -> None:
    for table in EVIDENCE:
        op.drop_index(f"ix_{table}_record_state", table_name=table)
    op.create_index(SITE_SUBMITTED, "checklist_runs", ["site_id", "submitted_at", "id"])


def downgrade() -> None:
    op.drop_index(SITE_SUBMITTED, table_name="checklist_runs")
    for table in EVIDENCE:
        op.create_index(f"ix_{table}_record_state", table, ["record_state"])
