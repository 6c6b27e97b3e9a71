"""Balance measurements over bot-played games: outcome shares with 95% intervals, delegation
objectives, options never chosen, injects never fired, tracks held at a limit, and strategy
comparisons (a nation's choice forced one way or the other).

The players: the default bot — as it plays in `wargame play --auto` and sweeps: costly signals
and orders, and no offers, since bots bargain with people only (wargame.players.deals) — and an
"explorer" that, with probability `explore`, takes a random open option instead (its draws
come from a stream of its own, so a game stays a function of its seed). Run as a script to
print the figures the balance test asserts:

    python tests/balance.py defining-roles 400
    python tests/balance.py pacific-pact 400
    python tests/balance.py defining-roles 1000 --compare   # forced-choice comparisons
    python tests/balance.py pacific-pact 1000 --compare --only=australia   # those whose label has it
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
    """A shipped scenario by its id, or any scenario file by its path (ending in .toml: e.g. an
    earlier version, `git show COMMIT:scenarios/pacific-pact.toml > before.toml`)."""
    if scenario_id.endswith(".toml"):
        return load(Path(scenario_id))
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
    games_with: Counter[str] = field(default_factory=Counter)  # games in which an option was chosen
    approvals: Counter[tuple[str, bool]] = field(default_factory=Counter)  # (option, passed) votes
    objectives: Counter[tuple[str, str]] = field(default_factory=Counter)  # (nation, objective) achieved

    def share(self, outcome: str) -> float:
        return self.outcomes[outcome] / self.games if self.games else 0.0

    def interval(self, outcome: str) -> tuple[float, float]:
        return wilson(self.outcomes[outcome], self.games)

    def achieved(self, nation: str, objective: str | None = None) -> float:
        """The share of games in which `nation` achieved all its objectives (or `objective`)."""
        if not self.games:
            return 0.0
        if objective is not None:
            return self.objectives[(nation, objective)] / self.games
        return self.verdicts.get(nation, Counter())["achieved"] / self.games

    def taken(self, option: str) -> float:
        """The share of games in which `option` was chosen at least once."""
        return self.games_with[option] / self.games if self.games else 0.0


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
         policies: Mapping[str, Policy] | None = None
         ) -> tuple[State, list[State], list[str], list[str], list[tuple[str, bool]]]:
    """One game: the final state, the state after each turn, the options chosen, the injects
    fired and the votes taken ((option, passed) for each approval)."""
    state = initial_state(scenario, seed)
    history: list[State] = []
    chosen: list[str] = []
    fired: list[str] = []
    votes: list[tuple[str, bool]] = []
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
        state, events = adjudicate(scenario, state, decisions)
        votes += [(str(e.data["option"]), bool(e.data["passed"])) for e in events if e.kind == "approval"]
        history.append(state)
    return state, history, chosen, fired, votes


def sweep(scenario: Scenario, games: int, *, explore: float = 0.0, first_seed: int = 0,
          policies: Mapping[str, Policy] | None = None) -> Tally:
    bot = Bot(scenario, explain=False)
    tally = Tally()
    limits = [(t, t.lo, t.hi) for t in scenario.tracks if t.nation is None]
    for seed in range(first_seed, first_seed + games):
        final, history, chosen, fired, votes = play(scenario, seed, bot, explore=explore, policies=policies)
        tally.games += 1
        tally.lengths[final.turn] += 1
        for track in scenario.tracks:
            tally.finals[track.name] += final.values[track.slot]
        tally.outcomes[final.outcome or "none"] += 1
        tally.chosen.update(chosen)
        tally.games_with.update(set(chosen))
        tally.approvals.update(votes)
        tally.fired.update(set(fired))
        if scenario.live is not None and final.values[scenario.live.slot]:
            tally.live += 1
        results = assess(scenario, history)
        hits = [r.nation for r in results if r.verdict.value == "achieved"]
        for r in results:
            tally.verdicts.setdefault(r.nation, Counter())[r.verdict.value] += 1
            tally.objectives.update((r.nation, o.objective.id) for o in r.objectives
                                    if o.verdict.value == "achieved")
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
    """Never take `option_ids`: the bot's choice, or, if it is one of them, the bot's choice among
    the other open options (by the same rule and seeded stream: its next best)."""
    banned = set(option_ids)
    bots: dict[int, Bot] = {}

    def policy(state: State, open_now: list[OptionInfo]) -> str | None:
        if not open_now or not banned & {o.id for o in open_now}:
            return None
        nation = open_now[0].nation
        scenario = policy.scenario  # type: ignore[attr-defined]
        bot = bots.setdefault(id(scenario), Bot(scenario, explain=False))
        if bot.choose(state, nation).option not in banned:
            return None
        rest = [o for o in open_now if o.id not in banned]
        picked = bot.pick(nation, rest, state.values, derive(state.seed, state.turn, scenario.nation_index[nation]))
        return picked[0].id if picked else scenario.nation(nation).default
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
    lo, hi = wilson(beijing_wins(scenario, tally), tally.games)
    out.append(f"  {'(Beijing wins)':28} {beijing_wins(scenario, tally) / tally.games:6.1%}  [{lo:.1%}, {hi:.1%}]")
    for option in sorted({o for o, _ in tally.approvals}):
        k, n = tally.approvals[(option, True)], tally.approvals[(option, True)] + tally.approvals[(option, False)]
        lo, hi = wilson(tally.games_with[option], tally.games)
        out.append(f"  {option} put to the vote in {tally.taken(option):.1%} [{lo:.1%}, {hi:.1%}] of games;"
                   f" {k} of {n} votes passed")
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


# A comparison: the policies of arm a, those of arm b, and the explorer's share of choices
Comparison = tuple[dict[str, Policy], dict[str, Policy], float]


def comparisons(scenario: Scenario) -> dict[str, Comparison]:
    """The forced-choice comparisons the balance test makes for `scenario` (name -> the two arms'
    policies and the explorer's share), shared with the script's `--compare` report. explore 0:
    every seat not forced is the default bot; 0.25: a quarter of the other choices are random."""
    if scenario.id == "defining-roles":
        return {
            "australia commits at once vs never": (
                {"australia": prefer("australia.commit_forces")},
                {"australia": never("australia.commit_forces")}, 0.25),
            "australia decides in real time (the bot) vs never commits": (
                {}, {"australia": never("australia.commit_forces")}, 0.0),
            "japan answers publicly vs privately": (
                {"japan": prefer("japan.colby_public_logistics")},
                {"japan": prefer("japan.colby_private_logistics")}, 0.0),
            "japan answers publicly vs privately, explorer on the other choices": (
                {"japan": prefer("japan.colby_public_logistics")},
                {"japan": prefer("japan.colby_private_logistics")}, 0.25),
            "japan answers as the bot does vs always privately": (
                {}, {"japan": never("japan.colby_public_logistics", "japan.colby_public_intelligence",
                                    "japan.colby_public_humanitarian")}, 0.0),
            "stockpiles vs none": (
                {"us": prefer("us.stockpiles")},
                {"us": never("us.stockpiles"),
                 "australia": never("australia.open_stockpiles", "australia.live_stockpiles")}, 0.25),
        }
    if scenario.id == "pacific-pact":
        defined = ("japan.contributions_private_intelligence", "australia.contributions_private_access",
                   "philippines.contributions_private_access", "south_korea.contributions_private_logistics")
        ask = prefer("us.request_roles")
        return {
            "contributions defined vs declined": (
                {"us": ask, **{o.split(".")[0]: prefer(o) for o in defined}},
                {"us": ask, **{o.split(".")[0]: prefer(f"{o.split('.')[0]}.contributions_decline")
                               for o in defined}}, 0.25),
            "australia commits at the shoal vs never": (
                {"australia": prefer("australia.commit_forces")},
                {"australia": never("australia.commit_forces")}, 0.25),
            "australia commits at the shoal at once vs never, the other seats the bots": (
                {"australia": prefer("australia.commit_forces")},
                {"australia": never("australia.commit_forces")}, 0.0),
            "australia decides at the shoal (the bot) vs never commits": (
                {}, {"australia": never("australia.commit_forces")}, 0.0),
            "japan answers publicly vs privately": (
                {"us": ask, "japan": prefer("japan.contributions_public_logistics")},
                {"us": ask, "japan": prefer("japan.contributions_private_logistics")}, 0.0),
            "munitions pre-positioned vs none": (
                {"australia": prefer("australia.munitions")},
                {"australia": never("australia.munitions")}, 0.25),
            "munitions pre-positioned vs none, the other seats the bots": (
                {"australia": prefer("australia.munitions")},
                {"australia": never("australia.munitions")}, 0.0),
        }
    return {}


# the outcomes in which Beijing wins, by scenario
BEIJING = {"defining-roles": ("coalition_fractures", "grey_zone_win", "quarantine_holds"),
           "pacific-pact": ("walkout", "beijing_stalls", "hub_and_spoke", "allies_alone")}


def beijing_wins(scenario: Scenario, tally: Tally) -> int:
    """How many of the tally's games ended in one of Beijing's wins."""
    return sum(tally.outcomes[o] for o in BEIJING.get(scenario.id, ()))


def compared(scenario: Scenario, name: str, a: Tally, b: Tally) -> list[str]:
    """One comparison in words: each outcome's shift (a minus b) with its 95% interval, Beijing's
    wins, the total variation and each objective achieved under a and under b."""
    out = [f"{name}: {a.games} games each, total variation {total_variation(a, b):.3f}"]
    rows = [(o.id, a.outcomes[o.id], b.outcomes[o.id]) for o in scenario.outcomes]
    rows.append(("(Beijing wins)", beijing_wins(scenario, a), beijing_wins(scenario, b)))
    for label, ka, kb in rows:
        d, lo, hi = diff_interval(ka, a.games, kb, b.games)
        mark = " *" if lo > 0 or hi < 0 else ""
        out.append(f"  {label:28} {ka / a.games:6.1%} vs {kb / b.games:6.1%}"
                   f"  {d * 100:+5.1f} pts [{lo * 100:+.1f}, {hi * 100:+.1f}]{mark}")
    out.append("  objectives achieved (all of a nation's): " + ", ".join(
        f"{n} {a.achieved(n):.0%}/{b.achieved(n):.0%}" for n in a.verdicts))
    out.append("  mean final values: " + ", ".join(
        f"{t.name} {a.finals[t.name] / a.games:.2f}/{b.finals[t.name] / b.games:.2f}" for t in scenario.tracks))
    out.append("  each objective achieved: " + ", ".join(
        f"{o.nation}.{o.id} {a.achieved(o.nation, o.id):.0%}/{b.achieved(o.nation, o.id):.0%}"
        for o in scenario.objectives))
    return out


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    name = args[0] if args else "defining-roles"
    count = int(args[1]) if len(args) > 1 else 200
    s = scenario_named(name)
    if "--compare" in sys.argv:  # the forced-choice comparisons (* marks an interval clear of zero)
        only = [a.split("=", 1)[1] for a in sys.argv if a.startswith("--only=")]  # a part of a label
        for label, (a, b, explore) in comparisons(s).items():
            if only and not any(o in label for o in only):
                continue
            print("\n".join(compared(s, label, *compare(s, count, a, b, explore))))
    else:
        for explore in (0.0, 0.25):
            print(f"-- explore {explore}")
            print("\n".join(report(s, sweep(s, count, explore=explore))))
