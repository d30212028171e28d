"""The inspector workbook: export it, offer it as a download, verify it is genuine.

- `export_workbook(db, request, target)` writes the workbook to a path or file object;
- `workbook_bytes(db, request)` gives it as bytes, for the dashboard's download button;
- `verify_workbook(db, path)` is `readiness verify FILE.xlsx`; `check_workbook` returns
  the report without printing.

See `readiness.export.cover` for the manifest's definition.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING

from readiness.db import Database
from readiness.export.build import ExportResult, Rules, context, snapshot, write_workbook
from readiness.export.context import ExportRequest
from readiness.export.stream import Progress
from readiness.policy.pack import Policy
from readiness.policy.templates import Template

if TYPE_CHECKING:
    from readiness.export.verify import VerifyReport, check_workbook, verify_workbook

__all__ = [
    "ExportRequest",
    "ExportResult",
    "VerifyReport",
    "check_workbook",
    "export_workbook",
    "verify_workbook",
    "workbook_bytes",
]

# Verifying winds a copy of the database back with the migrations (Alembic, Mako, Pygments:
# 7 MB and some 0.1 s to import), which an export never needs: imported on first use.
_VERIFY_NAMES = frozenset({"VerifyReport", "check_workbook", "verify_workbook"})


def __getattr__(name: str) -> object:
    """`check_workbook`, `verify_workbook` and `VerifyReport`, imported when first asked for."""
    if name in _VERIFY_NAMES:
        from readiness.export import verify

        return getattr(verify, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def export_workbook(
    db: Database,
    request: ExportRequest,
    target: str | Path | IO[bytes],
    *,
    policy: Policy | None = None,
    templates: Mapping[str, Template] | None = None,
    progress: Progress | None = None,
    max_rows: int | None = None,
) -> ExportResult:
    """Write the workbook for the request; a UserError names an unknown site."""
    rules = Rules.load(policy, templates)
    with snapshot(db) as session:
        ctx = context(session, request, rules)
        return write_workbook(ctx, target, progress=progress, max_rows=max_rows)


def workbook_bytes(
    db: Database,
    request: ExportRequest,
    *,
    policy: Policy | None = None,
    templates: Mapping[str, Template] | None = None,
) -> bytes:
    """The workbook as bytes (for a download button); built in memory, so for modest exports."""
    buffer = io.BytesIO()
    export_workbook(db, request, buffer, policy=policy, templates=templates)
    return buffer.getvalue()
