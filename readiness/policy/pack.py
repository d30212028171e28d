"""Load and validate the policy pack (checklists/requirements.yaml) and a practice's overrides.

A bad file stops the load with a `PolicyError` naming the file, the key (by
requirement id, not list index) and the problem, e.g.
``checklists/requirements.yaml: requirements[cert.bls].warn_days: Input should be a valid list``.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import (
    Field,
    PositiveInt,
    PrivateAttr,
    ValidationError,
    field_validator,
)
from pydantic_core import ErrorDetails

from readiness.config import checklists_dir, policy_overrides
from readiness.errors import UserError
from readiness.policy.requirements import (
    REQUIREMENT_KINDS,
    CertificationRequirement,
    DesignationRequirement,
    DrillRequirement,
    FieldProblem,
    Name,
    Requirement,
    RequirementId,
    RequirementT,
    Sources,
    StateCode,
    StrictModel,
    Text,
)
from readiness.policy.yaml_file import YamlFileError, read_yaml, shown_path
from readiness.rules import due as rules

POLICY_FILE = "requirements.yaml"
# At most this many problems go into the one-line message; all are kept on `.problems`.
MAX_PROBLEMS_SHOWN = 5


class PolicyError(UserError):
    """A policy file that cannot be used; the message names the file, key and problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        shown = "; ".join(self.problems[:MAX_PROBLEMS_SHOWN])
        more = len(self.problems) - MAX_PROBLEMS_SHOWN
        super().__init__(shown + (f"; and {more} more problems" if more > 0 else ""))


class CertificateType(StrictModel):
    """How long a certificate of one type is valid."""

    title: Text
    # None: no validity period is known; the card's own expiry date must be imported.
    validity_months: PositiveInt | None
    end_of_month: bool = False
    source: Sources

    def expiry_for(self, issued_on: date) -> date | None:
        """Expiry derived from the issue date, for a certificate imported without one."""
        if self.validity_months is None:
            return None
        return rules.certificate_expiry(
            issued_on, self.validity_months, end_of_month=self.end_of_month
        )


class Scenario(StrictModel):
    """An emergency a site must be ready for, and the requirements that block it."""

    title: Text
    description: str = ""
    requires: list[RequirementId] = Field(min_length=1)


class ReportingRule(StrictModel):
    """A state's deadline for reporting an incident."""

    deadline_days: PositiveInt
    what: Text
    # The state counts any transfer of a patient to a hospital as reportable (Florida).
    transfer_is_reportable: bool = False
    source: Sources


class RetrainingThreshold(StrictModel):
    """So many incidents of one type at a site within a window call for retraining."""

    incidents: PositiveInt
    window_days: PositiveInt


class PolicySettings(StrictModel):
    """Practice-wide figures that are not a requirement of their own."""

    retention_years: PositiveInt
    escalation_after_days: PositiveInt
    overdue_reminder_every_days: PositiveInt
    incident_retraining: RetrainingThreshold
    incident_reporting: dict[StateCode, ReportingRule] = Field(default_factory=dict)
    # True: every signature (checklists, plan acknowledgements) takes the signer's PIN,
    # even when the signed-in person signs for themself. Signing for someone else always
    # takes that person's PIN.
    signature_pin_always: bool = False


class Policy(StrictModel):
    """The validated policy pack."""

    settings: PolicySettings
    certificate_types: dict[Name, CertificateType]
    scenarios: dict[Name, Scenario]
    requirements: dict[str, Requirement]

    _version: str = PrivateAttr(default="")
    _files: tuple[Path, ...] = PrivateAttr(default=())

    @field_validator("requirements", mode="before")
    @classmethod
    def _key_by_id(cls, entries: object) -> object:
        if not isinstance(entries, list):
            raise ValueError("should be a list of requirements, each with an id")
        return _entries_by_id(entries)

    @property
    def version(self) -> str:
        """SHA-256 of the policy file's bytes (then the overrides'), naming this policy."""
        return self._version

    @property
    def files(self) -> tuple[Path, ...]:
        """The policy file and, when used, the overrides file."""
        return self._files

    def requirement(self, requirement_id: str) -> Requirement:
        """The requirement with this id."""
        try:
            return self.requirements[requirement_id]
        except KeyError:
            raise KeyError(f"unknown requirement id {requirement_id!r}") from None

    def scenario(self, name: str) -> Scenario:
        """The scenario with this name."""
        try:
            return self.scenarios[name]
        except KeyError:
            raise KeyError(f"unknown scenario {name!r}") from None

    def certificate_validity(self, cert_type: str) -> CertificateType:
        """Validity rule of a certificate type (e.g. bls: 24 months, to the end of the month)."""
        try:
            return self.certificate_types[cert_type]
        except KeyError:
            raise KeyError(f"unknown certificate type {cert_type!r}") from None

    def of_kind(self, model: type[RequirementT]) -> list[RequirementT]:
        """The requirements of one kind, e.g. of_kind(CertificationRequirement)."""
        return [r for r in self.requirements.values() if isinstance(r, model)]

    def blocking(self, scenario: str) -> list[Requirement]:
        """The requirements whose status can block a scenario's readiness."""
        return [self.requirements[rid] for rid in self.scenario(scenario).requires]


