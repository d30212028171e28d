"""README documents every setting the code reads, with its default."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from readiness.config import SETTINGS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
CODE = "\n".join(
    p.read_text() for p in (Path(__file__).resolve().parents[2] / "readiness").rglob("*.py")
)


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_each_setting_has_a_row_in_the_readme(name: str) -> None:
    assert re.search(rf"^\| `{name}` \|", README, re.MULTILINE), f"{name} missing from README"


def test_every_variable_the_code_reads_is_a_known_setting() -> None:
    read = set(re.findall(r"READINESS_[A-Z_]*[A-Z]\b", CODE))
    assert read <= set(SETTINGS), sorted(read - set(SETTINGS))


def test_readme_starts_with_the_two_commands() -> None:
    block = README.split("```")[1]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make run", "make test"]
