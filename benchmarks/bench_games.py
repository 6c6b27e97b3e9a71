"""Bot-played flagship games per second on one core (target >= 500), plus the outcome mix.

    python benchmarks/bench_games.py [GAMES] [SCENARIO]

Two runs: as `wargame play --auto` plays (each bot decision carries its reasoning, for the board
and the record) and as a batch run that keeps no record plays (no reasoning written). Wall-clock
rates on a shared machine swing by a third from run to run; for comparing two versions of the
code, count instructions instead: valgrind --tool=callgrind python benchmarks/bench_games.py 100.
"""

from __future__ import annotations

import collections
import sys
import time
from pathlib import Path

from wargame.game import Game, bot_seats, play
from wargame.scenario.loader import load
from wargame.scenario.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent


def run(scenario: Scenario, games: int, explain: bool) -> tuple[float, int, collections.Counter[str]]:
    seats = bot_seats(scenario, explain=explain)
    outcomes: collections.Counter[str] = collections.Counter()
    turns = 0
    start = time.process_time()
    for seed in range(games):
        game = Game(scenario, seed)
        state = play(game, seats)
        outcomes[state.outcome or "none"] += 1
        turns += state.turn
    return time.process_time() - start, turns, outcomes


def main() -> None:
    games = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    path = sys.argv[2] if len(sys.argv) > 2 else str(ROOT / "scenarios" / "defining-roles.toml")
    scenario = load(path)
    for explain, what in ((True, "as played (bots explain each decision)"), (False, "batch (no explanations)")):
        cpu, turns, outcomes = run(scenario, games, explain)
        print(f"{what}: {games} games, {turns} turns in {cpu:.2f} s CPU: {games / cpu:.0f} games/s, "
              f"{turns / cpu:.0f} turns/s on one core (target >= 500 games/s)")
    for outcome, count in outcomes.most_common():
        print(f"  {outcome}: {count}")


if __name__ == "__main__":
    main()
