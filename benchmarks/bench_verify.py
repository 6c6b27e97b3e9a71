"""`replay --verify` speed: events re-adjudicated per second over finished bot-played flagship
games (target >= 20,000 events/s), and turns per second.

    python benchmarks/bench_verify.py [GAMES]

Plays GAMES (default 200) bot games of the flagship into logs in a temporary folder, then times
what `wargame replay LOG --verify` does for each log: read_record, scenario_for (load the scenario
and check its sha256) and verify — in one process, where the loader compiles the scenario once and
reuses it for every log of the same bytes. The time of each part is shown, and what one log costs
when its process must compile the scenario from cold (process start-up is not counted).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from wargame.game import Game, bot_seats, play, seat_kinds
from wargame.record.log import LogWriter, RecordSink, header
from wargame.record.reader import read_record
from wargame.record.verify import scenario_for, verify
from wargame.scenario.loader import load

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "scenarios" / "defining-roles.toml"
TARGET = 20_000


def write_games(folder: Path, scenario_path: Path, games: int) -> list[Path]:
    scenario = load(scenario_path)
    seats = bot_seats(scenario)
    paths = []
    for seed in range(games):
        path = folder / f"game-{seed}.jsonl"
        writer = LogWriter.create(path, header(scenario, seed, seat_kinds(seats)))
        play(Game(scenario, seed, listeners=[RecordSink(writer)]), seats)
        writer.close()
        paths.append(path)
    return paths


def main() -> None:
    games = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as folder:
        snapshot = Path(folder) / FLAGSHIP.name  # the games and their checks see the same bytes
        snapshot.write_bytes(FLAGSHIP.read_bytes())
        paths = write_games(Path(folder), snapshot, games)
        size = sum(p.stat().st_size for p in paths)
        reading = loading = checking = 0.0
        turns = events = 0
        for path in paths:
            t0 = time.perf_counter()
            record = read_record(path)
            t1 = time.perf_counter()
            scenario = scenario_for(record, snapshot)
            t2 = time.perf_counter()
            checked_turns, checked_events, divergence = verify(scenario, record)
            t3 = time.perf_counter()
            if divergence is not None:
                raise SystemExit(f"{path}: not genuine: {divergence}")
            reading, loading, checking = reading + t1 - t0, loading + t2 - t1, checking + t3 - t2
            turns += checked_turns
            events += checked_events
    total = reading + loading + checking
    verdict = "meets" if events / total >= TARGET else "misses"
    print(f"{games} finished flagship games, {turns} turns, {events} events, {size / 1e6:.1f} MB of logs")
    print(f"replay --verify: {total:.2f} s: {events / total:,.0f} events/s, {turns / total:,.0f} turns/s "
          f"({verdict} the target of {TARGET:,} events/s)")
    print(f"  read_record   {reading:6.2f} s  {events / reading:>10,.0f} events/s")
    print(f"  scenario_for  {loading:6.2f} s  {loading / games * 1000:>10.1f} ms a log (load + sha256 check)")
    print(f"  verify        {checking:6.2f} s  {events / checking:>10,.0f} events/s")
    from wargame.scenario import loader

    loader._parse_once.cache_clear()
    start = time.perf_counter()
    load(FLAGSHIP)
    cold = time.perf_counter() - start
    per_log = events / games
    one = reading / games + cold + checking / games
    print(f"one log verified in a fresh process (cold scenario load {cold * 1000:.1f} ms): "
          f"{per_log / one:,.0f} events/s")


if __name__ == "__main__":
    main()
