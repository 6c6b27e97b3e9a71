"""A bot-played flagship game compared line by line with its golden playthrough."""

from __future__ import annotations

import pytest

from tests.playthrough import CASES, golden_path, playthrough


@pytest.mark.parametrize(("scenario_id", "seed"), CASES)
def test_playthrough_matches_golden(scenario_id: str, seed: int) -> None:
    expected = golden_path(scenario_id, seed).read_text(encoding="utf-8").splitlines()
    actual = playthrough(scenario_id, seed)
    for number, (want, got) in enumerate(zip(expected, actual, strict=False), start=1):
        assert got == want, (
            f"line {number} of {golden_path(scenario_id, seed).name} differs; if the change is "
            f"intended, run `python tests/playthrough.py` and review the diff\n"
            f"expected: {want}\nactual:   {got}"
        )
    assert len(actual) == len(expected), "the game is longer or shorter than the golden one"


def test_golden_game_reaches_an_outcome() -> None:
    lines = golden_path(*CASES[0]).read_text(encoding="utf-8").splitlines()
    assert '"kind": "game_end"' in lines[-1]
