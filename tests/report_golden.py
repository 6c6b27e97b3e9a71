"""The golden after-action report: `wargame report` of the bot-played flagship game with seed 7.

The test plays the game through the CLI into a temporary folder (the log is `game.jsonl`, named
relative to it, so the report does not depend on where the folder is) and compares the Markdown
report with the golden file line by line. The `Started:` line, the one line that differs
between two reports of the same game, is normalised. After an intended change to the report,
the engine, the bot or the flagship scenario, regenerate it and review the diff:

    python tests/report_golden.py
"""

from __future__ import annotations

import contextlib
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from typer.testing import CliRunner  # noqa: E402

from wargame.cli.app import app  # noqa: E402

GOLDEN_REPORT = Path(__file__).resolve().parent / "golden" / "report-defining-roles-seed7.md"
SCENARIO, SEED, LOG = "defining-roles", 7, "game.jsonl"
_STARTED = re.compile(r"^- \*\*Started:\*\* .*$", re.MULTILINE)


def normalise(report: str) -> str:
    """The report with its `Started:` time replaced by a fixed text."""
    return _STARTED.sub("- **Started:** (normalised)", report)


def play_golden_game(folder: Path) -> Path:
    """`wargame play defining-roles --auto --seed 7 --log game.jsonl`, run in `folder`."""
    with contextlib.chdir(folder):
        result = CliRunner().invoke(app, ["play", SCENARIO, "--auto", "--seed", str(SEED), "--log", LOG])
    assert result.exit_code == 0, result.output
    return folder / LOG


def golden_report(folder: Path) -> str:
    """Play the golden game in `folder` and return its Markdown report, normalised."""
    play_golden_game(folder)
    with contextlib.chdir(folder):
        result = CliRunner().invoke(app, ["report", LOG])
    assert result.exit_code == 0, result.output
    return normalise(result.stdout)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        GOLDEN_REPORT.write_text(golden_report(Path(folder)), encoding="utf-8")
    print(f"wrote {GOLDEN_REPORT.relative_to(ROOT)}")
