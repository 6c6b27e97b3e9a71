"""The batch path plays the same games as the explaining engine: outcome, length and the whole
final state, on hundreds of seeds, with and without variants and personas, on both scenarios."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from wargame.analysis.batch import BatchGames
from wargame.engine.events import Decision
from wargame.game import BotSeat, Game, NationView, play
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
    ("pacific-pact", (), {}, range(150)),  # a live crisis, delayed and voted responses, costly signals
]


class Watched(BotSeat):
    """The bot, noting what it decides (every event is explained, as in `wargame play`)."""

    def __init__(self, bot: Bot) -> None:
        super().__init__(bot)
        self.chosen: dict[tuple[int, str], str] = {}

    def decide(self, view: NationView) -> Decision:
        decision = super().decide(view)
        assert decision.note  # the explaining bot
        self.chosen[(view.turn, view.nation)] = decision.option
        return decision


def explained(scenario: Scenario, bot: Bot, seed: int) -> tuple[object, ...]:
    """A game through the shared session loop (wargame.game.play), with every event explained."""
    seat = Watched(bot)
    state = play(Game(scenario, seed), {n.id: seat for n in scenario.nations})
    decisions = tuple(tuple(seat.chosen[(turn, n.id)] for n in scenario.nations) for turn in range(1, state.turn + 1))
    return (state.outcome, state.turn, state.values, state.rng, state.postures, state.roles, state.used_once,
            state.active_pledges, state.fired_pledges, state.fired_injects, decisions)


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
