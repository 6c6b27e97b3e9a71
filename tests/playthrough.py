"""Golden playthroughs: a bot-played game of a shipped scenario, one event a line.

The test compares a fresh game with the file line by line. When a change to the engine or a
scenario is meant to change play, regenerate the files and review the diff:

    python tests/playthrough.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wargame.game import Game, bot_seats, play  # noqa: E402
from wargame.scenario.loader import load  # noqa: E402

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = [("defining-roles", 7), ("defining-roles", 2027), ("strait-channel", 1), ("pacific-pact", 3)]


def playthrough(scenario_id: str, seed: int) -> list[str]:
    scenario = load(ROOT / "scenarios" / f"{scenario_id}.toml")
    game = Game(scenario, seed)
    play(game, bot_seats(scenario))
    lines = [f"# {scenario_id} seed {seed}, every seat played by the bot"]
    return lines + [json.dumps(e.to_dict(), sort_keys=True, ensure_ascii=False) for e in game.history]


def golden_path(scenario_id: str, seed: int) -> Path:
    return GOLDEN / f"{scenario_id}-seed{seed}.jsonl"


if __name__ == "__main__":
    GOLDEN.mkdir(exist_ok=True)
    for scenario_id, seed in CASES:
        path = golden_path(scenario_id, seed)
        path.write_text("\n".join(playthrough(scenario_id, seed)) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
