"""Pydantic models of the TOML scenario format, version 1 (docs/scenario-format.md).

These check shape and types; names and expressions are checked in `build.py`.
Unknown keys are errors everywhere, so a typo never passes silently. Every field carries its
description: `wargame schema` and the key tables of docs/scenario-format.md are generated from
them (scenario/schema.py), so the editor's hover text, the docs and the loader cannot disagree.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from wargame import text as text_rule

FORMAT_VERSION = 1

ID = r"^[a-z][a-z0-9_]*$"
OPTION_ID = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$"
SCENARIO_ID = r"^[a-z][a-z0-9_-]*$"
Id = Annotated[str, StringConstraints(pattern=ID, max_length=64)]
OptionId = Annotated[str, StringConstraints(pattern=OPTION_ID, max_length=128)]
ScenarioId = Annotated[str, StringConstraints(pattern=SCENARIO_ID, max_length=64)]
# no control characters but newline and tab, no C1 codes or bidi overrides (wargame.text): scenario
# text is shown in terminals, and an escape sequence in a title could clear a screen or retitle a window
PRINTABLE = text_rule.PRINTABLE
Text = Annotated[str, StringConstraints(max_length=20_000, pattern=PRINTABLE)]
Short = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=PRINTABLE)]
Level = Annotated[int, Field(ge=-10_000, le=10_000)]  # tracks are small ranges a person can read
Expr = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Chance = float | Expr
# the sixteen standard terminal colours: every terminal shows them, and rich names them so
Colour = Literal["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
                 "bright_black", "bright_red", "bright_green", "bright_yellow", "bright_blue",
                 "bright_magenta", "bright_cyan", "bright_white"]


def D(description: str, default: Any = ..., **extra: Any) -> Any:  # noqa: N802
    """A Field with a description (and a default, when the key is optional)."""
    return Field(default, description=description, **extra)


class Strict(BaseModel):
    """Unknown keys are errors; values are never coerced (a "3" is not a 3)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class Source(Strict):
    """A source the scenario draws its facts from."""

    title: Short = D("the source's title")
    ref: Short | None = D("where to find it: a URL, a file in shared/seeds, a citation", None)
    used_for: Text | None = D("what the scenario takes from it", None)


class Turns(Strict):
    """How many turns the game has and what each stands for."""

    count: Annotated[int, Field(ge=1, le=200)] = D("the number of turns, 1..200")
    label: Short = D('what a turn stands for; `{n}` is the turn number: "Week {n}"', "Turn {n}")
    labels: list[Short] | None = D("one label per turn (exactly `count` of them); overrides `label`", None)

    @model_validator(mode="after")
    def _labels_fit(self) -> Turns:
        if self.labels is not None and len(self.labels) != self.count:
            raise ValueError(f"labels has {len(self.labels)} entries but count is {self.count}")
        return self


class Category(Strict):
    """A role category: the kind of contribution an option makes."""

    name: Short = D('the category\'s name: "Rear-area logistics"')
    combat: bool = D("a combat role; a nation with `non_combat = true` may never take it", False)
    force: bool = D("a commitment of forces: for a nation with `pledge_in_advance = false` such an option "
                    "is available only while `crisis_live` holds, and it must carry an `approval`", False)
    role_effects: list[Expr] = D("effects applied when a nation defines this role in answer to a request; "
                                 "`{nation}` stands for that nation's id", [])


class Threshold(Strict):
    """A named level of a track (a rung, on the escalation ladder)."""

    at: Level = D("the level, within the track's range; thresholds strictly increase")
    name: Short = D('the level\'s name: "Grey-zone pressure"')


class Track(Strict):
    """A number the game keeps and the board shows: global, or one per nation."""

    id: Id = D("the track's name in expressions: `escalation` (a nation track: `japan.support`)")
    name: Short = D("the track's name on the board")
    min: Level = D("the lowest value; every change is clamped into min..max", 0)
    max: Level = D("the highest value, above `min`", 10)
    start: Level = D("the starting value, within the range", 0)
    ladder: bool = D("this track is the escalation ladder (at most one); its thresholds are the rungs", False)
    higher_is: Literal["better", "worse"] = D("how the board colours it", "better")
    thresholds: list[Threshold] = D("named levels, `{ at = 2, name = \"Crisis\" }`, strictly increasing", [])


class Flag(Strict):
    """A global true/false fact: "Yokota analysis cell expanded"."""

    id: Id = D("the flag's name in expressions")
    name: Short = D("the flag's name on the board (shown while it is true)")
    start: bool = D("its starting value", False)


