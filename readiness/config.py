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
    "READINESS_IMPORT_MAX_MB": ("50", "largest CSV or XLSX file an import accepts, in MB"),
    "READINESS_SIGNIN_MAX_FAILURES": ("5", "failed sign-ins for one user name before a lockout"),
    "READINESS_SIGNIN_CLIENT_MAX_FAILURES": (
        "20",
        "failed sign-ins from one client (any user names) before a lockout",
    ),
    "READINESS_SIGNIN_LOCKOUT_MINUTES": (
        "15",
        "how long a lockout lasts; also the counting window",
    ),
    "READINESS_SIGNIN_MAX_DELAY_SECONDS": (
        "8",
        "cap of the growing wait before answering after failed sign-ins (0: no wait)",
    ),
    "READINESS_SESSION_IDLE_MINUTES": (
        "480",
        "a dashboard sign-in unused this long ends (the next click shows the sign-in form)",
    ),
    "READINESS_SESSION_MAX_HOURS": (
        "12",
        "a dashboard sign-in ends this long after it began, however busy",
    ),
    "READINESS_TRUSTED_PROXY": (
        "false",
        "the dashboard runs behind one reverse proxy: take the client address from"
        " X-Forwarded-For (true/false)",
    ),
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


def parse_count(name: str, raw: str, default: int) -> int:
    """Parse a whole number of at least zero strictly; empty means the default."""
    if not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}: expected a whole number, got {raw!r}") from None
    if value < 0:
        raise ConfigError(f"{name}: {value} is below 0")
    return value


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
    import_max_mb: int = 50
    signin_max_failures: int = 5
    signin_client_max_failures: int = 20
    signin_lockout_minutes: int = 15
    signin_max_delay_s: int = 8
    trusted_proxy: bool = False
    session_idle_minutes: int = 480
    session_max_hours: int = 12


def default_actor() -> str:
    """The operating-system user, as the audit actor of command-line writes."""
    try:
        return f"os:{getpass.getuser()}"
    except (KeyError, OSError):
        return "os:unknown"


def checklists_dir(env: Mapping[str, str] | None = None) -> Path:
    """READINESS_CHECKLISTS_DIR, or the checklists/ folder beside the package."""
    folder = (os.environ if env is None else env).get("READINESS_CHECKLISTS_DIR", "").strip()
    return Path(folder) if folder else REPO_ROOT / "checklists"


def policy_overrides(env: Mapping[str, str] | None = None) -> Path | None:
    """READINESS_POLICY_OVERRIDES: a YAML file merged over the policy, or None."""
    overrides = (os.environ if env is None else env).get("READINESS_POLICY_OVERRIDES", "").strip()
    return Path(overrides) if overrides else None


def import_max_mb(env: Mapping[str, str] | None = None) -> int:
    """READINESS_IMPORT_MAX_MB: the largest import file, in MB (a whole number, at least 1)."""
    name = "READINESS_IMPORT_MAX_MB"
    raw = (os.environ if env is None else env).get(name, "").strip()
    if not raw:
        return 50
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}: expected a whole number of MB, got {raw!r}") from None
    if value < 1:
        raise ConfigError(f"{name}: must be at least 1, got {value}")
    return value


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate every READINESS_* variable."""
    env = os.environ if env is None else env
    return Settings(
        db_url=env.get("READINESS_DB_URL", "") or DEFAULT_DB_URL,
        checklists_dir=checklists_dir(env),
        policy_overrides=policy_overrides(env),
        actor=env.get("READINESS_ACTOR", "") or default_actor(),
        smtp_host=env.get("READINESS_SMTP_HOST", "") or "localhost",
        smtp_port=parse_port("READINESS_SMTP_PORT", env.get("READINESS_SMTP_PORT", "25") or "25"),
        smtp_user=env.get("READINESS_SMTP_USER", ""),
        smtp_password=env.get("READINESS_SMTP_PASSWORD", ""),
        smtp_starttls=parse_bool("READINESS_SMTP_STARTTLS", env.get("READINESS_SMTP_STARTTLS", "")),
        smtp_from=env.get("READINESS_SMTP_FROM", "") or "readiness@localhost",
        officer_email=env.get("READINESS_OFFICER_EMAIL", ""),
        debug=parse_bool("READINESS_DEBUG", env.get("READINESS_DEBUG", "")),
        import_max_mb=import_max_mb(env),
        signin_max_failures=_count(env, "READINESS_SIGNIN_MAX_FAILURES"),
        signin_client_max_failures=_count(env, "READINESS_SIGNIN_CLIENT_MAX_FAILURES"),
        signin_lockout_minutes=_count(env, "READINESS_SIGNIN_LOCKOUT_MINUTES"),
        signin_max_delay_s=_count(env, "READINESS_SIGNIN_MAX_DELAY_SECONDS", least=0),
        trusted_proxy=parse_bool("READINESS_TRUSTED_PROXY", env.get("READINESS_TRUSTED_PROXY", "")),
        session_idle_minutes=_count(env, "READINESS_SESSION_IDLE_MINUTES"),
        session_max_hours=_count(env, "READINESS_SESSION_MAX_HOURS"),
    )


def _count(env: Mapping[str, str], name: str, least: int = 1) -> int:
    """A whole-number setting, at least `least`, defaulting to SETTINGS' default."""
    value = parse_count(name, env.get(name, ""), int(SETTINGS[name][0]))
    if value < least:
        raise ConfigError(f"{name}: must be at least {least}")
    return value
