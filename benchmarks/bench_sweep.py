"""The sweep's batch path against today's batch loop, a 10,000-game sweep, and its memory.

    python benchmarks/bench_sweep.py            # ratio + a 10,000-game sweep on 2 jobs
    python benchmarks/bench_sweep.py --memory   # also 100,000 games, peak memory

1. Games per second per core (CPU time) of the batch path (wargame.analysis.batch) as a ratio
   against the loop `wargame play --auto` had before sweeps existed, begin_turn/resolve with
   `Bot(explain=False)`, measured in alternating rounds in the same run so the machine's load
   falls on both alike (target: >= 3.5x).
2. Wall-clock time of `wargame sweep defining-roles --games 10000 --jobs 2` without a results
   file, and with one (target: under 10 s on 2 cores when the machine is not otherwise busy).
3. With --memory: 100,000 games with a results file; the parent's peak traced allocations
   (tracemalloc) and the peak resident size of the parent and of its worker processes
   (ru_maxrss), to show memory stays flat (target: under 200 MB).
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's wargame, installed or not

from wargame.analysis.batch import BatchGames  # noqa: E402
from wargame.analysis.sweep import Sweep, run_sweep  # noqa: E402
from wargame.engine.rules import adjudicate, begin_turn  # noqa: E402
from wargame.engine.state import initial_state  # noqa: E402
from wargame.game import Game, bot_seats, play  # noqa: E402
from wargame.players.bot import Bot  # noqa: E402
from wargame.scenario.loader import load  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "scenarios" / "defining-roles.toml"


def today(games: int, start: int) -> float:
    """The engine's own loop with `Bot(explain=False)`, as `wargame play --auto` ran before sweeps
    (the stricter baseline: no Game, seats or views around it)."""
    scenario = load(FLAGSHIP)
    bot = Bot(scenario, explain=False)
    began = time.process_time()
    for seed in range(start, start + games):
        state = initial_state(scenario, seed)
        while not state.ended:
            state, _ = begin_turn(scenario, state)
            state, _ = adjudicate(scenario, state, bot.decide_all(state))
    return games / (time.process_time() - began)


def game_loop(games: int, start: int) -> float:
    """The shared session loop with bot seats that explain nothing (docs/api.md's notebook loop)."""
    scenario = load(FLAGSHIP)
    seats = bot_seats(scenario, explain=False)
    began = time.process_time()
    for seed in range(start, start + games):
        play(Game(scenario, seed), seats)
    return games / (time.process_time() - began)


def batch(games: int, start: int) -> float:
    fast = BatchGames(load(FLAGSHIP))  # a fresh one each round: its score memo starts empty
    began = time.process_time()
    for seed in range(start, start + games):
        fast.play(seed)
    return games / (time.process_time() - began)


def ratio(rounds: int = 5, games: int = 1000) -> None:
    old, loop, new = [], [], []
    for r in range(rounds):
        old.append(today(games, r * games))
        loop.append(game_loop(games, r * games))
        new.append(batch(games, r * games))
    ratios = [n / o for n, o in zip(new, old, strict=True)]
    print(f"games/s per core: engine loop with Bot(explain=False) {statistics.median(old):.0f}, "
          f"game loop with bot_seats(explain=False) {statistics.median(loop):.0f}, "
          f"batch path {statistics.median(new):.0f}")
    print(f"batch path / engine loop per round {', '.join(f'{x:.2f}' for x in ratios)}: median "
          f"{statistics.median(ratios):.2f}x (target >= 3.5x); / game loop "
          f"{statistics.median(new) / statistics.median(loop):.2f}x")


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def sweep(games: int, jobs: int, output: Path | None) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of this process and its workers)."""
    began, cpu = time.perf_counter(), _cpu()
    run_sweep(Sweep(str(FLAGSHIP), games=games, jobs=jobs, output=output))
    return time.perf_counter() - began, _cpu() - cpu


def memory(games: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tracemalloc.start()
        wall, _ = sweep(games, 2, Path(folder) / "rows.jsonl")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        size = os.path.getsize(Path(folder) / "rows.jsonl")
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{games:,} games on 2 jobs in {wall:.1f} s (traced, so slower), results file {size / 1e6:.0f} MB; "
          f"parent peak traced {peak / 1e6:.1f} MB, peak RSS parent {me:.0f} MB, largest worker {workers:.0f} MB "
          "(target < 200 MB)")


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    ratio()
    with tempfile.TemporaryDirectory() as folder:
        plain, plain_cpu = sweep(10_000, 2, None)
        kept, kept_cpu = sweep(10_000, 2, Path(folder) / "rows.jsonl")
    print(f"10,000-game flagship sweep on 2 jobs: {plain:.1f} s wall ({plain_cpu:.1f} s CPU in all), "
          f"{kept:.1f} s wall ({kept_cpu:.1f} s CPU) with a results file (target < 10 s wall; on a busy "
          "machine the CPU time over 2 is what an idle one would take)")
    if "--memory" in sys.argv:
        memory(100_000)


if __name__ == "__main__":
    main()
