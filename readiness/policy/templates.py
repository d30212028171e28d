"""Checklist templates (checklists/*.yaml): load, validate, version, and check answers.

A template file is a mapping::

    id: opening-daily                 # lower-case words joined by "-"; unique across files
    title: Daily opening readiness check
    description: ...                  # optional, shown to staff
    source: ...                       # optional, where the checks come from (for inspectors)
    applies_to: site                  # site, or an asset kind (one run per asset): laser,
                                      #   aed, oxygen, emergency_kit, eyewear,
                                      #   fire_extinguisher, suction, other
    frequency: daily                  # daily | weekly | monthly | per_use
    due_by: "10:00"                   # site-local HH:MM; omitted = end of the due day; not per_use
    satisfies: [aed.daily_check]      # requirement ids of the policy that a run of it satisfies
    action_due_days: {critical: 0, major: 3, minor: 14}   # optional; these are the defaults
    items:
      - id: o2_psi                    # lower-case letters, digits and "_"; unique in the template
        text: Oxygen cylinder pressure
        type: number                  # pass_fail | number | count | seal | date | text |
                                      #   handout (the version of the aftercare handout
                                      #   given; only a current version is accepted)
        help: ...                     # optional hint for staff
        required: true                # default true
        unit: psi                     # number only
        min: 1000                     # number and count
        max: null                     # number only
        expires: true                 # date only: fails when the date is on or before the check day
        record_field: pads_expire_on  # date only, per-asset templates: the asset record's date
                                      #   this reading must match (a record_match requirement
                                      #   flags a disagreement)
        change_needs_note: true       # seal only (default true): a changed number needs a note
        satisfies: [oxygen.daily_pressure]  # which requirements a failure makes `failed`;
                                      #   omitted = all of the template's, [] = none
        on_fail: {severity: critical, action: "...", take_asset_out_of_service: oxygen}

An item without `on_fail` that fails opens a `major` corrective action whose action
is to correct what the item checks. Corrective actions are due `action_due_days`
after the check day (0 = the same day).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterator, Mapping
from datetime import date, time
from pathlib import Path
from typing import Annotated, Any, Final, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_serializer,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from readiness.config import checklists_dir
from readiness.policy.requirements import ExpiryField
from readiness.policy.yaml_file import YamlFileError, read_yaml, shown_path
from readiness.rules.slots import Frequency

RequirementId = Literal[
    "laser.daily_check",
    "aed.daily_check",
    "aed.monthly_inspection",
    "kit.seal_daily",
    "kit.monthly_inventory",
    "oxygen.daily_pressure",
    "eyewear.inspection",
    "extinguisher.monthly",
]
AssetKind = Literal[
    "laser", "aed", "oxygen", "emergency_kit", "eyewear", "fire_extinguisher", "suction", "other"
]
AppliesTo = Literal[
    "site",
    "laser",
    "aed",
    "oxygen",
    "emergency_kit",
    "eyewear",
    "fire_extinguisher",
    "suction",
    "other",
]
ItemType = Literal["pass_fail", "number", "count", "seal", "date", "text", "handout"]
Severity = Literal["critical", "major", "minor"]
AnswerValue = bool | int | float | str | date | None

CHECKLIST_REQUIREMENTS: Final[tuple[str, ...]] = get_args(RequirementId)
ASSET_KINDS: Final[tuple[str, ...]] = get_args(AssetKind)
ENV_DIRECTORY: Final = "READINESS_CHECKLISTS_DIR"
SKIPPED_FILES: Final = frozenset({"requirements.yaml", "requirements.yml"})
DEFAULT_SEVERITY: Final[Severity] = "major"
NOTE_SUFFIX: Final = ".note"

# Keys that only make sense for some item types; anything else is a mistake worth naming.
_TYPE_OPTIONS: Final[dict[str, frozenset[str]]] = {
    "pass_fail": frozenset(),
    "number": frozenset({"unit", "min", "max"}),
    "count": frozenset({"min"}),
    "seal": frozenset({"change_needs_note"}),
    "date": frozenset({"expires", "record_field"}),
    "text": frozenset(),
    "handout": frozenset(),
}
_OPTIONS: Final = frozenset().union(*_TYPE_OPTIONS.values())
_DUE_BY = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ItemId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
TemplateId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Bound = Annotated[float | None, Field(strict=True, allow_inf_nan=False)]
_MODEL = ConfigDict(extra="forbid", frozen=True)


class TemplateError(Exception):
    """A template file that cannot be used; the message names the file, the item and the problem."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(f"{source}: {problem}" for problem in problems))


# --- the template model ----------------------------------------------------------------


class OnFail(BaseModel):
    """What a failure of an item sets in motion."""

    model_config = _MODEL

    severity: Severity
    action: Text
    take_asset_out_of_service: AssetKind | None = None


class ActionDueDays(BaseModel):
    """Days after the check day by which a corrective action of each severity is due."""

    model_config = _MODEL

    critical: int = Field(default=0, ge=0, strict=True)
    major: int = Field(default=3, ge=0, strict=True)
    minor: int = Field(default=14, ge=0, strict=True)

    def days(self, severity: Severity) -> int:
        """Days allowed for a corrective action of this severity."""
        return int(getattr(self, severity))


