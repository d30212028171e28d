"""Emergency and complication protocols and patient aftercare (checklists/protocols/).

Versioned policy data like the pack: read by the one strict YAML reader, validated
(every section names its `source:`), and named by the SHA-256 of the file's bytes,
then of the practice's overrides (`protocols/overrides.yaml` beside it, merged by id)
when it has them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, PrivateAttr, ValidationError

from readiness.config import checklists_dir
from readiness.models.incident import NO_PROTOCOL
from readiness.policy.pack import PolicyError, merge_overrides
from readiness.policy.requirements import Name, Procedure, Sources, StrictModel, Text
from readiness.policy.yaml_file import YamlFileError, read_yaml, shown_path
from readiness.rules.plan_version import protocol_version

PROTOCOLS_FOLDER = "protocols"
PROTOCOLS_FILE = "protocols.yaml"
OVERRIDES_FILE = "overrides.yaml"
# How an incident logged before protocols were named reads.
NOT_RECORDED = "not recorded"
# The protocol an incident of each type follows unless the officer says otherwise. Types
# missing here (hypopigmentation, device malfunction, transfer, other) have none; neither
# has a type whose protocol a practice's file leaves out. An allergic reaction starts on
# the anaphylaxis protocol, which says to treat as anaphylaxis when in doubt.
INCIDENT_PROTOCOLS = {
    "burn": "laser_burn",
    "blistering": "blistering",
    "hyperpigmentation": "hyperpigmentation",
    "infection": "infection",
    "allergic_reaction": "anaphylaxis",
    "anaphylaxis": "anaphylaxis",
    "syncope": "vasovagal_syncope",
    "laser_eye_exposure": "laser_eye_exposure",
}


class Section(StrictModel):
    """A list of plain instructions and where they come from."""

    items: list[Text] = Field(min_length=1)
    source: Sources


class Dose(StrictModel):
    """One drug dose a protocol gives, for whom, and when it may be repeated."""

    drug: Text
    dose: Text
    route: Text
    who: Text
    repeat: str = ""
    source: Sources


class Protocol(StrictModel):
    """What staff do in one emergency or complication, from first step to follow-up."""

    title: Text
    kind: Literal["emergency", "complication"]
    # The policy scenario whose readiness the plan prints beside it (None: none is judged).
    scenario: Name | None = None
    recognise: Section
    steps: Section
    doses: list[Dose] = Field(default_factory=list)
    transfer: Section
    document: Section
    follow_up: Section

    def sections(self) -> dict[str, Section]:
        """The sections in reading order, by heading."""
        return {
            "Recognise": self.recognise,
            "Steps": self.steps,
            "When to transfer": self.transfer,
            "What to document": self.document,
            "Follow-up": self.follow_up,
        }


class Aftercare(StrictModel):
    """A patient's instructions after one procedure, and the signs that call for help."""

    title: Text
    instructions: Section
    call_the_clinic: Section
    call_911: Section


class Protocols(StrictModel):
    """The validated protocols file."""

    protocols: dict[Name, Protocol]
    aftercare: dict[Procedure, Aftercare]

    _version: str = PrivateAttr(default="")

    @property
    def version(self) -> str:
        """SHA-256 of the protocols file's bytes (then the overrides'), naming this text."""
        return self._version

    def version_of(self, name: str) -> str:
        """The version of one protocol, e.g. "anaphylaxis:3f2a9c1b7d10" (its own text only)."""
        return protocol_version(name, self.protocol(name).model_dump(mode="json"))

    def protocol(self, name: str) -> Protocol:
        """One protocol by name, or PolicyError naming those there are."""
        try:
            return self.protocols[name]
        except KeyError:
            known = ", ".join(self.protocols) or "none"
            raise PolicyError([f"no protocol {name!r} (known: {known})"]) from None

    def for_incident(self, incident_type: str) -> str | None:
        """The protocol an incident of this type follows by default (None: there is none)."""
        name = INCIDENT_PROTOCOLS.get(incident_type)
        return name if name in self.protocols else None

    def followed_text(self, protocol: str | None, reason: str | None = None) -> str:
        """An incident's protocol as people read it: its title, "none followed: why", or
        "not recorded" (incidents logged before protocols were named)."""
        if protocol is None:
            return NOT_RECORDED
        why = f": {reason}" if reason else ""
        if protocol == NO_PROTOCOL:
            return f"none followed{why}"
        found = self.protocols.get(protocol)
        # A protocol the file no longer has still reads as words, not as its code.
        title = found.title if found is not None else protocol.replace("_", " ").capitalize()
        return f"{title}{why}"

    def of_kind(self, kind: str) -> dict[str, Protocol]:
        """The emergency or the complication protocols, in file order."""
        return {name: p for name, p in self.protocols.items() if p.kind == kind}

    def aftercare_for(self, procedure: str) -> Aftercare:
        """The aftercare of one procedure, or PolicyError naming those there are."""
        try:
            return self.aftercare[procedure]  # type: ignore[index]
        except KeyError:
            known = ", ".join(self.aftercare) or "none"
            raise PolicyError(
                [f"no aftercare for procedure {procedure!r} (known: {known})"]
            ) from None


def default_protocols_path() -> Path:
    """protocols/protocols.yaml in READINESS_CHECKLISTS_DIR, else the repository's."""
    return checklists_dir() / PROTOCOLS_FOLDER / PROTOCOLS_FILE


def load_protocols(path: Path | None = None, overrides: Path | None = None) -> Protocols:
    """Load and validate the protocols, with the practice's overrides.yaml beside them if any."""
    path = path or default_protocols_path()
    if overrides is None and (path.parent / OVERRIDES_FILE).is_file():
        overrides = path.parent / OVERRIDES_FILE
    raw, data = _read(path)
    protocols = _validate(data, path)
    digest = hashlib.sha256(raw)
    if overrides is not None:
        extra_raw, extra = _read(overrides)
        protocols = _validate(merge_overrides(data, extra), overrides)
        digest.update(b"\0")
        digest.update(extra_raw)
    protocols._version = digest.hexdigest()
    return protocols


def _read(path: Path) -> tuple[bytes, dict[str, Any]]:
    """The file's bytes and mapping, or PolicyError naming the file."""
    try:
        raw, data = read_yaml(path)
    except YamlFileError as error:
        raise PolicyError([str(error)]) from None
    if not isinstance(data, dict):
        raise PolicyError([f"{shown_path(path)}: expected a mapping of protocols, aftercare"])
    return raw, data


def _validate(data: dict[str, Any], path: Path) -> Protocols:
    """Validated protocols, or PolicyError with one "file: key: problem" per error."""
    try:
        return Protocols.model_validate(data)
    except ValidationError as error:
        raise PolicyError(
            [
                f"{shown_path(path)}: {_key(detail['loc'])}: {detail['msg']}"
                for detail in error.errors()
            ]
        ) from None


def _key(loc: tuple[int | str, ...]) -> str:
    """A pydantic location as protocols[anaphylaxis].steps.source."""
    text = ""
    for position, part in enumerate(loc):
        if isinstance(part, int) or (position == 1 and loc[0] in {"protocols", "aftercare"}):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text
