"""SIGKILL during `wargame play --auto --log` at many random moments.

Each run starts a real `python -m wargame play SCENARIO --auto --seed S --log LOG` process and
kills it with SIGKILL at a random moment of its game: once the record's header is written, after
a delay drawn uniformly over the time the same game then takes uninterrupted (so the moments
fall while the game is played, not while Python starts). Every record left must read;
`resume --auto` must finish it (or say the game was already over); the finished game must
verify; and it must end as the uninterrupted game with the same seed ends (same last state
digest, same outcome).

The moments and seeds come from one random.Random(--seed), so a run can be repeated; timing
still varies with the machine's load, which is the point of killing at random.

    python3 tools/fuzz_sigkill.py              # quick: 3 kills (the test suite runs this)
    python3 tools/fuzz_sigkill.py --full       # 400 kills, for the figures in the notes
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wargame.errors import WargameError  # noqa: E402
from wargame.record.reader import read_record  # noqa: E402

SEED = 20261130
SCENARIO = ROOT / "scenarios" / "defining-roles.toml"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env["COLUMNS"] = "100"
    return env


def wargame(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wargame", *args], cwd=folder, env=_env(),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)


def _ending(path: Path) -> tuple[str, str]:
    """(the last turn's state digest, the outcome's text) of a finished record."""
    record = read_record(path)
    outcome = record.outcome()
    return record.turns[-1].digest, outcome.text if outcome else ""


@dataclass
class Result:
    kill: int
    cut_short: bool  # killed before the game ended
    fault: str = ""
    no_record: bool = False  # killed before its log had a whole header


def one(folder: Path, kill: int, seed: int, delay: float, ending: tuple[str, str]) -> Result:
    log = folder / f"killed-{kill}.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "wargame", "play", SCENARIO.stem, "--auto", "--seed", str(seed),
                             "--log", str(log)], cwd=folder, env=_env(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if log.exists() and b"\n" in log.read_bytes():
            break
        time.sleep(0.002)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    what = f"kill {kill} (seed {seed}, {delay * 1000:.0f} ms)"
    if not log.exists():
        return Result(kill, True, no_record=True)  # killed before the log was created: nothing to check
    try:
        record = read_record(log)
    except WargameError as err:
        if log.stat().st_size == 0 or b"\n" not in log.read_bytes():
            return Result(kill, True, no_record=True)  # killed while writing the header
        return Result(kill, True, f"{what}: the record does not read: {err}")
    cut_short = not record.finished
    resumed = wargame(folder, "resume", str(log), "--auto")
    if resumed.returncode != 0 and not (resumed.returncode == 2 and "the game is over" in resumed.stderr):
        return Result(kill, cut_short, f"{what}: resume exit {resumed.returncode}: {resumed.stderr.strip()[:300]}")
    verified = wargame(folder, "replay", str(log), "--verify")
    if verified.returncode != 0 or "genuine" not in verified.stdout:
        return Result(kill, cut_short, f"{what}: does not verify: {verified.stderr.strip()[:300]}")
    if _ending(log) != ending:
        return Result(kill, cut_short, f"{what}: ends otherwise than the uninterrupted game")
    return Result(kill, cut_short)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="400 kills (default: 3)")
    parser.add_argument("--kills", type=int)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    kills = args.kills or (400 if args.full else 3)
    rng = random.Random(args.seed)
    seeds = [rng.randrange(10**6) for _ in range(4 if kills > 8 else 1)]
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "scenarios").mkdir()
        shutil.copy(SCENARIO, folder / "scenarios" / SCENARIO.name)
        endings: dict[int, tuple[str, str]] = {}
        durations: dict[int, float] = {}
        for seed in seeds:  # the uninterrupted games: how they end, and how long they take here
            log = folder / f"whole-{seed}.jsonl"
            proc = subprocess.Popen([sys.executable, "-m", "wargame", "play", SCENARIO.stem, "--auto", "--seed",
                                     str(seed), "--log", str(log)], cwd=folder, env=_env(),
                                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            while proc.poll() is None and not (log.exists() and b"\n" in log.read_bytes()):
                time.sleep(0.002)
            t0 = time.monotonic()  # the header is written: the game is being played
            _, err = proc.communicate(timeout=300)
            durations[seed] = time.monotonic() - t0
            assert proc.returncode == 0, err
            endings[seed] = _ending(log)
        plan = []
        for kill in range(kills):
            seed = rng.choice(seeds)
            plan.append((kill, seed, rng.uniform(0, durations[seed] * 1.05)))
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            results = list(pool.map(lambda p: one(folder, p[0], p[1], p[2], endings[p[1]]), plan))
    faults = [r.fault for r in results if r.fault]
    records = [r for r in results if not r.no_record]
    result = {"kills": kills, "records_left": len(records),
              "records_cut_short": sum(r.cut_short for r in records),
              "read_resumed_verified_same_end": sum(not r.fault for r in records), "faults": len(faults),
              "seeds": seeds, "seconds": round(time.monotonic() - started, 1)}
    print(json.dumps(result) if args.json else ", ".join(f"{k}: {v}" for k, v in result.items()))
    for line in faults[:20]:
        print(line, file=sys.stderr)
    return 1 if faults else 0


if __name__ == "__main__":
    raise SystemExit(main())