class Nation(Strict):
    """A nation a seat plays (a delegation, a bot or a script)."""

    id: Id = D("the nation's id: options are named `ID.NAME`, nation tracks `ID.TRACK`")
    name: Short = D("the nation's name on the board")
    colour: Colour = D("one of the sixteen terminal colour names, for the board", "white")
    playable: bool = D("may be played by a person (otherwise always a bot)", True)
    public_brief: Text = D("what every delegation knows of this nation", "")
    private_brief: Text = D("what only this nation's delegation knows", "")
    roles: list[Id] = D("the role categories it may take; every option of the nation must have one of them")
    non_combat: bool = D("the nation may not take combat roles (enforced: a `combat` category in `roles` "
                         "is an error)", False)
    pledge_in_advance: bool = D("false: no pledges for this nation; its `force` options only while the crisis "
                                "is live, with an approval", True)
    posture: Short = D("the starting posture shown on the board", "Watchful")
    default: OptionId = D("the hold option, taken when no choice is made; it must always be available")
    start: dict[str, Level] = D("this nation's starting values of nation tracks: `{ support = 6 }`", {})
    interests: dict[str, float] = D("what the nation values, for the bot: track name → weight, "
                                    "`{ deterrence = 1.0, \"japan.support\" = 1.5 }`", {})


class Approval(Strict):
    """A body that must approve an option before it goes ahead (a parliament)."""

    body: Short = D('who approves: "Parliament"')
    chance: Chance = D("chance of approval, 0..1: a number or an expression")
    on_denied: list[Expr] = D("effects applied when approval is refused (nothing else happens)", [])


class Option(Strict):
    """A national response a nation may choose in a turn."""

    id: OptionId = D("`NATION.NAME`: the nation's id, a dot and a name")
    nation: Id = D("the nation whose option this is")
    name: Short = D("the menu line")
    text: Text = D("what it means", "")
    category: Id = D("its role category; must be in the nation's `roles`")
    available: Expr | None = D("condition (an expression) under which it may be chosen; always, if absent", None)
    once: bool = D("may be taken at most once a game (an option whose approval is refused was not taken)", False)
    posture: Short | None = D("the posture the nation takes when it chooses this", None)
    reason: Short | None = D('how its effects explain themselves ("Japan deferred the role request"); '
                             "default `NATION: NAME`", None)
    effects: list[Expr] = D("effects applied when the option goes ahead", [])
    chance: Chance = D("chance of success, 0..1: a number or an expression", 1.0)
    on_success: list[Expr] = D("effects applied when the chance roll succeeds", [])
    on_failure: list[Expr] = D("effects applied when the chance roll fails", [])
    pledge: Id | None = D("the pledge this option makes (activates); unavailable once made", None)
    opens: Id | None = D("the request this option opens on success", None)
    approval: Approval | None = D("an approval needed before it goes ahead", None)
    response: Literal["delay", "vote"] | None = D(
        "a live-crisis response: what acting without a role defined in advance costs (a turn, or a vote)", None)


class Expected(Strict):
    """A response an inject is expected to draw from a nation (for the after-action report)."""

    nation: Id = D("the nation expected to respond")
    options: Annotated[list[OptionId], Field(min_length=1)] = D(
        "option ids of that nation, at least one (request answers such as `japan.colby_private_logistics` "
        "included)")
    note: Text = D("why, for the debrief", "")


class Inject(Strict):
    """An event from outside: exactly one of `turn` (scheduled) and `when` (triggered)."""

    id: Id = D("the inject's id")
    title: Short = D("its headline on the board")
    text: Text = D("what happened", "")
    turn: Annotated[int, Field(ge=1)] | None = D("the turn it fires at the start of (scheduled)", None)
    when: Expr | None = D("condition under which it fires at the start of a turn (triggered)", None)
    repeat: bool = D("a triggered inject may fire again (at most once a turn)", False)
    chance: Chance = D("chance it happens when due, 0..1: a number or an expression", 1.0)
    effects: list[Expr] = D("effects applied when it fires", [])
    expected: list[Expected] = D("responses it is expected to draw, for the after-action report", [])

    @model_validator(mode="after")
    def _one_trigger(self) -> Inject:
        if (self.turn is None) == (self.when is None):
            raise ValueError("give exactly one of 'turn' (scheduled) and 'when' (triggered)")
        if self.repeat and self.turn is not None:
            raise ValueError("'repeat' is for triggered injects ('when'), not scheduled ones")
        return self


