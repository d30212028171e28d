"""A file's parsed rows, kept between reading the file and writing it, a batch at a time.

An import reads every file to its end (cells parsed, shape and row limit checked)
before it opens the write transaction, then resolves and writes the rows in batches.
In between the rows wait here: in memory while they are few, in an anonymous
temporary file past a few megabytes, so an import holds one batch whatever the
size of its files, and a file is parsed once.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from typing import Any

from readiness.importing.rows import Row

# Rows resolved, checked and written together: large enough that lookups stay a few
# queries per file, small enough that a batch of long rows is a few megabytes.
BATCH_ROWS = 2000
# Below this the spool never touches the disk.
IN_MEMORY_BYTES = 8 * 1024 * 1024


class Spool:
    """Rows added in file order, read back in batches of BATCH_ROWS."""

    def __init__(self) -> None:
        # Pickle is safe here: the file holds only what this process wrote, and it has
        # no name another process could open (unlinked at creation).
        # Closed by close(), which the import calls once the file is written.
        self._file: Any = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=IN_MEMORY_BYTES, prefix="readiness-import-"
        )
        self._pending: list[tuple[int, dict[str, Any], set[str]]] = []
        self.count = 0

    def add(self, row: Row) -> None:
        """Keep a parsed row until the rows are written."""
        self._pending.append((row.number, row.values, row.failed))
        self.count += 1
        if len(self._pending) >= BATCH_ROWS:
            self._flush()

    def batches(self) -> Iterator[list[Row]]:
        """The rows in the order added, BATCH_ROWS at a time."""
        self._flush()
        self._file.seek(0)
        while True:
            try:
                batch = pickle.load(self._file)
            except EOFError:
                return
            yield [Row(number, values, failed) for number, values, failed in batch]

    def close(self) -> None:
        """Free the memory or the temporary file."""
        self._file.close()

    def _flush(self) -> None:
        if self._pending:
            self._file.seek(0, 2)  # batches() may have moved the position
            pickle.dump(self._pending, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._pending = []
