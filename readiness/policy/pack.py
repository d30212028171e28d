"""Load and validate the policy pack (checklists/requirements.yaml) and a practice's overrides.

A bad file stops the load with a `PolicyError` naming the file, the key (by
requirement id, not list index) and the problem, e.g.
``checklists/requirements.yaml: requirements[cert.bls].warn_days: Input should be a valid list``.
"""

from __future__ import annotations

import copy
import hashlib
import os
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, TypeVar

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PositiveInt,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from readiness.config import REPO_ROOT
from readiness.errors import UserError
from readiness.rules import due as rules

POLICY_FILE = "requirements.yaml"
# At most this many problems go into the one-line message; all are kept on `.problems`.
MAX_PROBLEMS_SHOWN = 5

Category = Literal["equipment", "stock", "certification", "drill", "checklist", "document"]
SubjectType = Literal["site", "staff", "asset"]
SourceLabel = Literal["REG", "ACC", "STD", "MFR", "PRAC"]
Role = Literal[
    "medical_director", "physician", "np", "pa", "rn", "aesthetician", "front_desk", "other"
]
AssetKind = Literal[
    "laser", "aed", "oxygen", "emergency_kit", "eyewear", "fire_extinguisher", "suction", "other"
]
ServiceKind = Literal["calibration", "service", "inspection", "repair"]
Frequency = Literal["daily", "weekly", "monthly"]
# Conditions a site must meet for a requirement to apply (site columns, yes/no).
SiteCondition = Literal["treats_children"]
StaffFlag = Literal["is_lso"]
ExpiryField = Literal["pads_expire_on", "battery_expires_on"]
DrillTimer = Literal["time_to_aed_s", "time_to_epinephrine_s", "time_to_oxygen_s"]
# The `kind` of each requirement model below, in the order of the domain rules.
REQUIREMENT_KINDS = (
    "interval",
    "expiry",
    "stock",
    "certification",
    "designation",
    "drill",
    "document",
    "checklist",
)

RequirementId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")]
Name = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
StateCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class PolicyError(UserError):
    """A policy file that cannot be used; the message names the file, key and problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        shown = "; ".join(self.problems[:MAX_PROBLEMS_SHOWN])
        more = len(self.problems) - MAX_PROBLEMS_SHOWN
        super().__init__(shown + (f"; and {more} more problems" if more > 0 else ""))


class FieldProblem(ValueError):
    """A cross-field check's failure, reported at `field` rather than at the whole model."""

    def __init__(self, field: str, text: str) -> None:
        super().__init__(text)
        self.field = field


# --- models -------------------------------------------------------------------


class _Strict(BaseModel):
    # extra="forbid": a misspelt key is an error, not a silently ignored default.
    model_config = ConfigDict(extra="forbid", frozen=True)


def _one_or_many(value: object) -> object:
    """Accept a single mapping where a list of them is expected."""
    return [value] if isinstance(value, dict) else value


class Source(_Strict):
    """Where a figure comes from, so an inspector can check it."""

    label: SourceLabel
    text: Text


Sources = Annotated[list[Source], BeforeValidator(_one_or_many), Field(min_length=1)]


class Interval(_Strict):
    """A repeat interval in calendar months or in days (exactly one)."""

    months: PositiveInt | None = None
    days: PositiveInt | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Interval:
        if (self.months is None) == (self.days is None):
            raise ValueError("give exactly one of months or days")
        return self

    def next_due(self, last_done_on: date) -> date:
        """Due date after something done on `last_done_on`."""
        return rules.next_due(last_done_on, months=self.months, days=self.days)

    @property
    def label(self) -> str:
        """The interval in words, e.g. "12 months"."""
        count, unit = (self.months, "month") if self.months is not None else (self.days, "day")
        return f"{count} {unit}{'' if count == 1 else 's'}"


class _RequirementBase(_Strict):
    id: RequirementId
    title: Text
    description: str = ""
    category: Category
    subject: SubjectType
    asset_kinds: list[AssetKind] = []
    warn_days: list[PositiveInt] = []
    scenarios: list[Name] = []
    applies_if: SiteCondition | None = None
    source: Sources

    # How the compliance engine reads the requirement's date: due or expiring.
    due_kind: ClassVar[rules.DueKind] = "recurring"

    @field_validator("warn_days")
    @classmethod
    def _widest_tier_first(cls, tiers: list[int]) -> list[int]:
        return sorted(set(tiers), reverse=True)

    @model_validator(mode="after")
    def _asset_kinds_match_subject(self) -> _RequirementBase:
        if self.subject == "asset" and not self.asset_kinds:
            raise FieldProblem("asset_kinds", "list the asset kinds when subject is asset")
        if self.subject != "asset" and self.asset_kinds:
            raise FieldProblem("asset_kinds", f"only for subject asset, not {self.subject}")
        return self

    @property
    def warning_window(self) -> int:
        """Days before the due date at which the requirement turns due_soon."""
        return rules.warning_window(self.warn_days)


class _StaffSelection(_Strict):
    """Which staff a certificate is required of: by role, by a staff flag, or both."""

    roles: list[Role] = []
    staff_flag: StaffFlag | None = None

    @model_validator(mode="after")
    def _someone_selected(self) -> _StaffSelection:
        if not self.roles and self.staff_flag is None:
            raise FieldProblem("roles", "give the roles or a staff_flag the requirement applies to")
        return self


class _Expiring(_Strict):
    """A requirement met by something with an expiry date, read as its source prints it."""

    # True: still valid on the printed date (AHA cards, "valid through").  False:
    # expired on it (pads, batteries, epinephrine: replace before, not on, the date).
    valid_through_expiry_date: bool
    # Subclasses list this mixin before _RequirementBase so that this due_kind wins.
    due_kind: ClassVar[rules.DueKind] = "expiry"


