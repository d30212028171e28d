"""`readiness status` and `readiness export`, run as commands, never load pyarrow: pandas
imports it whenever it is installed (about 0.1 s and 37 MB), and no command needs it."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from export_world import build_world

from readiness.db import Database

# The command as its console script runs it: main() with this process's own arguments.
SCRIPT = """
import json, sys
from readiness.cli import main
sys.argv = ["readiness", *sys.argv[1:]]
status = main()
loaded = {name: sys.modules.get(name) is not None for name in ("pandas", "pyarrow")}
print(json.dumps({"status": status, **loaded}), file=sys.stderr)
"""

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("pyarrow") is None, reason="pyarrow is not installed here"
)


@pytest.fixture
def url(sqlite_db: Database) -> str:
    build_world(sqlite_db, ["=1+1", "émigré \u202e RTL 😀"])
    return sqlite_db.url


def _run(*args: str) -> tuple[str, dict[str, object]]:
    """The command's output and what it reported on its last line of stderr."""
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, json.loads(done.stderr.strip().splitlines()[-1])


def test_status_judges_with_pandas_and_without_pyarrow(url: str) -> None:
    out, found = _run("--db", url, "status", "--format", "json", "--as-of", "2026-03-14")
    assert len(json.loads(out)) > 0
    assert found == {"status": 0, "pandas": True, "pyarrow": False}


def test_export_writes_its_workbook_without_pyarrow(url: str, tmp_path: Path) -> None:
    target = tmp_path / "week.xlsx"
    out, found = _run(
        "--db", url, "export", "--site", "AUS1,PHX1", "--from", "2026-03-09", "--to",
        "2026-03-14", "-o", str(target), "--quiet",
    )  # fmt: skip
    assert out.startswith(f"wrote {target}") and target.stat().st_size > 0
    assert found == {"status": 0, "pandas": True, "pyarrow": False}


def test_a_program_that_passes_its_own_arguments_keeps_its_modules(url: str) -> None:
    """main(argv) from a test or another program leaves pyarrow importable."""
    script = (
        "import sys\nfrom readiness.cli import main\n"
        f"main(['--db', {url!r}, 'status', '--format', 'json', '--as-of', '2026-03-14'])\n"
        "import pyarrow\nprint(pyarrow.__name__, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().endswith("pyarrow")
