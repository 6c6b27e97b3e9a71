"""The batch path plays the same games as the explaining engine: outcome, length and the whole
final state, on hundreds of seeds, with and without variants and personas, on both scenarios."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from wargame.analysis.batch import BatchGames
from wargame.engine.turn import begin_turn, new_game, resolve
from wargame.players.bot import Bot
from wargame.scenario.loader import load
from wargame.scenario.scenario import Scenario
from wargame.scenario.variants import apply_variants

CASES = [
    ("defining-roles", (), {}, range(200)),
    ("defining-roles", ("stockpiles_in_place", "australia_preauthorised"), {"china": "hawk", "japan": "dove"},
     range(1000, 1100)),
    ("defining-roles", ("japan_base_access", "private_request"),
     {"us": "hedger", "australia": "hawk", "philippines": "hedger", "taiwan": "assertive"}, range(2000, 2100)),
    ("strait-channel", (), {}, range(100)),
]


def explained(scenario: Scenario, bot: Bot, seed: int) -> tuple[object, ...]:
    state = new_game(scenario, seed)
    decisions = []
    while not state.ended:
        state, _ = begin_turn(scenario, state)
        chosen = bot.decide_all(state)
        decisions.append(tuple(chosen[n.id].option for n in scenario.nations))
        state, _ = resolve(scenario, state, chosen)
    return (state.outcome, state.turn, state.values, state.rng, state.postures, state.roles, state.used_once,
            state.active_pledges, state.fired_pledges, state.fired_injects, tuple(decisions))


@pytest.mark.parametrize(("scenario_id", "variants", "personas", "seeds"), CASES)
def test_the_batch_path_plays_the_same_games(scenario_id: str, variants: tuple[str, ...],
                                            personas: dict[str, str], seeds: range) -> None:
    scenario = apply_variants(load(ROOT / "scenarios" / f"{scenario_id}.toml"), variants)
    bot = Bot(scenario, personas=personas)
    fast = BatchGames(scenario, personas)
    outcomes = set()
    for seed in seeds:
        p = fast.play(seed)
        got = (p.outcome, p.turns, p.values, p.rng, p.postures, p.roles, p.used_once, p.active_pledges,
               p.fired_pledges, p.fired_injects, p.decisions)
        assert got == explained(scenario, bot, seed), f"seed {seed} plays differently on the batch path"
        outcomes.add(p.outcome)
    assert len(outcomes) >= 3  # the games compared are not all alike