class Item(BaseModel):
    """One question of a checklist."""

    model_config = _MODEL

    id: ItemId
    text: Text
    type: ItemType
    help: Text | None = None
    required: bool = Field(default=True, strict=True)
    unit: Text | None = None
    min: Bound = None
    max: Bound = None
    expires: bool | None = Field(default=None, strict=True)
    change_needs_note: bool | None = Field(default=None, strict=True)
    record_field: ExpiryField | None = None
    satisfies: tuple[RequirementId, ...] | None = None
    on_fail: OnFail | None = None

    @field_validator("satisfies", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        """Let a single requirement id stand for a one-element list."""
        return _as_list(value)

    @field_serializer("min", "max")
    def _whole_numbers_as_int(self, value: float | None) -> float | int | None:
        """Write 1000 rather than 1000.0, so snapshots read like the YAML."""
        return int(value) if value is not None and value.is_integer() else value

    @model_validator(mode="after")
    def _check_options(self) -> Item:
        """Options must fit the item type, bounds must be ordered, on_fail must be reachable."""
        for option in sorted(_OPTIONS - _TYPE_OPTIONS[self.type]):
            if getattr(self, option) is not None:
                raise _problem(f"{option!r} does not apply to {self.type} items")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise _problem(
                f"min {number_text(self.min)} is greater than max {number_text(self.max)}"
            )
        if self.type == "count" and self.min is not None and not countable(self.min):
            raise _problem("min of a count item must be a whole number of 0 or more")
        if self.on_fail is not None and not self.can_fail:
            raise _problem(f"on_fail is set but this {self.type} item can never fail")
        return self

    @property
    def can_fail(self) -> bool:
        """Whether some answer makes this item fail."""
        if self.type == "pass_fail":
            return True
        if self.type in ("number", "count"):
            return self.min is not None or self.max is not None
        return self.type == "date" and bool(self.expires)

    @property
    def failure(self) -> OnFail:
        """on_fail, or the documented default for items without one."""
        return self.on_fail or OnFail(severity=DEFAULT_SEVERITY, action=f"Correct: {self.text}")


class Template(BaseModel):
    """A checklist template as loaded from one YAML file."""

    model_config = _MODEL

    id: TemplateId
    title: Text
    description: Text | None = None
    source: Text | None = None
    applies_to: AppliesTo
    frequency: Frequency
    due_by: time | None = None
    satisfies: tuple[RequirementId, ...] = ()
    action_due_days: ActionDueDays = ActionDueDays()
    items: tuple[Item, ...]

    @field_validator("satisfies", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        """Let a single requirement id stand for a one-element list."""
        return _as_list(value)

    @field_validator("due_by", mode="before")
    @classmethod
    def _parse_due_by(cls, value: object) -> object:
        """Only "HH:MM" (24-hour) is accepted, so 10 or "10am" never guess a time."""
        if value is None or isinstance(value, time):
            return value
        match = _DUE_BY.fullmatch(value) if isinstance(value, str) else None
        if match is None:
            raise PydanticCustomError("due_by", 'must be a 24-hour time "HH:MM", e.g. "10:00"')
        return time(int(match[1]), int(match[2]))

    @field_serializer("due_by")
    def _due_by_text(self, value: time | None) -> str | None:
        """Serialise due_by as "HH:MM"."""
        return None if value is None else value.strftime("%H:%M")

    @model_validator(mode="after")
    def _check_template(self) -> Template:
        """Cross-field rules: unique ids and requirements, item satisfies within the template's."""
        if not self.items:
            raise _problem("items: a checklist needs at least one item")
        if self.frequency == "per_use" and self.due_by is not None:
            raise _problem("due_by: per_use checklists have no due time")
        _refuse_duplicates("satisfies", self.satisfies)
        seen: dict[str, int] = {}
        for position, item in enumerate(self.items):
            if item.id in seen:
                first, again = seen[item.id] + 1, position + 1
                raise _problem(f"items[{item.id}]: duplicate item id (items #{first} and #{again})")
            seen[item.id] = position
            if item.record_field is not None and not self.per_asset:
                raise _problem(
                    f"items[{item.id}].record_field: only a checklist of one asset can be"
                    " compared with its record (applies_to is site)"
                )
            _refuse_duplicates(f"items[{item.id}].satisfies", item.satisfies or ())
            for requirement in item.satisfies or ():
                if requirement not in self.satisfies:
                    raise _problem(
                        f"items[{item.id}].satisfies: {requirement!r} is not in the "
                        "template's satisfies"
                    )
        return self

    @property
    def per_asset(self) -> bool:
        """True when one run is owed per asset of kind applies_to rather than per site."""
        return self.applies_to != "site"

    @property
    def items_by_id(self) -> dict[str, Item]:
        """Items keyed by id."""
        return {item.id: item for item in self.items}

    def requirements_failed_by(self, item_id: str) -> tuple[str, ...]:
        """Requirement ids that a failure of this item makes `failed`."""
        own = self.items_by_id[item_id].satisfies
        return self.satisfies if own is None else own

    def snapshot(self) -> dict[str, Any]:
        """The canonical content, JSON-ready: stored with each run, read back by parse_template."""
        return self.model_dump(mode="json", exclude_none=True)

    @property
    def version(self) -> str:
        """SHA-256 of the canonical content: wording changes it, YAML layout does not."""
        # Not cached: a cached value would survive model_copy(update=...) and go stale.
        return version_of(self.snapshot())


def record_readers(templates: Mapping[str, Template]) -> dict[tuple[str, str], str]:
    """{(template id, item id): asset record field} for every item with `record_field`."""
    return {
        (template.id, item.id): item.record_field
        for template in templates.values()
        for item in template.items
        if item.record_field is not None
    }


def version_of(snapshot: Mapping[str, Any]) -> str:
    """SHA-256 hex of a template snapshot in canonical JSON."""
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _as_list(value: object) -> object:
    """Let a single requirement id stand for a one-element list."""
    return [value] if isinstance(value, str) else value


def _refuse_duplicates(field: str, values: tuple[str, ...]) -> None:
    """A requirement listed twice is a typo, not a stronger claim."""
    repeated = sorted({value for value in values if values.count(value) > 1})
    if repeated:
        raise _problem(f"{field}: {', '.join(repeated)} listed more than once")


def _problem(message: str) -> PydanticCustomError:
    """A validation error whose text is shown as is (no "Value error," prefix)."""
    return PydanticCustomError("template", message)


# --- loading ---------------------------------------------------------------------------


def default_directory() -> Path:
    """READINESS_CHECKLISTS_DIR, or the checklists/ folder next to the package."""
    return checklists_dir()


def load_templates(directory: Path | None = None) -> dict[str, Template]:
    """Every template in the directory, keyed by id; a bad file raises TemplateError."""
    folder = default_directory() if directory is None else Path(directory)
    if not folder.is_dir():
        raise TemplateError(_display(folder), ["no such directory"])
    templates: dict[str, Template] = {}
    origins: dict[str, str] = {}
    for path in _template_files(folder):
        data = _read_yaml(path)
        if not _looks_like_template(data):
            continue
        template = parse_template(data, _display(path))
        if template.id in templates:
            raise TemplateError(
                _display(path),
                [f"id: duplicate template id {template.id!r} (also in {origins[template.id]})"],
            )
        templates[template.id] = template
        origins[template.id] = _display(path)
    return templates


def load_template_file(path: Path) -> Template:
    """One template file."""
    return parse_template(_read_yaml(path), _display(path))


def parse_template(data: object, source: str = "<template>") -> Template:
    """Validate parsed YAML (or a stored snapshot) as a Template; errors name source and item."""
    try:
        return Template.model_validate(data)
    except ValidationError as error:
        raise TemplateError(source, [_describe(entry, data) for entry in error.errors()]) from None


def _template_files(folder: Path) -> Iterator[Path]:
    """YAML files of the folder in name order, minus the policy file."""
    paths = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    return (path for path in paths if path.name not in SKIPPED_FILES)


def _looks_like_template(data: object) -> bool:
    """Files without items are other policy data; a file with template keys but no items is not."""
    return isinstance(data, dict) and bool({"items", "frequency", "applies_to"} & data.keys())


def _read_yaml(path: Path) -> object:
    """Parse one YAML file, turning syntax errors into TemplateError with line and column."""
    try:
        return read_yaml(path)[1]
    except YamlFileError as error:
        raise TemplateError(error.shown, [error.problem]) from None


def _display(path: Path) -> str:
    """The path relative to the working directory when it is inside it."""
    return shown_path(path)


def _describe(entry: Mapping[str, Any], data: object) -> str:
    """One pydantic error as 'items[o2_psi].min: Input should be a valid number (got 'x')'."""
    where = _location(tuple(entry["loc"]), data)
    message = "unknown key" if entry["type"] == "extra_forbidden" else str(entry["msg"])
    value = entry.get("input")
    if isinstance(value, str | int | float | bool) and entry["type"] != "template":
        message += f" (got {value!r})"
    return f"{where}: {message}" if where else message


def _location(loc: tuple[int | str, ...], data: object) -> str:
    """Render a pydantic location with item ids: ('items', 2, 'min') -> 'items[o2_psi].min'."""
    text, node = "", data
    for key in loc:
        if isinstance(key, int):
            element = node[key] if isinstance(node, list) and key < len(node) else None
            label = element.get("id") if isinstance(element, dict) else None
            text += f"[{label}]" if isinstance(label, str) and label else f"[{key}]"
            node = element
        else:
            text += f".{key}" if text else key
            node = node.get(key) if isinstance(node, dict) else None
    return text


def countable(number: float) -> bool:
    """True for 0, 1, 2, ... (2.0 included: JSON writers may add the point)."""
    return math.isfinite(number) and number >= 0 and float(number).is_integer()


def number_text(number: float) -> str:
    """1000.0 as "1000", 2.5 as "2.5"."""
    return str(int(number)) if number.is_integer() else repr(number)
