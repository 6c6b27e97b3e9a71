"""The default computer player: it chooses what best serves its nation's declared interests.

The rule, so a facilitator can explain any bot move: for every option available now, add up
the expected change of each track the nation cares about (effects, weighted by the chance of
success and of approval, clamped to the track's range) times the nation's interest weight in
that track; take the highest score. A small seeded jitter, drawn from a stream of its own
(not the game's generator), breaks ties and varies play between seeds without ever
overriding a clear preference.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from wargame.engine.events import Decision
from wargame.engine.rng import derive, draw
from wargame.engine.state import State
from wargame.engine.turn import available
from wargame.scenario.expr import Effect
from wargame.scenario.scenario import NationInfo, OptionInfo, Scenario

JITTER = 0.6  # at most this much of one weighted track point is added at random


@dataclass(frozen=True)
class Scored:
    option: OptionInfo
    score: float
    why: str


def _delta(effect: Effect, values: Sequence[float]) -> float:
    slot = effect.slot
    old = values[slot.index]
    amount = round(effect.constant if effect.constant is not None else effect.value(values))
    raw = old + amount if effect.op == "+=" else old - amount if effect.op == "-=" else amount
    return min(max(raw, slot.lo), slot.hi) - old


def _gains(effects: Iterable[Effect], values: Sequence[float], weight: float,
           into: dict[int, float]) -> None:
    for effect in effects:
        if effect.slot.kind == "num":
            into[effect.slot.index] = into.get(effect.slot.index, 0.0) + weight * _delta(effect, values)


def expected_changes(option: OptionInfo, values: Sequence[float]) -> dict[int, float]:
    """Expected change of each track slot if the nation takes `option` now."""
    changes: dict[int, float] = {}
    go = 1.0
    if option.approval is not None:
        go = min(max(float(option.approval.chance.evaluate(values)), 0.0), 1.0)
        _gains(option.approval.on_denied, values, 1.0 - go, changes)
    _gains(option.effects, values, go, changes)
    p = min(max(float(option.chance.evaluate(values)), 0.0), 1.0)
    if p < 1.0:
        _gains(option.on_success, values, go * p, changes)
        _gains(option.on_failure, values, go * (1.0 - p), changes)
    return changes


def score(scenario: Scenario, nation: NationInfo, option: OptionInfo, values: Sequence[float]) -> Scored:
    changes = expected_changes(option, values)
    total = 0.0
    parts = []
    for slot, weight in nation.interests:
        change = changes.get(slot)
        if change:
            total += weight * change
            parts.append(f"{scenario.slot_names[slot]} {change:+.1f}x{weight:g}")
    return Scored(option, total, ", ".join(parts) or "no change to its interests")


def choose(scenario: Scenario, state: State, nation_id: str) -> Decision:
    """The bot's decision for one nation this turn."""
    nation = scenario.nation(nation_id)
    options = available(scenario, state, nation_id)
    stream = derive(state.seed, state.turn, scenario.nations.index(nation))
    best: Scored | None = None
    best_value = float("-inf")
    for option in options:
        scored = score(scenario, nation, option, state.values)
        stream, jitter = draw(stream)
        value = scored.score + JITTER * jitter
        if value > best_value:
            best, best_value = scored, value
    if best is None:  # cannot happen: the default option is always available
        return Decision(nation_id, nation.default, "bot")
    return Decision(nation_id, best.option.id, "bot", f"score {best.score:+.1f}: {best.why}")


def decide_all(scenario: Scenario, state: State, nations: Iterable[str] | None = None) -> Mapping[str, Decision]:
    ids = [n.id for n in scenario.nations] if nations is None else list(nations)
    return {n: choose(scenario, state, n) for n in ids}
