"""Versions of what staff are told: a site's emergency plan and a patient handout.

A version names the content, not the moment it was written: the SHA-256 of the
canonical JSON of its inputs. The same numbers, roles and protocols give the same
version on every engine and every day; any change to one of them gives a new one,
and with it a new acknowledgement owed by every member of staff (OSHA 29 CFR
1910.38(e): the plan is reviewed with each employee when it changes).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping

# Characters of a version shown to people (the full digest is stored).
SHORT = 12
HANDOUT_SEPARATOR = ":"


def digest(content: object) -> str:
    """SHA-256 of the canonical JSON of `content` (sorted keys, no spaces)."""
    return hashlib.sha256(_canonical(content)).hexdigest()


def plan_version(
    protocols: object,
    contacts: Mapping[str, object],
    roles: Iterable[tuple[str, str, str]],
) -> str:
    """The version of a site's plan: its protocols, its contacts and places, its roles.

    `protocols` is the JSON form of the emergency and complication protocols;
    `contacts` maps each contact field to its value (None or blank: not on file);
    `roles` holds (scenario, duty, assignee) rows in any order.
    """
    shown = {name: _text(value) for name, value in contacts.items()}
    # The canonical JSON of {"contacts", "protocols", "roles"}, keys in sorted order, with
    # the protocols' text written once per protocols object: the engine versions every
    # site's plan with the same protocols (re-encoding them was 23 ms of 200 sites).
    sha = hashlib.sha256(b'{"contacts":')
    sha.update(_canonical({name: value for name, value in shown.items() if value is not None}))
    sha.update(b',"protocols":')
    sha.update(_canonical_protocols(protocols))
    sha.update(b',"roles":')
    sha.update(_canonical(sorted([list(role) for role in roles])))
    sha.update(b"}")
    return sha.hexdigest()


def _canonical(content: object) -> bytes:
    """The canonical JSON of `content` as UTF-8 (what `digest` hashes)."""
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


# The last protocols encoded and their text; one tuple, so threads read it whole, and
# the object held so that its id cannot be reused by another.
_LAST_PROTOCOLS: tuple[object, bytes] | None = None


def _canonical_protocols(protocols: object) -> bytes:
    """`_canonical(protocols)`, kept for the last protocols object asked for."""
    global _LAST_PROTOCOLS
    last = _LAST_PROTOCOLS
    if last is not None and last[0] is protocols:
        return last[1]
    encoded = _canonical(protocols)
    _LAST_PROTOCOLS = (protocols, encoded)
    return encoded


def short(version: str) -> str:
    """The part of a version people read, e.g. "3f2a9c1b7d10"."""
    return version[:SHORT]


def handout_version(procedure: str, aftercare: object) -> str:
    """The version of one procedure's aftercare handout, e.g. "laser_vein:3f2a9c1b7d10".

    The procedure is part of it, so a time-out that records the version also records
    which handout was given.
    """
    return f"{procedure}{HANDOUT_SEPARATOR}{short(digest(aftercare))}"


def protocol_version(name: str, protocol: object) -> str:
    """The version of one protocol, e.g. "anaphylaxis:3f2a9c1b7d10".

    A digest of that protocol's own text only: editing one protocol leaves the versions
    of the others (and the incidents that name them) as they were. The name is part of
    it, so an incident that records the version also records which protocol it was.
    """
    return f"{name}{HANDOUT_SEPARATOR}{short(digest(protocol))}"


def handout_procedure(version: str) -> str:
    """The procedure a handout version is of ("" when it names none)."""
    procedure, separator, _rest = version.partition(HANDOUT_SEPARATOR)
    return procedure if separator else ""


def _text(value: object) -> str | None:
    """A stored value as the plan prints it; None or blank is None."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None