def _entries_by_id(entries: list[Any]) -> dict[str, Any]:
    """Key requirement entries by id, refusing duplicates; entries without an id keep a #n."""
    keyed: dict[str, Any] = {}
    for number, entry in enumerate(entries, start=1):
        key = _entry_key(entry, number)
        if key in keyed:
            raise ValueError(f"duplicate requirement id {key!r}")
        keyed[key] = entry
    return keyed


def _entry_key(entry: object, number: int) -> str:
    """A requirement entry's id, or "#n" (counting from 1) when it has none."""
    rid = entry.get("id") if isinstance(entry, dict) else None
    return rid if isinstance(rid, str) else f"#{number}"


# --- loading ------------------------------------------------------------------


def default_policy_path() -> Path:
    """requirements.yaml in READINESS_CHECKLISTS_DIR, else in the repository's checklists/."""
    return checklists_dir() / POLICY_FILE


def load_policy(path: Path | None = None, overrides: Path | None = None) -> Policy:
    """Load, merge and validate the policy; raise PolicyError naming file, key and problem.

    With no `path`, the default file is used and so is READINESS_POLICY_OVERRIDES
    when `overrides` is not given; an explicit `path` never picks up the environment.
    """
    if path is None:
        path = default_policy_path()
        if overrides is None:
            overrides = policy_overrides()
    base_bytes, base = _read_yaml(path)
    policy = _validate(base, path)
    digest = hashlib.sha256(base_bytes)
    files = [path]
    if overrides is not None:
        extra_bytes, extra = _read_yaml(overrides)
        # Blame the overrides file: the base alone was valid.
        policy = _validate(merge_overrides(base, extra), overrides)
        digest.update(b"\0")
        digest.update(extra_bytes)
        files.append(overrides)
    policy._version = digest.hexdigest()
    policy._files = tuple(files)
    return policy


def _validate(data: dict[str, Any], path: Path) -> Policy:
    """Validate raw policy data, then its cross references."""
    try:
        policy = Policy.model_validate(data)
    except ValidationError as error:
        kinds = _raw_kinds(data.get("requirements"))
        raise PolicyError(
            [f"{shown_path(path)}: {_problem(detail, kinds)}" for detail in error.errors()]
        ) from None
    problems = cross_reference_problems(policy)
    if problems:
        raise PolicyError([f"{shown_path(path)}: {key}: {text}" for key, text in problems])
    return policy


def cross_reference_problems(policy: Policy) -> list[tuple[str, str]]:
    """(key, problem) for every id or name one part of the policy uses and another lacks."""
    problems: list[tuple[str, str]] = []
    for name, scenario in policy.scenarios.items():
        for rid in scenario.requires:
            requirement = policy.requirements.get(rid)
            if requirement is None:
                problems.append((f"scenarios[{name}].requires", f"unknown requirement id {rid!r}"))
            elif name not in requirement.scenarios:
                # Blocking a scenario implies supporting it; say so in both places.
                problems.append(
                    (
                        f"requirements[{rid}].scenarios",
                        f"should name {name!r}, whose requires lists it",
                    )
                )
    for rid, requirement in policy.requirements.items():
        key = f"requirements[{rid}]"
        problems.extend(
            (f"{key}.scenarios", f"unknown scenario {name!r}")
            for name in requirement.scenarios
            if name not in policy.scenarios
        )
        if (
            isinstance(requirement, DrillRequirement)
            and requirement.scenario not in policy.scenarios
        ):
            problems.append((f"{key}.scenario", f"unknown scenario {requirement.scenario!r}"))
        if (
            isinstance(requirement, CertificationRequirement | DesignationRequirement)
            and requirement.cert_type not in policy.certificate_types
        ):
            problems.append(
                (f"{key}.cert_type", f"unknown certificate type {requirement.cert_type!r}")
            )
    return problems


