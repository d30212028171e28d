"""Expiry of a certificate imported without one, from the policy's validity of its type."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from readiness.config import policy_overrides
from readiness.policy.pack import Policy, default_policy_path, load_policy


def derive_expiry(cert_type: str, issued_on: date, policy: Policy | None = None) -> date | None:
    """The expiry the policy gives a certificate issued on `issued_on`; None if it sets none."""
    validity = (policy or current_policy()).certificate_types.get(cert_type)
    return None if validity is None else validity.expiry_for(issued_on)


def current_policy() -> Policy:
    """The default policy (with READINESS_POLICY_OVERRIDES), reloaded when a file changes."""
    path = default_policy_path()
    overrides = policy_overrides()
    text = str(overrides) if overrides else ""
    return _loaded(path, _stamp(path), text, _stamp(overrides) if overrides else 0)


def _stamp(path: Path) -> int:
    """Modification time of a file (0 when missing: load_policy reports that)."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


@lru_cache(maxsize=4)
def _loaded(path: Path, _stamp: int, overrides: str, _overrides_stamp: int) -> Policy:
    # One load per import, not per row: the stamps in the cache key catch edited files.
    return load_policy(path, Path(overrides) if overrides else None)
