"""The one strict YAML reader of the policy pack and the checklist templates.

Safe (no Python objects), a key given twice in one mapping is an error (PyYAML would keep
the last silently), and `10:00` stays text instead of YAML 1.1's base-60 number 600.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml


class YamlFileError(Exception):
    """A file that cannot be read or parsed: its path as shown to the user, and the problem."""

    def __init__(self, shown: str, problem: str) -> None:
        super().__init__(f"{shown}: {problem}")
        self.shown = shown
        self.problem = problem


class _StrictMapping(yaml.constructor.SafeConstructor):
    """The constructor part of a strict loader: a key given twice is an error."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Build a mapping, refusing a key given twice."""
        self.flatten_mapping(node)
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, str | int | float | bool) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} is given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def strict_loader(parser: type[yaml.SafeLoader]) -> type[yaml.SafeLoader]:
    """A safe loader on `parser` that refuses duplicate keys and reads 10:00 as text.

    Only the parser differs between libyaml's and the pure-Python loader; construction,
    the duplicate-key check and the resolvers are ours either way.
    """
    loader = type("StrictLoader", (_StrictMapping, parser), {})
    _without_base_60(loader)
    return loader


def read_yaml(path: Path) -> tuple[bytes, object]:
    """The file's bytes and its parsed content, or YamlFileError with line and column."""
    shown = shown_path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise YamlFileError(shown, "no such file") from None
    except OSError as error:
        raise YamlFileError(shown, f"cannot read: {error.strerror}") from None
    try:
        return raw, yaml.load(raw.decode("utf-8"), Loader=StrictLoader)
    except UnicodeDecodeError:
        raise YamlFileError(shown, "cannot read: not UTF-8 text") from None
    except yaml.YAMLError as error:
        raise YamlFileError(shown, _problem(error)) from None


def shown_path(path: Path) -> str:
    """The path as a user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _problem(error: yaml.YAMLError) -> str:
    """'line L, column C: invalid YAML: problem' from a PyYAML error."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or getattr(error, "context", None) or str(error)
    if mark is None:
        return f"invalid YAML: {problem}"
    return f"line {mark.line + 1}, column {mark.column + 1}: invalid YAML: {problem}"


def _without_base_60(loader: type[yaml.SafeLoader]) -> None:
    """Swap YAML 1.1 int/float resolvers for ones without base-60 forms like 10:00."""
    int_tag, float_tag = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
    loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in (int_tag, float_tag)]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    integer = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$")
    real = re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    )
    loader.add_implicit_resolver(int_tag, integer, list("-+0123456789"))
    loader.add_implicit_resolver(float_tag, real, list("-+0123456789."))


# libyaml's parser when PyYAML was built with it (several times faster on the policy,
# templates and protocols every command reads); the pure-Python one otherwise.
StrictLoader = strict_loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader))
