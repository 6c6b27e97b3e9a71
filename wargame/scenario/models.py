"""Pydantic models of the TOML scenario format, version 1 (docs/scenario-format.md).

These check shape and types; names and expressions are checked in `compile.py`.
Unknown keys are errors everywhere, so a typo never passes silently.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from wargame import text as text_rule

FORMAT_VERSION = 1

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
OptionId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$", max_length=128)]
ScenarioId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$", max_length=64)]
# no control characters but newline and tab, no C1 codes or bidi overrides (wargame.text): scenario
# text is shown in terminals, and an escape sequence in a title could clear a screen or retitle a window
PRINTABLE = text_rule.PRINTABLE
Text = Annotated[str, StringConstraints(max_length=20_000, pattern=PRINTABLE)]
Short = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=PRINTABLE)]
Level = Annotated[int, Field(ge=-10_000, le=10_000)]  # tracks are small ranges a person can read
Expr = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Chance = float | Expr


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class Source(Strict):
    title: Short
    ref: Short | None = None
    used_for: Text | None = None


class Turns(Strict):
    count: Annotated[int, Field(ge=1, le=200)]
    label: Short = "Turn {n}"
    labels: list[Short] | None = None

    @model_validator(mode="after")
    def _labels_fit(self) -> Turns:
        if self.labels is not None and len(self.labels) != self.count:
            raise ValueError(f"labels has {len(self.labels)} entries but count is {self.count}")
        return self


class Category(Strict):
    name: Short
    combat: bool = False
    force: bool = False
    role_effects: list[Expr] = []


class Threshold(Strict):
    at: Level
    name: Short


class Track(Strict):
    id: Id
    name: Short
    min: Level = 0
    max: Level = 10
    start: Level = 0
    ladder: bool = False
    higher_is: Literal["better", "worse"] = "better"
    thresholds: list[Threshold] = []


class Flag(Strict):
    id: Id
    name: Short
    start: bool = False


class Nation(Strict):
    id: Id
    name: Short
    colour: Short = "white"
    playable: bool = True
    public_brief: Text = ""
    private_brief: Text = ""
    roles: list[Id]
    non_combat: bool = False
    pledge_in_advance: bool = True
    posture: Short = "Watchful"
    default: OptionId
    start: dict[str, Level] = {}
    interests: dict[str, float] = {}


class Approval(Strict):
    body: Short
    chance: Chance
    on_denied: list[Expr] = []


class Option(Strict):
    id: OptionId
    nation: Id
    name: Short
    text: Text = ""
    category: Id
    available: Expr | None = None
    once: bool = False
    posture: Short | None = None
    reason: Short | None = None
    effects: list[Expr] = []
    chance: Chance = 1.0
    on_success: list[Expr] = []
    on_failure: list[Expr] = []
    pledge: Id | None = None
    opens: Id | None = None
    approval: Approval | None = None


class Expected(Strict):
    """A response an inject is expected to draw from a nation (for the after-action report)."""

    nation: Id
    options: Annotated[list[OptionId], Field(min_length=1)]
    note: Text = ""


class Inject(Strict):
    id: Id
    title: Short
    text: Text = ""
    turn: Annotated[int, Field(ge=1)] | None = None
    when: Expr | None = None
    repeat: bool = False
    chance: Chance = 1.0
    effects: list[Expr] = []
    expected: list[Expected] = []

    @model_validator(mode="after")
    def _one_trigger(self) -> Inject:
        if (self.turn is None) == (self.when is None):
            raise ValueError("give exactly one of 'turn' (scheduled) and 'when' (triggered)")
        if self.repeat and self.turn is not None:
            raise ValueError("'repeat' is for triggered injects ('when'), not scheduled ones")
        return self


class Pledge(Strict):
    id: Id
    nation: Id
    name: Short
    text: Text = ""
    trigger: Expr
    effects: list[Expr] = []


class Answer(Strict):
    name: Short
    effects: list[Expr] = []


class Answers(Strict):
    public: Answer
    private: Answer
    defer: Answer
    decline: Answer


class Request(Strict):
    id: Id
    name: Short
    text: Text = ""
    from_: Id = Field(alias="from")
    to: list[Id]
    categories: list[Id]
    answers: Answers


class Outcome(Strict):
    id: Id
    title: Short
    text: Text = ""
    when: Expr
    at_end: bool = False


class Variant(Strict):
    """An assumption the scenario can be played under (docs/scenario-format.md, "Variants"):
    what it changes, applied to the scenario as written before the game starts."""

    id: Id
    title: Short
    description: Text = ""
    source: Short | None = None  # which of the scenario's sources the assumption comes from
    tracks: dict[str, Level] = {}  # start values: "logistics" = 5, "japan.support" = 4
    flags: dict[Id, bool] = {}  # start values of flags
    roles: dict[Id, list[Id]] = {}  # role categories a nation may take as well
    open: list[OptionId] = []  # options open from the start: their `available` is dropped
    remove: list[Annotated[str, StringConstraints(min_length=1, max_length=128)]] = []  # option or inject ids
    chances: dict[str, Chance] = {}  # option id (with a dot) or inject id -> its chance
    approvals: dict[OptionId, Chance] = {}  # option id -> the chance its approval passes
    options: list[Option] = []  # options that exist only under this variant
    injects: list[Inject] = []  # injects that exist only under this variant


class Persona(Strict):
    """A way a bot may play a nation: its interests reweighted, its appetite for risk, and how
    freely it strays from its best option (docs/scenario-format.md, "Personas")."""

    id: Id
    nation: Id
    title: Short
    description: Text = ""
    interests: dict[str, float] = {}  # track -> weight, over the nation's own weights
    risk: Annotated[float, Field(ge=-1.0, le=1.0)] = 0.0
    temperature: Annotated[float, Field(ge=0.0, le=10.0)] = 0.0


class ScenarioModel(Strict):
    format: int
    id: ScenarioId
    title: Short
    summary: Text
    marking: Short
    crisis_live: Expr = "false"
    sources: list[Source] = []
    turns: Turns
    categories: dict[Id, Category]
    tracks: list[Track]
    nation_tracks: list[Track] = []
    flags: list[Flag] = []
    nations: Annotated[list[Nation], Field(min_length=1)]
    options: list[Option]
    injects: list[Inject] = []
    pledges: list[Pledge] = []
    requests: list[Request] = []
    outcomes: Annotated[list[Outcome], Field(min_length=1)]
    variants: list[Variant] = []
    personas: list[Persona] = []

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: int) -> int:
        if value != FORMAT_VERSION:
            raise ValueError(f"format {value} is not supported; this wargame reads format {FORMAT_VERSION}")
        return value
