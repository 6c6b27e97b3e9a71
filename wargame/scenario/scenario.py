"""The validated, compiled scenario the engine runs: immutable, every name resolved to a slot."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from wargame.scenario.conditions import Judge, Progress, Words, conjuncts, judge, parse, split
from wargame.scenario.expr import Compiled, Effect, Slot
from wargame.scenario.models import ScenarioModel

AnswerKind = Literal["public", "private", "defer", "decline"]

# request answer status, kept in a hidden slot per (request, nation)
PENDING, DEFERRED, PRIVATE, PUBLIC, DECLINED = 0, 1, 2, 3, 4


def rung(thresholds: tuple[tuple[int, str], ...], value: float) -> str | None:
    """The name of the highest threshold at or below `value` (thresholds increase)."""
    named = None
    for at, name in thresholds:
        if value >= at:
            named = name
    return named


@dataclass(frozen=True)
class TrackInfo:
    name: str  # the name in expressions: "escalation", "japan.support"
    title: str
    slot: int
    lo: int
    hi: int
    start: int
    ladder: bool
    higher_is: str
    thresholds: tuple[tuple[int, str], ...]
    nation: str | None = None

    def rung(self, value: float) -> str | None:
        """The name of the highest threshold at or below `value`."""
        return rung(self.thresholds, value)


@dataclass(frozen=True)
class Approval:
    body: str
    chance: Compiled
    on_denied: tuple[Effect, ...]


@dataclass(frozen=True)
class AnswerInfo:
    request: str
    kind: AnswerKind
    category: str | None
    status_slot: int
    open_slot: int


@dataclass(frozen=True)
class OptionInfo:
    id: str
    nation: str
    name: str
    text: str
    category: str
    category_name: str
    available: Compiled | None
    once: bool
    posture: str | None
    reason: str
    effects: tuple[Effect, ...]
    chance: Compiled
    on_success: tuple[Effect, ...]
    on_failure: tuple[Effect, ...]
    pledge: str | None
    opens: str | None
    approval: Approval | None
    real_time: bool  # a force commitment of a nation that may not pledge in advance
    answer: AnswerInfo | None = None
    response: str | None = None  # "delay" / "vote": what acting without a role defined in advance costs

    @property
    def public_name(self) -> str:
        """The name others may see: a private answer does not say which role it defines."""
        if self.answer is not None and self.answer.kind == "private":
            return self.name.split(":", 1)[0]
        return self.name


@dataclass(frozen=True)
class NationInfo:
    id: str
    name: str
    colour: str
    playable: bool
    public_brief: str
    private_brief: str
    roles: tuple[str, ...]
    non_combat: bool
    pledge_in_advance: bool
    posture: str
    default: str
    interests: tuple[tuple[int, float], ...]  # (slot, weight)


@dataclass(frozen=True)
class ExpectedResponse:
    """What a nation is expected to do after an inject: one of `options` (for the debrief)."""

    nation: str
    options: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class InjectInfo:
    id: str
    title: str
    text: str
    turn: int | None
    when: Compiled | None
    repeat: bool
    chance: Compiled
    effects: tuple[Effect, ...]
    expected: tuple[ExpectedResponse, ...] = ()


@dataclass(frozen=True)
class PledgeInfo:
    id: str
    nation: str
    name: str
    text: str
    trigger: Compiled
    effects: tuple[Effect, ...]


@dataclass(frozen=True)
class RequestInfo:
    id: str
    name: str
    text: str
    sender: str
    to: tuple[str, ...]
    categories: tuple[str, ...]
    open_slot: int
    defined_slot: int
    public_slot: int
    declined_slot: int
    status_slots: Mapping[str, int]  # nation -> hidden status slot


@dataclass(frozen=True)
class OutcomeInfo:
    id: str
    title: str
    text: str
    when: Compiled
    at_end: bool
    live: bool = False  # checked only during the live crisis (at_end: at its end)
    questions: tuple[str, ...] = ()  # for the debrief


@dataclass(frozen=True)
class LiveInfo:
    """The live crisis phase: begins at the end of the first turn `when` holds, lasts `turns`."""

    when: Compiled
    turns: int
    title: str
    text: str
    slot: int  # the `live` flag
    since_slot: int  # the turn at whose end it began (hidden)


@dataclass(frozen=True)
class SignalInfo:
    """A costly public signal: sent as a statement in the negotiation phase, with its effects."""

    id: str
    name: str
    text: str
    nation: str | None  # None: any delegation may send it
    available: Compiled | None
    once: bool
    effects: tuple[Effect, ...]


@dataclass(frozen=True)
class ObjectiveInfo:
    """A delegation's own goal: `achieved` / `partly` judged over the final state ("end"), every
    turn's closing state ("every_turn") or any of them ("any_turn"). The expressions may read
    `outcome.ID` besides the scenario's names (see wargame.engine.objectives)."""

    id: str
    nation: str
    name: str
    text: str
    achieved: Compiled
    partly: Compiled | None
    over: str


@dataclass(frozen=True)
class PersonaInfo:
    """How a bot plays one nation under a named persona (docs/scenario-format.md, "Personas").

    `interests` replaces the nation's (slot, weight) pairs; `risk` in -1..1 bends every chance
    the bot weighs (p becomes p + risk * p * (1 - p): a hawk counts on success, a dove on
    failure); `temperature`, in weighted track points, lets the bot stray from its best option
    (0: the default bot's rule)."""

    id: str
    nation: str
    title: str
    description: str
    interests: tuple[tuple[int, float], ...]
    risk: float
    temperature: float


