"""When the default bots choose an option: the figures docs/balance.md gives on the timing of a
choice (a force commitment, a public answer), from seeds 0..N-1 with every seat the default bot
(the games `tests/balance.py SCENARIO N` plays; a test checks they are the same).

    python scripts/when_chosen.py SCENARIO N OPTION [OPTION ...] --track TRACK [--at K]

For the games in which one of the OPTIONs was chosen: how many; the TRACK's value at each choice
(before it resolves); how many choices came before the live crisis and how many within it; how
many were put to a vote and passed. With --at K: how many games reached TRACK >= K before the
end, and in how many of those the option was chosen. Deterministic: a game is a function of its
seed.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.balance import scenario_named, wilson  # noqa: E402
from wargame.engine.negotiation import send  # noqa: E402
from wargame.engine.rules import adjudicate, begin_turn  # noqa: E402
from wargame.engine.state import initial_state  # noqa: E402
from wargame.players.bot import Bot  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario")
    parser.add_argument("games", type=int)
    parser.add_argument("options", nargs="+")
    parser.add_argument("--track", required=True)
    parser.add_argument("--at", type=int, default=None)
    args = parser.parse_args(argv)
    scenario = scenario_named(args.scenario)
    slot = scenario.names[args.track].index
    wanted = set(args.options)
    bot = Bot(scenario, explain=False)
    values: Counter[float] = Counter()
    phase: Counter[str] = Counter()
    votes: Counter[bool] = Counter()
    games = reached = reached_and_chosen = 0
    for seed in range(args.games):
        state = initial_state(scenario, seed)
        chosen = hit = False
        while not state.ended:
            state, _ = begin_turn(scenario, state)
            if args.at is not None and state.values[slot] >= args.at:
                hit = True
            for nation in scenario.nations:  # the negotiation phase: the bots' costly signals
                signal = bot.signal(state, nation.id)
                if signal is not None:
                    state, _ = send(scenario, state, signal)
            decisions = bot.decide_all(state)
            live = scenario.live is not None and bool(state.values[scenario.live.slot])
            for decision in decisions.values():
                if decision.option in wanted:
                    chosen = True
                    values[state.values[slot]] += 1
                    phase["within the live crisis" if live else "before the live crisis"] += 1
            state, events = adjudicate(scenario, state, decisions)
            votes.update(bool(e.data["passed"]) for e in events
                         if e.kind == "approval" and e.data["option"] in wanted)
            if args.at is not None and state.values[slot] >= args.at:
                hit = True
        games += chosen
        reached += hit
        reached_and_chosen += hit and chosen
    lo, hi = wilson(games, args.games)
    print(f"{args.scenario}: {args.games} games with the default bots; {' or '.join(args.options)}")
    print(f"  chosen in {games} games ({games / args.games:.1%} [{lo:.1%}, {hi:.1%}]),"
          f" {sum(values.values())} times")
    print(f"  {args.track} at the choice: " + ", ".join(f"{v:g}: {n}" for v, n in sorted(values.items())))
    print("  " + ", ".join(f"{k}: {n}" for k, n in sorted(phase.items())))
    if votes:
        print(f"  votes: {votes[True]} passed, {votes[False]} refused")
    if args.at is not None:
        share = reached_and_chosen / reached if reached else 0.0
        print(f"  games reaching {args.track} >= {args.at}: {reached};"
              f" chosen in {reached_and_chosen} of them ({share:.1%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
