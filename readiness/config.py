"""Settings from environment variables, parsed strictly and documented in README."""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from readiness.errors import ConfigError

DEFAULT_DB_URL = "sqlite:///data/readiness.db"
REPO_ROOT = Path(__file__).resolve().parent.parent

# Every setting: name -> (default, meaning). README's settings table mirrors this
# mapping and a test fails when one is missing there.
SETTINGS: dict[str, tuple[str, str]] = {
    "READINESS_DB_URL": (DEFAULT_DB_URL, "SQLAlchemy URL of the database"),
    "READINESS_CHECKLISTS_DIR": (
        "checklists/ beside the package",
        "folder holding requirements.yaml and the checklist templates",
    ),
    "READINESS_POLICY_OVERRIDES": ("", "optional YAML file overriding figures of the policy"),
    "READINESS_ACTOR": ("the operating-system user", "audit actor of command-line writes"),
    "READINESS_SMTP_HOST": ("localhost", "SMTP server for reminders"),
    "READINESS_SMTP_PORT": ("25", "SMTP port"),
    "READINESS_SMTP_USER": ("", "SMTP user name (empty: no login)"),
    "READINESS_SMTP_PASSWORD": ("", "SMTP password"),
    "READINESS_SMTP_STARTTLS": ("false", "use STARTTLS (true/false)"),
    "READINESS_SMTP_FROM": ("readiness@localhost", "sender address of reminders"),
    "READINESS_OFFICER_EMAIL": (
        "",
        "receives escalations and digests when no officer user has an e-mail address",
    ),
    "READINESS_DEBUG": ("false", "print full tracebacks on errors (true/false)"),
}


def parse_bool(name: str, raw: str) -> bool:
    """Parse yes/no style text strictly."""
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"", "0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}: expected true or false, got {raw!r}")


def parse_port(name: str, raw: str) -> int:
    """Parse a TCP port number strictly."""
    try:
        port = int(raw)
    except ValueError:
        raise ConfigError(f"{name}: expected a port number, got {raw!r}") from None
    if not 0 < port < 65536:
        raise ConfigError(f"{name}: port {port} is out of range 1-65535")
    return port


@dataclass(frozen=True)
class Settings:
    """The validated settings of one process."""

    db_url: str = DEFAULT_DB_URL
    checklists_dir: Path = REPO_ROOT / "checklists"
    policy_overrides: Path | None = None
    actor: str = "cli"
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    smtp_from: str = "readiness@localhost"
    officer_email: str = ""
    debug: bool = False


def default_actor() -> str:
    """The operating-system user, as the audit actor of command-line writes."""
    try:
        return f"os:{getpass.getuser()}"
    except (KeyError, OSError):
        return "os:unknown"


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate every READINESS_* variable."""
    env = os.environ if env is None else env
    overrides = env.get("READINESS_POLICY_OVERRIDES", "")
    checklists = env.get("READINESS_CHECKLISTS_DIR", "")
    return Settings(
        db_url=env.get("READINESS_DB_URL", "") or DEFAULT_DB_URL,
        checklists_dir=Path(checklists) if checklists else REPO_ROOT / "checklists",
        policy_overrides=Path(overrides) if overrides else None,
        actor=env.get("READINESS_ACTOR", "") or default_actor(),
        smtp_host=env.get("READINESS_SMTP_HOST", "") or "localhost",
        smtp_port=parse_port("READINESS_SMTP_PORT", env.get("READINESS_SMTP_PORT", "25") or "25"),
        smtp_user=env.get("READINESS_SMTP_USER", ""),
        smtp_password=env.get("READINESS_SMTP_PASSWORD", ""),
        smtp_starttls=parse_bool("READINESS_SMTP_STARTTLS", env.get("READINESS_SMTP_STARTTLS", "")),
        smtp_from=env.get("READINESS_SMTP_FROM", "") or "readiness@localhost",
        officer_email=env.get("READINESS_OFFICER_EMAIL", ""),
        debug=parse_bool("READINESS_DEBUG", env.get("READINESS_DEBUG", "")),
    )