class Pledge(Strict):
    """A commitment made in advance, which fires when its trigger holds."""

    id: Id = D("the pledge's id (an option's `pledge` makes it)")
    nation: Id = D("the nation pledging; must have `pledge_in_advance = true`")
    name: Short = D("its name on the board")
    text: Text = D("what it promises", "")
    trigger: Expr = D("the pledge fires (once) at the end of the first turn this holds once it is made")
    effects: list[Expr] = D("effects applied when it fires", [])


class Answer(Strict):
    """One kind of answer to a request."""

    name: Short = D("the answer's menu line")
    effects: list[Expr] = D("effects applied; `{nation}` stands for the answering nation's id", [])


class Answers(Strict):
    """The four answers every recipient of a request is offered."""

    public: Answer = D("define a role publicly (one option per category of the request it may take)")
    private: Answer = D("define a role privately")
    defer: Answer = D("answer later (the request stays open for this nation)")
    decline: Answer = D("decline to define a role")


class Request(Strict):
    """A request from one nation to others to define the role they would take."""

    id: Id = D("the request's id; expressions read `ID.open`, `ID.defined`, `ID.public`, `ID.declined`")
    name: Short = D("its name in explanations")
    text: Text = D("what is asked", "")
    from_: Id = Field(alias="from", description="the nation asking")
    to: list[Id] = D("the nations asked")
    categories: list[Id] = D("the role categories that may be defined in answer")
    answers: Answers = D("the four answers: public, private, defer, decline")


class Outcome(Strict):
    """An end of the game; outcomes are checked in order at the end of each turn."""

    id: Id = D("the outcome's id")
    title: Short = D("its headline")
    text: Text = D("what it means", "")
    when: Expr = D("condition under which it ends the game")
    at_end: bool = D("checked only after the last turn", False)
    live: bool = D("checked only during the live crisis", False)
    questions: list[Text] = D("discussion questions for the hot wash", [])


class LiveCrisis(Strict):
    """The live crisis: a short phase of play that begins when `when` first holds at the end of
    a turn, instead of the game simply ending (docs/scenario-format.md, "The live crisis")."""

    when: Expr = D("condition under which the crisis goes live, checked at the end of each turn")
    turns: Annotated[int, Field(ge=1, le=20)] = D("how many turns the live crisis lasts")
    title: Short = D("announced when it begins", "The crisis goes live")
    text: Text = D("what it means", "")


class Negotiation(Strict):
    """The negotiation phase before orders (docs/scenario-format.md, "Negotiation")."""

    messages: Annotated[int, Field(ge=0, le=20)] = D("messages a delegation may send a turn", 3)


class Signal(Strict):
    """A costly public signal a delegation may send in the negotiation phase: a statement with
    declared effects (docs/scenario-format.md, "Negotiation")."""

    id: Id = D("the signal's id")
    name: Short = D("what it is called")
    text: Text = D("what it says when sent", "")
    nation: Id | None = D("who may send it; any delegation, if absent", None)
    available: Expr | None = D("condition under which it may be sent; always, if absent", None)
    once: bool = D("may be sent at most once a game", False)
    effects: list[Expr] = D("effects, landing when the turn is adjudicated", [])


class Objective(Strict):
    """One of a delegation's own goals, judged at the end of the game."""

    id: Id = D("the objective's id, unique per nation")
    nation: Id = D("whose objective it is")
    name: Short = D("what the delegation reads")
    text: Text = D("what it means", "")
    achieved: Expr = D("condition under which it is achieved; may read `outcome.ID`")
    partly: Expr | None = D("condition under which it is partly achieved", None)
    over: Literal["end", "every_turn", "any_turn"] = D(
        "judged on the final state, every turn's closing state, or any of them", "end")


