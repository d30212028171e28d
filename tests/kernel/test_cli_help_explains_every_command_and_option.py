"""The help says what Readiness is, where its database comes from, and what each command
and option does, in a line for the people who run it."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest

from readiness.cli import build_parser


def parsers(
    parser: argparse.ArgumentParser, path: str = "readiness"
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """Every parser, nested subcommands too, with the command line that reaches it."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from parsers(child, f"{path} {name}")


ALL = list(parsers(build_parser()))


def test_the_top_help_says_what_readiness_is_and_where_the_database_is() -> None:
    description = build_parser().description or ""
    assert "compliance" in description
    for source in ("--db", "READINESS_DB_URL", "data/readiness.db", "readiness init"):
        assert source in description


def test_every_command_is_listed_with_a_help_line() -> None:
    for path, parser in ALL:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                listed = {choice.dest: choice.help for choice in action._choices_actions}
                assert set(listed) == set(action.choices), path
                assert all(listed.values()), f"{path}: {listed}"


@pytest.mark.parametrize(("path", "parser"), ALL, ids=[path for path, _ in ALL])
def test_each_command_explains_itself_and_its_options(
    path: str, parser: argparse.ArgumentParser
) -> None:
    assert parser.description, f"{path} --help does not say what it does"
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
            continue
        name = "/".join(action.option_strings) or action.dest
        assert action.help and action.help.strip(), f"{path}: {name} has no help line"
