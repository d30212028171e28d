"""What an import did, or would do: counts per file and kind, and every error found."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    problems: list[Problem] = field(default_factory=list)
    files: list[FileResult] = field(default_factory=list)
    unknown_files: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        """Every error as "FILE:ROW: column: reason", by file (in import order), then row."""
        order = {result.file: n for n, result in enumerate(self.files)}
        ranked = sorted(self.problems, key=lambda p: (order.get(p.file, -1), p.row or 0))
        return [str(p) for p in ranked]

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
            count = len(self.problems)
            lines.append(f"{count} error{'' if count == 1 else 's'}: nothing written")
        elif self.dry_run:
            lines.append("dry run: nothing written")
        return "\n".join(lines)
