"""The strict YAML reader gives the same content and the same errors whichever parser runs.

`read_yaml` uses libyaml's parser when PyYAML has it (the policy, templates and protocols
are read by every command); the pure-Python parser is the fallback. Both must read every
shipped file to the same values, refuse a key given twice, keep 10:00 as text and point
at the same line and column of a broken file.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml

from readiness.policy import yaml_file
from readiness.policy.yaml_file import StrictLoader, YamlFileError, read_yaml, strict_loader

CHECKLISTS = Path(__file__).resolve().parents[2] / "checklists"

# The reader as read_yaml's StrictLoader is built, on the pure-Python parser.
PurePython = strict_loader(yaml.SafeLoader)


def test_the_reader_uses_libyaml_when_pyyaml_has_it() -> None:
    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML was built without libyaml: the pure-Python parser is the reader")
    assert issubclass(StrictLoader, yaml.CSafeLoader)


@pytest.mark.parametrize(
    "path", sorted(CHECKLISTS.rglob("*.yaml")), ids=lambda p: p.relative_to(CHECKLISTS).as_posix()
)
def test_every_shipped_file_reads_the_same(path: Path) -> None:
    _raw, content = read_yaml(path)
    assert content == yaml.load(path.read_text(encoding="utf-8"), Loader=PurePython)


def test_times_stay_text_and_numbers_stay_numbers(tmp_path: Path) -> None:
    path = tmp_path / "times.yaml"
    path.write_text("due_by: 10:00\ninterval: 12\nratio: 1.5\nwhen: 2026-03-09\n")
    content = read_yaml(path)[1]
    assert content == yaml.load(path.read_text(), Loader=PurePython)
    assert content == {
        "due_by": "10:00",
        "interval": 12,
        "ratio": 1.5,
        "when": datetime.date(2026, 3, 9),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: x\nid: y\n", "line 2, column 1: invalid YAML: key 'id' is given twice"),
        ("id: x\nitems: [\n", "line 3, column 1: invalid YAML"),
        ("a: 1\n  b: 2\n", "line 2, column 4: invalid YAML"),
    ],
)
def test_errors_point_at_the_same_place(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    with pytest.raises(YamlFileError) as ours:
        read_yaml(path)
    assert ours.value.problem.startswith(expected)
    with pytest.raises(yaml.YAMLError) as pure:
        yaml.load(text, Loader=PurePython)
    assert yaml_file._problem(pure.value).startswith(expected)