class IntervalRequirement(_RequirementBase):
    """Done again every interval, from service events of an asset (e.g. laser service)."""

    kind: Literal["interval"]
    subject: Literal["asset"]
    interval: Interval
    event_kinds: list[ServiceKind] = Field(min_length=1)
    # Only a passing event restarts the interval; a failed service is not evidence.
    requires_pass: bool = True
    # Asset column whose value, when set, wins over `interval` (a maker asking for 6 months).
    asset_interval_field: Literal["service_interval_months"] | None = None


class ExpiryRequirement(_Expiring, _RequirementBase):
    """An expiry date carried by the asset itself (AED pads, battery)."""

    kind: Literal["expiry"]
    subject: Literal["asset"]
    expiry_field: ExpiryField


class StockRequirement(_Expiring, _RequirementBase):
    """A minimum quantity of in-date stock of an item per site."""

    kind: Literal["stock"]
    subject: Literal["site"]
    item: Name
    minimum: PositiveInt


class CertificationRequirement(_Expiring, _StaffSelection, _RequirementBase):
    """A current certificate of a type, required of each selected active staff member."""

    kind: Literal["certification"]
    subject: Literal["staff"]
    cert_type: Name


class DesignationRequirement(_Expiring, _StaffSelection, _RequirementBase):
    """A site needs at least `minimum` active, selected staff with a current certificate."""

    kind: Literal["designation"]
    subject: Literal["site"]
    cert_type: Name
    minimum: PositiveInt = 1


class DrillRequirement(_RequirementBase):
    """An emergency drill of one scenario per site, every interval."""

    kind: Literal["drill"]
    subject: Literal["site"]
    scenario: Name
    interval: Interval
    target_seconds: dict[DrillTimer, PositiveInt] = {}


class DocumentRequirement(_RequirementBase):
    """A site document reviewed every interval."""

    kind: Literal["document"]
    subject: Literal["site"]
    document_type: Name
    interval: Interval


class ChecklistRequirement(_RequirementBase):
    """Satisfied by runs of the checklist templates whose `satisfies` names this id."""

    kind: Literal["checklist"]
    subject: Literal["site", "asset"]
    frequency: Frequency
    # Lowest acceptable cylinder pressure; wins over a template item's own `min`.
    min_psi: PositiveInt | None = None


Requirement = Annotated[
    IntervalRequirement
    | ExpiryRequirement
    | StockRequirement
    | CertificationRequirement
    | DesignationRequirement
    | DrillRequirement
    | DocumentRequirement
    | ChecklistRequirement,
    Field(discriminator="kind"),
]
RequirementT = TypeVar("RequirementT", bound=_RequirementBase)


class CertificateType(_Strict):
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


class Scenario(_Strict):
    """An emergency a site must be ready for, and the requirements that block it."""

    title: Text
    description: str = ""
    requires: list[RequirementId] = Field(min_length=1)


class ReportingRule(_Strict):
    """A state's deadline for reporting an incident."""

    deadline_days: PositiveInt
    what: Text
    source: Sources


class RetrainingThreshold(_Strict):
    """So many incidents of one type at a site within a window call for retraining."""

    incidents: PositiveInt
    window_days: PositiveInt


class PolicySettings(_Strict):
    """Practice-wide figures that are not a requirement of their own."""

    retention_years: PositiveInt
    escalation_after_days: PositiveInt
    overdue_reminder_every_days: PositiveInt
    incident_retraining: RetrainingThreshold
    incident_reporting: dict[StateCode, ReportingRule] = {}


class Policy(_Strict):
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
    folder = os.environ.get("READINESS_CHECKLISTS_DIR", "")
    base = Path(folder) if folder else REPO_ROOT / "checklists"
    return base / POLICY_FILE


def load_policy(path: Path | None = None, overrides: Path | None = None) -> Policy:
    """Load, merge and validate the policy; raise PolicyError naming file, key and problem.

    With no `path`, the default file is used and so is READINESS_POLICY_OVERRIDES
    when `overrides` is not given; an explicit `path` never picks up the environment.
    """
    if path is None:
        path = default_policy_path()
        env_overrides = os.environ.get("READINESS_POLICY_OVERRIDES", "")
        if overrides is None and env_overrides:
            overrides = Path(env_overrides)
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
            [f"{_shown(path)}: {_problem(detail, kinds)}" for detail in error.errors()]
        ) from None
    problems = cross_reference_problems(policy)
    if problems:
        raise PolicyError([f"{_shown(path)}: {key}: {text}" for key, text in problems])
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


class _StrictLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key given twice in one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str | int | float | bool) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} is given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _read_yaml(path: Path) -> tuple[bytes, dict[str, Any]]:
    """The file's bytes and its YAML mapping, or PolicyError."""
    shown = _shown(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PolicyError([f"{shown}: no such file"]) from None
    except OSError as error:
        raise PolicyError([f"{shown}: cannot read: {error.strerror}"]) from None
    try:
        # _StrictLoader is a SafeLoader: no arbitrary Python objects.
        data = yaml.load(raw, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as error:
        raise PolicyError([f"{shown}: {_yaml_problem(error)}"]) from None
    except yaml.YAMLError as error:
        raise PolicyError([f"{shown}: invalid YAML: {error}"]) from None
    if not isinstance(data, dict):
        raise PolicyError([f"{shown}: expected a mapping of settings, scenarios, requirements"])
    return raw, data


def _yaml_problem(error: yaml.MarkedYAMLError) -> str:
    """A YAML error as "line L, column C: problem"."""
    mark = error.problem_mark or error.context_mark
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    return f"{where}invalid YAML: {error.problem or error.context}"


def _shown(path: Path) -> str:
    """The path as a user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


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
