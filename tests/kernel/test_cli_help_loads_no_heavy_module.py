"""`readiness --help` and every `readiness COMMAND --help` start without the heavy libraries."""

from __future__ import annotations

import json
import subprocess
import sys

# Imported only by the handlers that need them: each costs a noticeable part of a second.
HEAVY = (
    "pandas",
    "numpy",
    "sqlalchemy",
    "openpyxl",
    "streamlit",
    "alembic",
    "readiness.compliance",
    "readiness.db",
    "readiness.models",
    "readiness.export",
    "readiness.importing",
    "readiness.reminders",
)

# Runs in a fresh interpreter: the test process itself has imported everything long ago.
SCRIPT = """
import argparse, contextlib, io, json, sys
from readiness.cli import build_parser, main

def commands(parser, path=()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield (*path, name)
                yield from commands(child, (*path, name))

asked = [(), *commands(build_parser())]
for argv in asked:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        main([*argv, "--help"])
print(json.dumps({"asked": [" ".join(a) for a in asked], "loaded": sorted(sys.modules)}))
"""


def test_no_help_imports_a_heavy_module() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True, timeout=60
    )
    found = json.loads(done.stdout)
    # Every command was asked for its help, nested ones too.
    assert {"", "init", "status", "export", "scheduler", "checklist submit", "user add"} <= set(
        found["asked"]
    )
    heavy = sorted(
        name
        for name in found["loaded"]
        if any(name == module or name.startswith(module + ".") for module in HEAVY)
    )
    assert heavy == []
