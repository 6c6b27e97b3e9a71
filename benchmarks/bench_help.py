"""`wargame --help` wall time against the floor, a bare typer app with the same commands.

Target: the median of wargame within 1.2x of the bare app's median, measured in the same run,
alternating the two so machine noise hits both alike.

    python benchmarks/bench_help.py [RUNS]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LAUNCH = "import sys; sys.argv[0] = 'wargame'; from wargame.cli.app import main; main()"
WARGAME = [sys.executable, "-c", LAUNCH, "--help"]
BARE = [sys.executable, str(HERE / "bare_typer_app.py"), "--help"]


def once(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    once(WARGAME), once(BARE)  # warm the file cache
    ours, floor = [], []
    for _ in range(runs):
        ours.append(once(WARGAME))
        floor.append(once(BARE))
    a, b = statistics.median(ours), statistics.median(floor)
    print(f"wargame --help: median {a * 1000:.1f} ms over {runs} runs")
    print(f"bare typer app: median {b * 1000:.1f} ms")
    print(f"ratio {a / b:.2f} (target <= 1.20)")


if __name__ == "__main__":
    main()
