"""A record cut at every byte offset: `replay`, `replay --verify` and `resume --auto` on each.

A record is written a whole turn at a time, but a crash, a full disk or a careless copy can cut
it anywhere. For every cut, `replay --json` and `replay --verify` must end with a documented
status (0, or 1 for a damaged or cut log) and never 70; and `resume --auto` must finish every
cut that holds the whole header line, leaving a finished record that verifies (or say, exit 2,
that the game there was already over and nothing was left to play).

The commands run in this process through the CLI (typer's CliRunner), each as a person would
type it; the game is played once with a fixed seed.

    python3 tools/fuzz_truncate.py                 # quick: every 97th offset of a minimal game
    python3 tools/fuzz_truncate.py --full          # every offset of a game of each scenario given
    python3 tools/fuzz_truncate.py --full --scenario scenarios/strait-channel.toml
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from typer.testing import CliRunner  # noqa: E402

from wargame.cli.app import app  # noqa: E402

MINIMAL = ROOT / "tests" / "fixtures" / "minimal.toml"
DOCUMENTED = {"replay": {0, 1}, "verify": {0, 1}}


def run(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stderr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="every byte offset (default: every 97th)")
    parser.add_argument("--every", type=int, help="test every Nth offset")
    parser.add_argument("--scenario", type=Path, action="append", help="scenario file(s) to play (default: minimal)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    every = args.every or (1 if args.full else 97)
    runner = CliRunner()
    statuses: Counter[str] = Counter()
    faults: list[str] = []
    cuts = resumed = 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for scenario in args.scenario or [MINIMAL]:
            whole = folder / "whole.jsonl"
            whole.unlink(missing_ok=True)
            code, err = run(runner, "play", str(scenario), "--auto", "--seed", str(args.seed), "--log", str(whole))
            assert code == 0, err
            data = whole.read_bytes()
            header_end = data.index(b"\n") + 1
            for cut in range(0, len(data) + 1, every):
                cuts += 1
                path = folder / "cut.jsonl"
                path.write_bytes(data[:cut])
                for name, command in (("replay", ("replay", str(path), "--json", "--scenario", str(scenario))),
                                      ("verify", ("replay", str(path), "--verify", "--scenario", str(scenario)))):
                    code, err = run(runner, *command)
                    statuses[f"{name} {code}"] += 1
                    if code not in DOCUMENTED[name]:
                        faults.append(f"{scenario.name} cut at {cut}: {name} exit {code}: {err.strip()[:300]}")
                if cut < header_end:
                    continue
                code, err = run(runner, "resume", str(path), "--auto", "--scenario", str(scenario))
                statuses[f"resume {code}"] += 1
                over = code == 2 and "the game is over" in err
                if code != 0 and not over:
                    faults.append(f"{scenario.name} cut at {cut}: resume exit {code}: {err.strip()[:300]}")
                    continue
                resumed += 1
                code, err = run(runner, "replay", str(path), "--verify", "--scenario", str(scenario))
                if code != 0:
                    faults.append(f"{scenario.name} cut at {cut}: the resumed game does not verify: "
                                  f"{err.strip()[:300]}")
    result = {"cuts": cuts, "every": every, "statuses": dict(sorted(statuses.items())),
              "resumed_and_verified": resumed, "faults": len(faults), "seconds": round(time.monotonic() - started, 1)}
    print(json.dumps(result) if args.json else ", ".join(f"{k}: {v}" for k, v in result.items()))
    for line in faults[:20]:
        print(line, file=sys.stderr)
    return 1 if faults else 0


if __name__ == "__main__":
    raise SystemExit(main())