class Variant(Strict):
    """An assumption the scenario can be played under (docs/scenario-format.md, "Variants"):
    what it changes, applied to the scenario as written before the game starts."""

    id: Id = D("the id used by `--variant ID`")
    title: Short = D("the title shown in reports")
    description: Text = D("what the assumption is", "")
    source: Short | None = D("which of the scenario's `sources` it comes from (their `ref`s, `;`-separated)", None)
    tracks: dict[str, Level] = D('start values: `logistics = 5`, `"japan.support" = 4` (nation tracks quoted)', {})
    flags: dict[Id, bool] = D("start values of flags: `stockpiles_open = true`", {})
    roles: dict[Id, list[Id]] = D('role categories a nation may take as well: `japan = ["access"]` '
                                  "(its rules still hold)", {})
    open: list[OptionId] = D("options open from the start: their `available` is dropped", [])
    remove: list[Annotated[str, StringConstraints(min_length=1, max_length=128)]] = D(
        "options (answers to requests included) and injects that do not exist under the variant; not a "
        "nation's default, nor an expected response of an inject that stays", [])
    chances: dict[str, Chance] = D("option id or inject id → its chance (number or expression)", {})
    approvals: dict[OptionId, Chance] = D("option id → the chance its approval passes (number or expression)", {})
    options: list[Option] = D("options that exist only under the variant (the keys of `[[options]]`)", [])
    injects: list[Inject] = D("injects that exist only under the variant (the keys of `[[injects]]`)", [])
    turns: Turns | None = D("a different length of game (a seminar), replacing `[turns]`; injects scheduled "
                            "after its last turn must be re-timed with `schedule` or removed", None)
    schedule: dict[Id, Annotated[int, Field(ge=1)]] = D("scheduled inject id → its new turn", {})
    messages: Annotated[int, Field(ge=0, le=20)] | None = D("the negotiation phase's limit under the variant", None)
    live_turns: Annotated[int, Field(ge=1, le=20)] | None = D("the live crisis's length under the variant", None)


class Persona(Strict):
    """A way a bot may play a nation: its interests reweighted, its appetite for risk, and how
    freely it strays from its best option (docs/scenario-format.md, "Personas")."""

    id: Id = D("the id used by `--persona NATION=ID` (unique per nation)")
    nation: Id = D("the nation it plays")
    title: Short = D("its title")
    description: Text = D("what it is like", "")
    interests: dict[str, float] = D("track → weight, replacing the nation's weight for that track (0 drops it)", {})
    risk: Annotated[float, Field(ge=-1.0, le=1.0)] = D(
        "appetite for risk, -1..1: every chance the bot weighs is bent from p to p + risk·p·(1−p)", 0.0)
    temperature: Annotated[float, Field(ge=0.0, le=10.0)] = D(
        "0..10, in weighted track points: the bot draws its option with probability proportional to "
        "exp((score − best) / temperature); 0 keeps the default rule", 0.0)


class ScenarioModel(Strict):
    """A wargame scenario (TOML): nations, tracks, options, injects and outcomes."""

    model_config = ConfigDict(title="wargame scenario")

    format: int = D(f"the format version; this wargame reads {FORMAT_VERSION}",
                    json_schema_extra={"const": FORMAT_VERSION})
    id: ScenarioId = D("the scenario id used by `wargame play ID`: lowercase letters, digits, _ and -")
    title: Short = D("shown by `list`, `show` and the board")
    summary: Text = D("a paragraph shown by `show` and on the board")
    marking: Short = D('the exercise marking printed on every board: "EXERCISE — FICTIONAL"')
    crisis_live: Expr = D("condition under which the crisis counts as live; real-time commitments need it",
                          "false")
    sources: list[Source] = D("where the scenario's facts come from", [])
    turns: Turns = D("the number of turns and their labels")
    categories: dict[Id, Category] = D("role categories by id: `[categories.logistics]`")
    tracks: list[Track] = D("global tracks")
    nation_tracks: list[Track] = D("tracks every nation has its own copy of, `NATION.ID` in expressions", [])
    flags: list[Flag] = D("global true/false facts", [])
    nations: Annotated[list[Nation], Field(min_length=1)] = D("the nations, in the order their decisions resolve")
    options: list[Option] = D("the national responses")
    injects: list[Inject] = D("events from outside", [])
    pledges: list[Pledge] = D("commitments made in advance", [])
    requests: list[Request] = D("role requests", [])
    outcomes: Annotated[list[Outcome], Field(min_length=1)] = D(
        "the ends of the game, checked in order; end with a catch-all `at_end` outcome")
    variants: list[Variant] = D("assumptions the scenario can be played under (`--variant ID`)", [])
    personas: list[Persona] = D("ways a bot may play a nation (`--persona NATION=ID`)", [])
    live_crisis: LiveCrisis | None = D("the live crisis: a short phase instead of the game simply ending", None)
    objectives: list[Objective] = D("each delegation's own goals, judged at the end", [])
    negotiation: Negotiation = D("the negotiation phase before orders", Negotiation())
    signals: list[Signal] = D("costly public signals with declared effects", [])

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: int) -> int:
        if value != FORMAT_VERSION:
            raise ValueError(f"format {value} is not supported; this wargame reads format {FORMAT_VERSION}")
        return value
