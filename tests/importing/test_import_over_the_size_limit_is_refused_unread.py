"""A file over READINESS_IMPORT_MAX_MB is refused before it is read, from disk or uploaded."""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO, cast

import pytest

from readiness.access import Principal
from readiness.db import Database
from readiness.importing.run import import_file
from readiness.importing.upload import import_stream

MB = 1024 * 1024
ADMIN = Principal("admin", "admin")


def sparse(path: Path, size: int) -> Path:
    """A file of `size` bytes that takes no disk: zeros, which no importer would accept."""
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


class Endless(io.RawIOBase):
    """An upload that never ends, counting what was read of it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return 0

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer)
        view[:] = b"a" * len(view)
        self.read_bytes += len(view)
        return len(view)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_huge_file_is_refused_by_its_size_alone(
    sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    # Refused before any database work, so one engine is enough. Four gigabytes of
    # zeros: read, they would be "not UTF-8" or "not a zip" after a long wait instead.
    monkeypatch.setenv("READINESS_IMPORT_MAX_MB", "2")
    path = sparse(tmp_path / f"service_events{suffix}", 4 * 1024 * MB)
    report = import_file(sqlite_db, "service_events", path, dry_run=False, actor="test")
    assert report.errors == [
        f"{path}: refused: the file is 4,096.0 MB, over the import limit of 2 MB"
        " (READINESS_IMPORT_MAX_MB); split it into smaller files"
    ]
    assert report.summary().endswith("1 error: nothing written")


def test_an_upload_is_refused_as_soon_as_it_passes_the_limit(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READINESS_IMPORT_MAX_MB", "3")
    stream = Endless()
    upload = cast(BinaryIO, stream)
    report = import_stream(sqlite_db, ADMIN, "sites", "uploads/sites.csv", upload, dry_run=False)
    assert report.errors == [
        "sites.csv: refused: the file is over the import limit of 3 MB"
        " (READINESS_IMPORT_MAX_MB); split it into smaller files"
    ]
    # Copied a chunk at a time: at most one chunk past the limit was ever read.
    assert stream.read_bytes <= 4 * MB
