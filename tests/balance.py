"""Balance measurements over bot-played games: outcome shares with 95% intervals, delegation
objectives, options never chosen, injects never fired, tracks held at a limit, and strategy
comparisons (a nation's choice forced one way or the other).

The players: the default bot, and an "explorer" that, with probability `explore`, takes a random
open option instead (its draws come from a stream of its own, so a game stays a function of its
seed). Run as a script to print the figures the balance test asserts:

    python tests/balance.py defining-roles 400
    python tests/balance.py pacific-pact 400
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wargame.engine.events import Decision  # noqa: E402
from wargame.engine.negotiation import Message, send  # noqa: E402
from wargame.engine.objectives import assess  # noqa: E402
from wargame.engine.rng import derive, draw  # noqa: E402
from wargame.engine.rules import adjudicate, available, begin_turn  # noqa: E402
from wargame.engine.state import State, initial_state  # noqa: E402
from wargame.players.bot import Bot  # noqa: E402
from wargame.scenario.loader import load  # noqa: E402
from wargame.scenario.scenario import OptionInfo, Scenario  # noqa: E402

# a forced choice: given the state and the open options, the option id to take (None: the bot's)
Policy = Callable[[State, list[OptionInfo]], "str | None"]


def scenario_named(scenario_id: str) -> Scenario:
    return load(ROOT / "scenarios" / f"{scenario_id}.toml")


@dataclass
class Tally:
    games: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    verdicts: dict[str, Counter[str]] = field(default_factory=dict)  # nation -> verdict counts
    chosen: Counter[str] = field(default_factory=Counter)
    fired: Counter[str] = field(default_factory=Counter)
    pinned: Counter[str] = field(default_factory=Counter)  # track -> games at a limit most turns
    live: int = 0  # games in which the crisis went live
    joint: Counter[tuple[str, str]] = field(default_factory=Counter)  # both nations achieved
    finals: Counter[str] = field(default_factory=Counter)  # sum of each track's final value
    lengths: Counter[int] = field(default_factory=Counter)  # games by the turn they ended

    def share(self, outcome: str) -> float:
        return self.outcomes[outcome] / self.games if self.games else 0.0

    def interval(self, outcome: str) -> tuple[float, float]:
        return wilson(self.outcomes[outcome], self.games)

    def achieved(self, nation: str) -> float:
        return self.verdicts.get(nation, Counter())["achieved"] / self.games if self.games else 0.0


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of a share k/n."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def diff_interval(k1: int, n1: int, k2: int, n2: int, z: float = 1.96) -> tuple[float, float, float]:
    """The difference of two shares (k1/n1 - k2/n2) with a normal-approximation 95% interval."""
    p1, p2 = k1 / n1, k2 / n2
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    d = p1 - p2
    return d, d - z * se, d + z * se


def play(scenario: Scenario, seed: int, bot: Bot, *, explore: float = 0.0,
         policies: Mapping[str, Policy] | None = None) -> tuple[State, list[State], list[str], list[str]]:
    """One game: the final state, the state after each turn, the options chosen, the injects fired."""
    state = initial_state(scenario, seed)
    history: list[State] = []
    chosen: list[str] = []
    fired: list[str] = []
    while not state.ended:
        state, events = begin_turn(scenario, state)
        fired += [str(e.data["inject"]) for e in events if e.kind == "inject"]
        for nation in scenario.nations:  # the negotiation phase: the bots' costly signals
            signal = bot.signal(state, nation.id)
            if signal is None and explore:  # the explorer sends one of its open signals now and then
                stream, roll = draw(derive(state.seed, state.turn, 2000 + scenario.nation_index[nation.id]))
                open_now = [g for g in scenario.signals.values() if g.nation in (None, nation.id)
                            and not (g.once and g.id in state.signals_used)
                            and (g.available is None or g.available.evaluate(state.values))]
                if open_now and roll < explore / 2:
                    _, which = draw(stream)
                    pick = open_now[int(which * len(open_now))]
                    signal = Message(nation.id, "signal", pick.text, signal=pick.id)
            if signal is not None:
                state, _ = send(scenario, state, signal)
                chosen.append(f"signal:{signal.signal}")
        decisions: dict[str, Decision] = {}
        for nation in scenario.nations:
            open_now = available(scenario, state, nation.id)
            forced = policies.get(nation.id) if policies else None
            pick = forced(state, open_now) if forced else None
            if pick is None and explore:
                stream = derive(state.seed, state.turn, 1000 + scenario.nation_index[nation.id])
                stream, roll = draw(stream)
                if roll < explore:
                    _, which = draw(stream)
                    pick = open_now[int(which * len(open_now))].id
            decisions[nation.id] = (Decision(nation.id, pick, "script") if pick is not None
                                    else bot.choose(state, nation.id))
        chosen += [d.option for d in decisions.values()]
        state, _ = adjudicate(scenario, state, decisions)
        history.append(state)
    return state, history, chosen, fired


def sweep(scenario: Scenario, games: int, *, explore: float = 0.0, first_seed: int = 0,
          policies: Mapping[str, Policy] | None = None) -> Tally:
    bot = Bot(scenario, explain=False)
    tally = Tally()
    limits = [(t, t.lo, t.hi) for t in scenario.tracks if t.nation is None]
    for seed in range(first_seed, first_seed + games):
        final, history, chosen, fired = play(scenario, seed, bot, explore=explore, policies=policies)
        tally.games += 1
        tally.lengths[final.turn] += 1
        for track in scenario.tracks:
            tally.finals[track.name] += final.values[track.slot]
        tally.outcomes[final.outcome or "none"] += 1
        tally.chosen.update(chosen)
        tally.fired.update(set(fired))
        if scenario.live is not None and final.values[scenario.live.slot]:
            tally.live += 1
        results = assess(scenario, history)
        hits = [r.nation for r in results if r.verdict.value == "achieved"]
        for r in results:
            tally.verdicts.setdefault(r.nation, Counter())[r.verdict.value] += 1
        for a in hits:
            for b in hits:
                if a < b:
                    tally.joint[(a, b)] += 1
        for track, lo, hi in limits:
            at_limit = sum(1 for s in history if s.values[track.slot] in (lo, hi))
            if at_limit * 2 > len(history):
                tally.pinned[track.name] += 1
    return tally


def prefer(*option_ids: str) -> Policy:
    """Take the first of `option_ids` that is open; otherwise leave the choice to the bot."""
    def policy(state: State, open_now: list[OptionInfo]) -> str | None:
        ids = {o.id for o in open_now}
        return next((o for o in option_ids if o in ids), None)
    return policy


def never(*option_ids: str) -> Policy:
    """Never take `option_ids`: the bot's choice, or the nation's default if it is one of them."""
    banned = set(option_ids)
    bots: dict[int, Bot] = {}

    def policy(state: State, open_now: list[OptionInfo]) -> str | None:
        if not open_now or not banned & {o.id for o in open_now}:
            return None
        nation = open_now[0].nation
        scenario = policy.scenario  # type: ignore[attr-defined]
        bot = bots.setdefault(id(scenario), Bot(scenario, explain=False))
        pick = bot.choose(state, nation).option
        return scenario.nation(nation).default if pick in banned else None
    return policy


def compare(scenario: Scenario, games: int, a: Mapping[str, Policy], b: Mapping[str, Policy],
            explore: float = 0.25) -> tuple[Tally, Tally]:
    """The same seeds played under two sets of forced choices."""
    for policies in (a, b):
        for policy in policies.values():
            policy.scenario = scenario  # type: ignore[attr-defined]
    return sweep(scenario, games, explore=explore, policies=a), sweep(scenario, games, explore=explore, policies=b)


def shift(a: Tally, b: Tally, outcome: str) -> tuple[float, float, float]:
    """How much more often `outcome` happens under `a` than `b`, with a 95% interval."""
    return diff_interval(a.outcomes[outcome], a.games, b.outcomes[outcome], b.games)


def total_variation(a: Tally, b: Tally) -> float:
    """Half the summed absolute difference of the outcome shares: 0 = same distribution."""
    keys = set(a.outcomes) | set(b.outcomes)
    return sum(abs(a.share(k) - b.share(k)) for k in keys) / 2


def report(scenario: Scenario, tally: Tally) -> list[str]:
    out = [f"{scenario.id}: {tally.games} games, crisis went live in {tally.live}"]
    for outcome in scenario.outcomes:
        lo, hi = tally.interval(outcome.id)
        out.append(f"  {outcome.id:28} {tally.share(outcome.id):6.1%}  [{lo:.1%}, {hi:.1%}]")
    out.append("  objectives achieved / partly / not:")
    for nation, counts in tally.verdicts.items():
        out.append(f"    {nation:12} {counts['achieved']:4} {counts['partly']:4} {counts['not']:4}")
    never = [o for o in scenario.options if o not in tally.chosen]
    never += [f"signal:{g}" for g in scenario.signals if f"signal:{g}" not in tally.chosen]
    out.append(f"  options never chosen: {', '.join(never) or 'none'}")
    unfired = [i.id for i in scenario.injects if i.id not in tally.fired]
    out.append(f"  injects never fired: {', '.join(unfired) or 'none'}")
    means = ", ".join(f"{t.name} {tally.finals[t.name] / tally.games:.1f}" for t in scenario.tracks)
    out.append(f"  mean final values: {means}")
    pinned = {k: v for k, v in tally.pinned.items() if v}
    out.append(f"  games with a track at a limit most turns: {pinned or 'none'}")
    return out


if __name__ == "__main__":
    name = sys.argv[1] if len(sys.argv) > 1 else "defining-roles"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    s = scenario_named(name)
    for explore in (0.0, 0.25):
        print(f"-- explore {explore}")
        print("\n".join(report(s, sweep(s, count, explore=explore))))
