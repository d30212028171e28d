"""The dashboard keeps Streamlit's protections: XSRF on, no raw HTML from markdown."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    *ROOT.glob("dashboards/**/*.py"),
    ROOT / "readiness" / "cli.py",
    *ROOT.glob("readiness/views/*.py"),
]
CONFIGS = [*ROOT.glob("**/.streamlit/config.toml"), ROOT / "Makefile"]


def test_no_page_lets_markdown_through_as_html() -> None:
    offenders = [str(p.relative_to(ROOT)) for p in SOURCES if "unsafe_allow_html" in p.read_text()]
    assert offenders == []


def test_xsrf_protection_is_never_switched_off() -> None:
    # enableXsrfProtection = false, --server.enableXsrfProtection false, ...=false
    switch = re.compile(r"xsrf_?protection\W{1,4}false", re.IGNORECASE)
    for path in [*SOURCES, *CONFIGS]:
        if path.is_file() and ".venv" not in path.parts:
            assert not switch.search(path.read_text()), path