# --- overrides ----------------------------------------------------------------

# Replaced whole rather than merged key by key: months and days exclude each other.
_REPLACED_WHOLE = frozenset({"interval"})


def merge_overrides(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """Base policy data with overrides on top: mappings merge, requirements merge by id."""
    merged = copy.deepcopy(base)
    for key, value in overrides.items():
        if key == "requirements":
            merged[key] = _merge_requirements(merged.get(key), value)
        else:
            merged[key] = _merge_value(merged.get(key), value, key)
    return merged


def _merge_value(base: object, override: object, key: str) -> object:
    """Merge mappings key by key; anything else (lists, figures) is replaced."""
    if key in _REPLACED_WHOLE or not (isinstance(base, dict) and isinstance(override, dict)):
        return copy.deepcopy(override)
    merged = dict(base)
    for sub_key, value in override.items():
        merged[sub_key] = _merge_value(base.get(sub_key), value, sub_key)
    return merged


def _merge_requirements(base: object, override: object) -> object:
    """Overrides given as {id: fields} or as a list of entries with ids, merged by id."""
    if not isinstance(base, list):
        return override
    if isinstance(override, list):
        override = _entries_by_id(override)
    if not isinstance(override, dict):
        return override
    merged = list(base)
    positions = {entry.get("id"): n for n, entry in enumerate(merged) if isinstance(entry, dict)}
    for rid, fields in override.items():
        # A new id is a practice's own requirement and must be complete.
        entry = {"id": rid, **fields} if isinstance(fields, dict) else fields
        if rid in positions:
            merged[positions[rid]] = _merge_value(merged[positions[rid]], entry, rid)
        else:
            merged.append(entry)
    return merged


# --- reading and error text ---------------------------------------------------


def _read_yaml(path: Path) -> tuple[bytes, dict[str, Any]]:
    """The file's bytes and its YAML mapping, or PolicyError."""
    try:
        raw, data = read_yaml(path)
    except YamlFileError as error:
        raise PolicyError([str(error)]) from None
    if not isinstance(data, dict):
        raise PolicyError(
            [f"{shown_path(path)}: expected a mapping of settings, scenarios, requirements"]
        )
    return raw, data


def _raw_kinds(entries: object) -> dict[str, object]:
    """Requirement id -> its raw kind, to drop pydantic's union tag from error keys."""
    if not isinstance(entries, list):
        return {}
    return {
        _entry_key(entry, number): entry.get("kind")
        for number, entry in enumerate(entries, start=1)
        if isinstance(entry, dict)
    }


# Containers keyed by a user's name rather than a field: shown as requirements[cert.bls].
_KEYED = frozenset(
    {"requirements", "scenarios", "certificate_types", "incident_reporting", "target_seconds"}
)


def _problem(detail: ErrorDetails, kinds: Mapping[str, object]) -> str:
    """One pydantic error as "key.path: problem (got value)"."""
    loc = list(detail["loc"])
    if len(loc) >= 3 and loc[0] == "requirements" and loc[2] == kinds.get(str(loc[1])):
        del loc[2]
    message = detail["msg"]
    if detail["type"] == "value_error":
        error = detail.get("ctx", {}).get("error")
        message = str(error)
        if isinstance(error, FieldProblem):
            loc.append(error.field)
    elif detail["type"] in {"union_tag_invalid", "union_tag_not_found"}:
        loc.append("kind")
        tag = detail.get("ctx", {}).get("tag")
        message = f"unknown kind {tag!r}" if tag is not None else "Field required"
        message += f"; expected one of {', '.join(REQUIREMENT_KINDS)}"
    key = _key_path(loc)
    given = detail.get("input")
    if isinstance(given, str | int | float | bool) and detail["type"] != "missing":
        message += f" (got {given!r})"
    return f"{key}: {message}" if key else message


def _key_path(loc: Sequence[int | str]) -> str:
    """A pydantic location as requirements[cert.bls].warn_days."""
    text = ""
    previous: int | str | None = None
    for part in loc:
        if part == "[key]":
            text += " (name)"
        elif isinstance(part, int) or previous in _KEYED:
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
        previous = part
    return text