@dataclass(frozen=True)
class Scenario:
    model: ScenarioModel
    path: str
    sha256: str
    names: Mapping[str, Slot]
    slot_names: tuple[str, ...]
    initial: tuple[float, ...]
    tracks: tuple[TrackInfo, ...]
    nations: tuple[NationInfo, ...]
    options: Mapping[str, OptionInfo]
    options_by_nation: Mapping[str, tuple[OptionInfo, ...]]
    injects: tuple[InjectInfo, ...]
    pledges: Mapping[str, PledgeInfo]
    requests: Mapping[str, RequestInfo]
    outcomes: tuple[OutcomeInfo, ...]
    crisis_live: Compiled
    turn_labels: tuple[str, ...]
    track_by_slot: Mapping[int, TrackInfo] = field(default_factory=dict)
    nation_index: Mapping[str, int] = field(default_factory=dict)
    live: LiveInfo | None = None
    objectives: tuple[ObjectiveInfo, ...] = ()
    messages: int = 3  # the negotiation phase's limit: messages a delegation may send a turn
    signals: Mapping[str, SignalInfo] = field(default_factory=dict)
    source: bytes = field(default=b"", repr=False, compare=False)  # the file's bytes, for pickling
    variants: tuple[str, ...] = ()  # the variants applied, in order (wargame.scenario.variants)
    personas: Mapping[str, Mapping[str, PersonaInfo]] = field(default_factory=dict)  # nation -> id -> persona

    def __reduce__(self) -> tuple[object, tuple[bytes, str, tuple[str, ...]]]:
        """Pickled as its source bytes, path and variants, compiled again on unpickling (compiled
        expressions are closures, which do not pickle): a worker process gets the same rules,
        and the loader's cache compiles each distinct file once per process."""
        if not self.source:
            raise TypeError(f"scenario {self.id!r} was built without its source bytes and cannot be pickled")
        return (_from_source, (self.source, self.path, self.variants))

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def title(self) -> str:
        return self.model.title

    @property
    def turns(self) -> int:
        return len(self.turn_labels)

    def nation(self, nation_id: str) -> NationInfo:
        return self.nations[self.nation_index[nation_id]]

    @cached_property
    def words(self) -> Words:
        """How conditions name things here: track titles (a nation's with its name), flag names,
        the ladder's rungs, turn labels, and the role requests' counters."""
        nations = {n.id: n.name for n in self.nations}
        titles = {t.name: (f"{t.title} ({nations.get(t.nation, t.nation)})" if t.nation else t.title)
                  for t in self.tracks}
        titles |= {f.id: f.name for f in self.model.flags}
        rungs = {(t.name, at): name for t in self.tracks for at, name in t.thresholds}
        counters = {}
        for r in self.requests.values():
            counters[f"{r.id}.open"] = f"{r.name} made"
            counters[f"{r.id}.defined"] = f"partners that defined a role ({r.name})"
            counters[f"{r.id}.public"] = f"partners that defined a role publicly ({r.name})"
            counters[f"{r.id}.declined"] = f"partners that declined ({r.name})"
        return Words(titles, rungs, self.turn_labels, counters, frozenset(f.id for f in self.model.flags))

    def explain(self, condition: Compiled) -> str:
        """A condition in the scenario's words: "Escalation at least 4 (Crisis)", "from Week 3",
        "Yokota analysis cell expanded", "not: Pacific Defense Pact talks under way"."""
        return "; ".join(self.words.say(node) for node in conjuncts(parse(condition.source)))

    def progress(self, condition: Compiled, values: Sequence[float]) -> Progress:
        """Each top-level `and` part of `condition`, in words, judged on `values` (a state's)."""
        parts = self._parts.get(condition.source)
        if parts is None:
            parts = self._parts[condition.source] = split(condition, self.names, self.words)
        return judge(parts, values)

    @cached_property
    def _parts(self) -> dict[str, tuple[Judge, ...]]:
        """Conditions already split into parts, by source (filled as they are asked for)."""
        return {}

    def turn_label(self, turn: int) -> str:
        """The label of turn `turn`; a live crisis may run past the last scheduled turn, and
        those turns are labelled with `[turns].label`."""
        if 1 <= turn <= len(self.turn_labels):
            return self.turn_labels[turn - 1]
        if turn > len(self.turn_labels) and self.model.turns.labels is None:
            return self.model.turns.label.replace("{n}", str(turn))
        return f"Turn {turn}"

    def objectives_of(self, nation_id: str) -> tuple[ObjectiveInfo, ...]:
        return tuple(o for o in self.objectives if o.nation == nation_id)

    @property
    def ladder(self) -> TrackInfo | None:
        return next((t for t in self.tracks if t.ladder), None)


def _from_source(source: bytes, path: str, variants: tuple[str, ...] = ()) -> Scenario:
    """The Scenario compiled from `source`, its variants applied (how a pickled Scenario comes back)."""
    from wargame.scenario.loader import compile_bytes
    from wargame.scenario.variants import apply_variants

    return apply_variants(compile_bytes(source, path), variants)
