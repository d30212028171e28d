"""The `readiness dashboard` command: the web pages, served by Streamlit."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
from typing import TYPE_CHECKING

from readiness.commands.common import add_command
from readiness.config import REPO_ROOT, Settings

if TYPE_CHECKING:
    from readiness.commands.common import Subparsers

STOP_GRACE_S = 15


def register(sub: Subparsers) -> None:
    """Add this module's subcommand to the parser."""
    dashboard = add_command(
        sub,
        "dashboard",
        "start the dashboard that staff and officers sign in to",
        description="Start the dashboard web server on this computer; open the address it "
        "prints in a browser. Stop it with Ctrl+C.",
    )
    dashboard.add_argument(
        "--port",
        type=int,
        default=8501,
        metavar="P",
        help="the port to serve on (default: %(default)s)",
    )
    dashboard.add_argument(
        "--address",
        default="127.0.0.1",
        metavar="A",
        help="the address to listen on (default: %(default)s, this computer only; "
        "serve others through a TLS reverse proxy, see README)",
    )
    dashboard.set_defaults(handler=cmd_dashboard)


def cmd_dashboard(args: argparse.Namespace, settings: Settings) -> int:
    """Run Streamlit in a child process until it stops, or until this process is told to."""
    env = dict(os.environ)
    if args.db:
        env["READINESS_DB_URL"] = args.db
    env["STREAMLIT_SERVER_MAX_UPLOAD_SIZE"] = str(settings.import_max_mb)  # uploads: the import cap
    host = "localhost" if args.address in {"127.0.0.1", "localhost"} else args.address
    print(f"dashboard on http://{host}:{args.port}", flush=True)
    # A process group of its own, so a stop reaches Streamlit and anything it started.
    child = subprocess.Popen(streamlit_command(args.port, args.address), env=env, process_group=0)
    return _serve_until_stopped(child)


def _serve_until_stopped(child: subprocess.Popen[bytes]) -> int:
    """Wait for the child; SIGTERM or SIGINT here stops it (and its group) before we exit.

    Without this a service manager's SIGTERM ended only this process and left
    Streamlit serving on the port, an orphan nobody would stop.
    """

    def stop(signum: int, _frame: object) -> None:
        _signal_group(child, signal.SIGTERM)
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        return child.wait()
    except SystemExit as stopping:
        try:
            child.wait(timeout=STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            _signal_group(child, signal.SIGKILL)
            child.wait()
        return int(stopping.code or 0)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _signal_group(child: subprocess.Popen[bytes], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, sig)


def streamlit_command(port: int, address: str) -> list[str]:
    """The Streamlit command line serving the dashboard on `address`:`port`.

    It serves dashboards/server.py: the app plus the route that sets the sign-in cookie.
    """
    app = REPO_ROOT / "dashboards" / "server.py"
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port)]
    cmd += ["--server.address", address]
    cmd += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    cmd += ["--client.toolbarMode", "viewer"]  # no "Deploy" button for clinic staff
    return cmd
