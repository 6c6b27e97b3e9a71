"""A compiled Scenario pickles (as its source bytes, compiled again), so worker processes can
play games of it: the same rules, the same games."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor

from tests.conftest import FLAGSHIP_PATH
from wargame.game import Game, Scenario, bot_seats, play
from wargame.scenario import loader


def _outcome(scenario: Scenario, seed: int) -> tuple[str | None, int, str]:
    game = Game(scenario, seed)
    play(game, bot_seats(scenario, explain=False))
    return game.outcome, game.turn, game.state.digest(scenario)


def test_a_scenario_round_trips_through_pickle_and_plays_the_same_games() -> None:
    scenario = loader.load(FLAGSHIP_PATH)
    blob = pickle.dumps(scenario)
    assert len(blob) < 2 * len(FLAGSHIP_PATH.read_bytes())  # the bytes, not the compiled objects
    loader._parse_once.cache_clear()  # compiled again from the bytes, as in a fresh process
    again = pickle.loads(blob)
    assert again is not scenario
    assert (again.id, again.sha256, again.path, again.slot_names) == (
        scenario.id, scenario.sha256, scenario.path, scenario.slot_names)
    for seed in (1, 2):
        assert _outcome(again, seed) == _outcome(scenario, seed)


def test_worker_processes_play_the_same_games() -> None:
    scenario = loader.load(FLAGSHIP_PATH)
    seeds = [3, 4, 5, 6]
    with ProcessPoolExecutor(max_workers=2) as pool:
        remote = list(pool.map(_outcome, [scenario] * len(seeds), seeds))
    assert remote == [_outcome(scenario, seed) for seed in seeds]
