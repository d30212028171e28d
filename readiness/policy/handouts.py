"""The patient aftercare handouts a clinic may give, each named by its version.

A handout's version is `readiness.rules.plan_version.handout_version`: the procedure and
a digest of its aftercare text, printed in the handout's footer and recorded by the
procedure time-out, so the record says which instructions went home with the patient.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from readiness.policy.protocols import (
    OVERRIDES_FILE,
    Protocols,
    default_protocols_path,
    load_protocols,
)
from readiness.rules.plan_version import handout_version


def current_protocols() -> Protocols:
    """The practice's protocols, reloaded when the file (or its overrides) changes."""
    path = default_protocols_path()
    return _loaded(path, _stamp(path), _stamp(path.parent / OVERRIDES_FILE))


@lru_cache(maxsize=4)
def _loaded(path: Path, _stamp: int, _overrides_stamp: int) -> Protocols:
    # The stamps in the cache key catch an edited file.
    return load_protocols(path)


def _stamp(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def version_of(protocols: Protocols, procedure: str) -> str:
    """The version of one procedure's handout (PolicyError for one without aftercare)."""
    care = protocols.aftercare_for(procedure)
    return handout_version(procedure, care.model_dump(mode="json"))


def handout_versions(protocols: Protocols | None = None) -> dict[str, str]:
    """Version -> title of every handout the protocols give now, in file order."""
    protocols = protocols or current_protocols()
    return {
        version_of(protocols, procedure): care.title
        for procedure, care in protocols.aftercare.items()
    }
