"""What an import did, or would do: counts per file and kind, and every error found."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

# Errors kept in a report: a file of a million bad rows says so without holding a
# million messages (the count of the others is still given).
MAX_PROBLEMS = 1000


@dataclass(frozen=True)
class Problem:
    """One error: a cell, a column or a whole file that cannot be imported."""

    file: str
    reason: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        if self.row is None:
            return f"{self.file}: {self.reason}"
        if self.column is None:  # the row as a whole (its shape), not one cell
            return f"{self.file}:{self.row}: {self.reason}"
        return f"{self.file}:{self.row}: {self.column}: {self.reason}"


class Problems(list[Problem]):
    """Errors in the order found; past MAX_PROBLEMS only counted."""

    def __init__(self, problems: Iterable[Problem] = ()) -> None:
        super().__init__()
        self.dropped = 0
        self.extend(problems)

    def append(self, problem: Problem) -> None:
        """Keep the problem, or count it once MAX_PROBLEMS are kept."""
        if len(self) < MAX_PROBLEMS:
            super().append(problem)
        else:
            self.dropped += 1

    def extend(self, problems: Iterable[Problem]) -> None:
        """Append each problem in turn."""
        for problem in problems:
            self.append(problem)

    @property
    def total(self) -> int:
        """Every problem found, kept or only counted."""
        return len(self) + self.dropped


@dataclass
class Counts:
    """Rows created, amended (evidence superseded or master data updated) and unchanged."""

    created: int = 0
    amended: int = 0
    unchanged: int = 0

    def add(self, other: Counts) -> None:
        """Add another file's counts to these."""
        self.created += other.created
        self.amended += other.amended
        self.unchanged += other.unchanged

    def __str__(self) -> str:
        return f"{self.created} created, {self.amended} amended, {self.unchanged} unchanged"


@dataclass
class FileResult:
    """One imported file: its kind, counts and the columns it had that no kind knows."""

    file: str
    kind: str
    counts: Counts = field(default_factory=Counts)
    ignored_columns: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """The outcome of one import: nothing was written when `errors` is non-empty or dry_run."""

    dry_run: bool = False
    problems: Problems = field(default_factory=Problems)
    files: list[FileResult] = field(default_factory=list)
    unknown_files: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        """Every error as "FILE:ROW: column: reason", by file (in import order), then row."""
        order = {result.file: n for n, result in enumerate(self.files)}
        ranked = sorted(self.problems, key=lambda p: (order.get(p.file, -1), p.row or 0))
        more = self.problems.dropped
        tail = [f"... and {more:,} more errors (the first {len(ranked):,} are shown)"]
        return [str(p) for p in ranked] + (tail if more else [])

    @property
    def written(self) -> bool:
        """True when the import was committed."""
        return not (self.problems or self.dry_run)

    @property
    def counts(self) -> dict[str, Counts]:
        """Counts per kind, over all files of that kind."""
        out: dict[str, Counts] = {}
        for result in self.files:
            out.setdefault(result.kind, Counts()).add(result.counts)
        return out

    def summary(self) -> str:
        """A few lines for the command line: per-file counts, what was ignored, the verdict."""
        lines = []
        for result in self.files:
            ignored = result.ignored_columns
            note = f" (ignored unknown columns: {', '.join(ignored)})" if ignored else ""
            counts = "not imported" if self.problems else str(result.counts)
            lines.append(f"{result.file}: {counts}{note}")
        if self.unknown_files:
            lines.append(f"ignored unknown files: {', '.join(self.unknown_files)}")
        if self.problems:
            count = self.problems.total
            lines.append(f"{count} error{'' if count == 1 else 's'}: nothing written")
        elif self.dry_run:
            lines.append("dry run: nothing written")
        return "\n".join(lines)
