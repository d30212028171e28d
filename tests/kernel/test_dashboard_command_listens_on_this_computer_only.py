"""`readiness dashboard` serves on 127.0.0.1 unless --address says otherwise."""

from __future__ import annotations

from readiness.cli import build_parser
from readiness.commands.dashboard import streamlit_command


def _address(*argv: str) -> str:
    args = build_parser().parse_args(["dashboard", *argv])
    command = streamlit_command(args.port, args.address)
    return command[command.index("--server.address") + 1]


def test_the_default_is_loopback_and_address_overrides_it() -> None:
    assert _address() == "127.0.0.1"
    assert _address("--address", "0.0.0.0") == "0.0.0.0"
