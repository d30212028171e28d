"""SIGTERM (a service manager's stop) or SIGINT to `readiness dashboard` stops the Streamlit
server it started: the port is free again and no child process is left serving."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from streamlit_server import free_port

READINESS = Path(sys.executable).with_name("readiness")
START_TIMEOUT_S = 90.0


def _children(pid: int) -> list[int]:
    """The direct children of a process (Linux /proc)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_healthy(port: int, command: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        assert command.poll() is None, command.stdout.read() if command.stdout else ""
        try:
            url = f"http://127.0.0.1:{port}/_stcore/health"
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the dashboard did not start")


def _port_free(port: int) -> bool:
    """Nobody answers on the port, and a new server could listen on it."""
    with socket.socket() as caller:
        if caller.connect_ex(("127.0.0.1", port)) == 0:
            return False
    with socket.socket() as probe:
        # As servers do: the health checks' closed connections may linger in TIME_WAIT.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            probe.listen()
        except OSError:
            return False
    return True


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_stops_the_server_and_frees_the_port(
    tmp_path: Path, stop: signal.Signals
) -> None:
    port = free_port()
    db = f"sqlite:///{tmp_path}/readiness.db"
    command = subprocess.Popen(
        [str(READINESS), "--db", db, "dashboard", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # so the test's own signal reaches only `readiness`
    )
    try:
        _wait_healthy(port, command)
        children = _children(command.pid)
        assert children, "readiness dashboard runs Streamlit as its child"
        command.send_signal(stop)
        assert command.wait(timeout=30) == 128 + stop
        assert not any(_alive(child) for child in children)
        assert _port_free(port)
    finally:
        if command.poll() is None:
            os.killpg(command.pid, signal.SIGKILL)
            command.wait()
