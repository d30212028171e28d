"""The `readiness dashboard` command: the web pages, served by Streamlit."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from typing import TYPE_CHECKING

from readiness.commands.common import add_command
from readiness.config import REPO_ROOT, Settings

if TYPE_CHECKING:
    from readiness.commands.common import Subparsers


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
    """Run Streamlit in a child process until it stops."""
    env = dict(os.environ)
    if args.db:
        env["READINESS_DB_URL"] = args.db
    host = "localhost" if args.address in {"127.0.0.1", "localhost"} else args.address
    print(f"dashboard on http://{host}:{args.port}")
    return subprocess.call(streamlit_command(args.port, args.address), env=env)


def streamlit_command(port: int, address: str) -> list[str]:
    """The Streamlit command line serving the dashboard on `address`:`port`."""
    app = REPO_ROOT / "dashboards" / "app.py"
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port)]
    cmd += ["--server.address", address]
    cmd += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    cmd += ["--client.toolbarMode", "viewer"]  # no "Deploy" button for clinic staff
    return cmd
