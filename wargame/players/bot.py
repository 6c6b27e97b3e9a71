"""The default computer player: it chooses what best serves its nation's declared interests.

The rule, so a facilitator can explain any bot move: for every option available now, add up
the expected change of each track the nation cares about (effects, weighted by the chance of
success and of approval, clamped to the track's range) times the nation's interest weight in
that track; take the highest score. A small seeded jitter, drawn from a stream of its own
(not the game's generator), breaks ties and varies play between seeds without overriding a
clear preference.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from wargame.engine.events import Decision
from wargame.engine.rng import derive, draw
from wargame.engine.state import State
from wargame.engine.turn import available
from wargame.scenario.expr import Compiled, Effect
from wargame.scenario.scenario import OptionInfo, Scenario

JITTER = 0.6  # at most this much of one weighted track point is added at random

# (slot index, op, constant amount or None, evaluator, lo, hi, interest weight): only effects
# on tracks the nation cares about, flattened for the inner loop of every batch run
Weighted = tuple[tuple[int, str, float | None, Callable[[Sequence[float]], float], float, float, float], ...]


def _delta(effect: Effect, values: Sequence[float]) -> float:
    slot = effect.slot
    old = values[slot.index]
    amount = round(effect.constant if effect.constant is not None else effect.value(values))
    raw = old + amount if effect.op == "+=" else old - amount if effect.op == "-=" else amount
    return min(max(raw, slot.lo), slot.hi) - old


def _sum(weighted: Weighted, values: Sequence[float]) -> float:
    total = 0.0
    for index, op, constant, evaluate, lo, hi, weight in weighted:
        old = values[index]
        amount = round(constant if constant is not None else evaluate(values))
        raw = old + amount if op == "+=" else old - amount if op == "-=" else amount
        if raw > hi:
            raw = hi
        elif raw < lo:
            raw = lo
        total += weight * (raw - old)
    return total


def _probability(chance: Compiled | None, values: Sequence[float]) -> float:
    return 1.0 if chance is None else min(max(float(chance.evaluate(values)), 0.0), 1.0)


@dataclass(frozen=True)
class _Plan:
    """An option's effects, cut down at load time to those the nation's interests weigh."""

    approval: Compiled | None
    denied: Weighted
    effects: Weighted
    chance: Compiled
    success: Weighted
    failure: Weighted

    def score(self, values: Sequence[float]) -> float:
        go = _probability(self.approval, values)
        total = go * _sum(self.effects, values)
        if self.denied:
            total += (1.0 - go) * _sum(self.denied, values)
        if self.success or self.failure:
            p = _probability(self.chance, values)
            total += go * (p * _sum(self.success, values) + (1.0 - p) * _sum(self.failure, values))
        return total


class Bot:
    """Computer players for every nation of one scenario (plans are built once)."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.plans: dict[str, _Plan] = {}
        for nation in scenario.nations:
            weights = {slot: w for slot, w in nation.interests}
            for option in scenario.options_by_nation[nation.id]:
                self.plans[option.id] = _plan(option, weights)

    def choose(self, state: State, nation_id: str) -> Decision:
        """The bot's decision for one nation this turn."""
        s = self.scenario
        options = available(s, state, nation_id)
        stream = derive(state.seed, state.turn, s.nations.index(s.nation(nation_id)))
        values = state.values
        best: OptionInfo | None = None
        best_value = best_score = float("-inf")
        for option in options:
            score = self.plans[option.id].score(values)
            stream, jitter = draw(stream)
            if score + JITTER * jitter > best_value:
                best, best_value, best_score = option, score + JITTER * jitter, score
        if best is None:  # the default option is always available; this is a guard
            return Decision(nation_id, s.nation(nation_id).default, "bot")
        return Decision(nation_id, best.id, "bot", f"score {best_score:+.1f}: {self.explain(best, values)}")

    def explain(self, option: OptionInfo, values: Sequence[float]) -> str:
        """The interest-weighted changes behind a score, for the log and the board."""
        nation = self.scenario.nation(option.nation)
        changes = expected_changes(option, values)
        parts = [f"{self.scenario.slot_names[slot]} {changes[slot]:+.1f}x{weight:g}"
                 for slot, weight in nation.interests if changes.get(slot)]
        return ", ".join(parts) or "no change to its interests"

    def decide_all(self, state: State, nations: Iterable[str] | None = None) -> Mapping[str, Decision]:
        ids = [n.id for n in self.scenario.nations] if nations is None else list(nations)
        return {n: self.choose(state, n) for n in ids}


def _plan(option: OptionInfo, weights: Mapping[int, float]) -> _Plan:
    def cut(effects: Iterable[Effect]) -> Weighted:
        return tuple((e.slot.index, e.op, e.constant, e.value, e.slot.lo, e.slot.hi, weights[e.slot.index])
                     for e in effects if e.slot.kind == "num" and e.slot.index in weights)

    approval = option.approval
    return _Plan(
        approval=approval.chance if approval else None,
        denied=cut(approval.on_denied) if approval else (),
        effects=cut(option.effects),
        chance=option.chance,
        success=cut(option.on_success),
        failure=cut(option.on_failure),
    )


def expected_changes(option: OptionInfo, values: Sequence[float]) -> dict[int, float]:
    """Expected change of every track slot if the nation takes `option` now."""
    changes: dict[int, float] = {}

    def add(effects: Iterable[Effect], weight: float) -> None:
        for effect in effects:
            if effect.slot.kind == "num":
                changes[effect.slot.index] = changes.get(effect.slot.index, 0.0) + weight * _delta(effect, values)

    go = _probability(option.approval.chance if option.approval else None, values)
    if option.approval is not None:
        add(option.approval.on_denied, 1.0 - go)
    add(option.effects, go)
    p = _probability(option.chance, values)
    if p < 1.0:
        add(option.on_success, go * p)
        add(option.on_failure, go * (1.0 - p))
    return changes
