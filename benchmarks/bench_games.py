"""Bot-played flagship games per second on one core (target >= 500), plus the outcome mix.

    python benchmarks/bench_games.py [GAMES] [SCENARIO]
"""

from __future__ import annotations

import collections
import sys
import time
from pathlib import Path

from wargame.engine.turn import begin_turn, new_game, resolve
from wargame.players.bot import Bot
from wargame.scenario.loader import load

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    games = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    path = sys.argv[2] if len(sys.argv) > 2 else str(ROOT / "scenarios" / "defining-roles.toml")
    scenario = load(path)
    bot = Bot(scenario)
    outcomes: collections.Counter[str] = collections.Counter()
    turns = 0
    start, cpu = time.perf_counter(), time.process_time()
    for seed in range(games):
        state = new_game(scenario, seed)
        while not state.ended:
            state, _ = begin_turn(scenario, state)
            state, _ = resolve(scenario, state, bot.decide_all(state))
        outcomes[state.outcome or "none"] += 1
        turns += state.turn
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{games} games, {turns} turns in {elapsed:.2f} s wall, {cpu:.2f} s CPU: "
          f"{games / elapsed:.0f} games/s wall, {games / cpu:.0f} games/s CPU "
          f"({turns / cpu:.0f} turns/s) on one core (target >= 500 games/s)")
    for outcome, count in outcomes.most_common():
        print(f"  {outcome}: {count}")


if __name__ == "__main__":
    main()
