"""A template's version is the hash of its content: wording changes it, YAML layout does not."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from readiness.policy.templates import load_template_file, parse_template, version_of

SHIPPED = Path(__file__).resolve().parents[2] / "checklists"
ORIGINAL = (SHIPPED / "opening-daily.yaml").read_text(encoding="utf-8")


def _version(text: str, tmp_path: Path) -> str:
    """Version of a template written as this YAML text."""
    path = tmp_path / "template.yaml"
    path.write_text(text, encoding="utf-8")
    return load_template_file(path).version


def _reordered(text: str) -> str:
    """The same content with the top-level keys in reverse order, in flow style, no comments."""
    data = yaml.safe_load(text)
    return yaml.safe_dump(dict(reversed(list(data.items()))), default_flow_style=True, width=60)


LAYOUT_ONLY = [
    pytest.param(lambda text: text, id="unchanged"),
    pytest.param(lambda text: re.sub(r"(?m)^#.*\n", "", text), id="comments-removed"),
    pytest.param(lambda text: text.replace("\n\n", "\n"), id="blank-lines-removed"),
    pytest.param(lambda text: text.replace('"10:00"', "'10:00'"), id="other-quotes"),
    pytest.param(lambda text: text.replace('"10:00"', "10:00"), id="unquoted-time"),
    pytest.param(lambda text: text.replace("min: 1000", "min: 1000.0"), id="int-as-float"),
    pytest.param(
        lambda text: text.replace("satisfies: aed.daily_check", "satisfies: [aed.daily_check]"),
        id="single-requirement-as-list",
    ),
    pytest.param(_reordered, id="keys-reordered-flow-style"),
    pytest.param(
        lambda text: text.replace("    type: count\n", "    required: true\n    type: count\n"),
        id="default-written-out",
    ),
]

CONTENT = [
    pytest.param(lambda text: text.replace("no chirp or warning", "no chirp"), id="wording"),
    pytest.param(lambda text: text.replace("min: 1000", "min: 500"), id="threshold"),
    pytest.param(lambda text: text.replace('"10:00"', '"09:30"'), id="due-by"),
    pytest.param(lambda text: text.replace("severity: minor", "severity: major"), id="severity"),
    pytest.param(
        lambda text: text.replace("    type: count\n", "    required: false\n    type: count\n"),
        id="optional-item",
    ),
]


@pytest.mark.parametrize("reformat", LAYOUT_ONLY)
def test_reformatting_keeps_the_version(tmp_path: Path, reformat: Callable[[str], str]) -> None:
    assert _version(reformat(ORIGINAL), tmp_path) == _version(ORIGINAL, tmp_path)


@pytest.mark.parametrize("edit", CONTENT)
def test_editing_content_changes_the_version(tmp_path: Path, edit: Callable[[str], str]) -> None:
    edited = edit(ORIGINAL)
    assert edited != ORIGINAL
    assert _version(edited, tmp_path) != _version(ORIGINAL, tmp_path)


def test_the_version_is_sha256_hex_of_the_canonical_snapshot() -> None:
    template = load_template_file(SHIPPED / "opening-daily.yaml")
    assert re.fullmatch(r"[0-9a-f]{64}", template.version)
    assert template.version == version_of(template.snapshot())


def test_a_stored_snapshot_reads_back_as_the_same_template() -> None:
    template = load_template_file(SHIPPED / "opening-daily.yaml")
    stored = json.loads(json.dumps(template.snapshot()))
    again = parse_template(stored, "run 17 snapshot")
    assert again.version == template.version
    assert [item.text for item in again.items] == [item.text for item in template.items]


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*-*.yaml")), ids=lambda path: path.stem)
def test_every_shipped_snapshot_is_plain_json_and_round_trips(path: Path) -> None:
    template = load_template_file(path)
    text = json.dumps(template.snapshot(), allow_nan=False)
    assert parse_template(json.loads(text)).version == template.version


def test_the_snapshot_writes_whole_bounds_as_integers() -> None:
    items = load_template_file(SHIPPED / "opening-daily.yaml").snapshot()["items"]
    o2 = next(item for item in items if item["id"] == "o2_psi")
    assert o2["min"] == 1000 and isinstance(o2["min"], int)


def test_a_copy_with_changes_gets_its_own_version() -> None:
    template = load_template_file(SHIPPED / "opening-daily.yaml")
    before = template.version
    assert template.model_copy(update={"title": "Opening check"}).version != before
