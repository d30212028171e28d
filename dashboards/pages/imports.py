"""Import: upload a CSV or XLSX file, see the dry-run report, then import it (all or nothing)."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any, BinaryIO

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cached
import ui
from signin import guard
from state import database

from readiness.access import Principal
from readiness.importing.kinds import KINDS
from readiness.importing.sheet import SheetError, check_size, max_bytes
from readiness.importing.upload import import_stream


def render() -> None:
    """The page for officers and admins."""
    user = guard("imports")
    st.title("Import spreadsheets")
    ui.flash()
    st.caption(
        "One CSV or XLSX file at a time, named or chosen by kind (sites, staff, ...). The file"
        " is checked first and nothing is written until you import a file that passed."
    )
    upload = st.file_uploader("File", type=["csv", "xlsx"], key="import_upload")
    if upload is None:
        st.session_state.pop("import_checked", None)
        return
    kinds = list(KINDS)
    stem = Path(upload.name).stem.lower()
    kind = st.selectbox(
        "Kind", kinds, index=kinds.index(stem) if stem in kinds else 0, key="import_kind"
    )
    try:
        # The same limit as the command line, checked before the bytes are copied or parsed.
        check_size(upload.size, max_bytes())
    except SheetError as exc:
        st.error(f"{upload.name}: {exc}. Nothing was written.")
        return
    # Streamlit holds the upload in memory (at most server.maxUploadSize, which `readiness
    # dashboard` sets to the import limit); the page reads it in place and hands the
    # stream on, so no second copy of a large file is made.
    digest = _digest(upload, str(kind))
    if st.button("Check (dry run)", key="import_check"):
        report = _run(user, str(kind), upload, dry_run=True)
        st.session_state["import_checked"] = (digest, report) if report is not None else None
    checked = st.session_state.get("import_checked")
    if not checked or checked[0] != digest:
        return
    report = checked[1]
    _show(report)
    if report.errors:
        count = report.problems.total
        st.error(
            f"{count:,} error{'' if count == 1 else 's'}: fix the file and check it again."
            " Nothing was written."
        )
        return
    if st.button("Import", type="primary", key="import_write"):
        _import(user, str(kind), upload)


def _digest(upload: Any, kind: str) -> str:
    """What identifies a checked file: its bytes (read in place) and the kind chosen."""
    digest = hashlib.sha256(kind.encode())
    with upload.getbuffer() as view:
        digest.update(view)
    return digest.hexdigest()


def _run(user: Principal, kind: str, upload: BinaryIO, *, dry_run: bool) -> Any:
    """Import (or check) the uploaded file under its own name."""
    name = str(getattr(upload, "name", "upload"))
    return ui.attempt(lambda: import_stream(database(), user, kind, name, upload, dry_run=dry_run))


def _show(report: Any) -> None:
    """The dry run's report: one line per file, then each error."""
    st.code(report.summary(), language=None)
    for error in report.errors[:200]:
        st.caption(error)


def _import(user: Principal, kind: str, upload: BinaryIO) -> None:
    """The real import; on success the caches go and the page says what was written."""
    report = _run(user, kind, upload, dry_run=False)
    if report is None:
        return
    if report.errors:
        _show(report)
        st.error("The import was refused; nothing was written.")
        return
    cached.after_write()
    st.session_state.pop("import_checked", None)
    ui.say(f"Imported: {report.summary()}")
    st.rerun()


render()
