"""`readiness plan --help` and `readiness handout --help` load neither reportlab nor the engine."""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = """
import contextlib, io, json, sys
from readiness.cli import main
for argv in (["plan", "--help"], ["handout", "--help"]):
    with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.suppress(SystemExit):
        main(argv)
    print(json.dumps(out.getvalue()))
print(json.dumps(sorted(sys.modules)))
"""
HEAVY = ("reportlab", "pandas", "sqlalchemy", "readiness.export", "readiness.compliance")


def test_help_is_light_and_every_option_has_a_help_line() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True, timeout=60
    )
    plan_help, handout_help, loaded = (json.loads(line) for line in done.stdout.splitlines())
    assert not [m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY)]
    for option in ("--site CODE", "-o FILE.pdf, --output FILE.pdf", "--as-of DATE"):
        assert option in plan_help
    assert "--procedure ID" in handout_help
    # Each option's own help line.
    for words in ("several codes separated by commas", "the PDF file to write", "judge readiness"):
        assert words in " ".join(plan_help.split())
    for words in ("the site code", "whose aftercare to print", "the PDF file to write"):
        assert words in " ".join(handout_help.split())
