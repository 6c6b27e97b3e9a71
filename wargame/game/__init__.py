"""The game loop as a library: a Game, the seats that decide for its nations, the one session
loop, and what each nation may see. See docs/api.md.

    from wargame.game import Game, bot_seats, load_scenario, play

    scenario = load_scenario("defining-roles")      # a shipped id, or a path to a .toml file
    game = Game(scenario, seed=7)
    play(game, bot_seats(scenario))
    print(game.outcome, game.turn)
"""

from __future__ import annotations

from pathlib import Path

from wargame.engine.events import Decision, Event
from wargame.engine.negotiation import IllegalMessage, Message
from wargame.engine.rules import Choice, IllegalDecision
from wargame.engine.state import State
from wargame.game.game import CannotUndo, Game, Listener
from wargame.game.seats import BotSeat, DefaultSeat, ScriptSeat, Seat, bot_seats, seat_kinds
from wargame.game.session import Observer, TurnAbandoned, decide_turn, negotiate_turn, play, play_turn
from wargame.game.views import NationView, view_for
from wargame.scenario.scenario import Scenario


def load_scenario(name: str | Path, variants: tuple[str, ...] | list[str] = ()) -> Scenario:
    """A compiled scenario: a shipped scenario's id ("defining-roles"), a scenario id in the
    current folder's scenarios/, or a path to a .toml file, with `variants` (ids of its
    [[variants]]) applied in order. ScenarioNotFound if there is none, ScenarioError listing
    every problem if the file is not a valid scenario, UsageError for an unknown variant."""
    from wargame.scenario.catalog import find_scenario
    from wargame.scenario.loader import load
    from wargame.scenario.variants import apply_variants

    return apply_variants(load(find_scenario(str(name))), variants)


__all__ = ["BotSeat", "CannotUndo", "Choice", "Decision", "DefaultSeat", "Event", "Game", "IllegalDecision",
           "IllegalMessage", "Listener", "Message", "NationView", "Observer", "Scenario", "ScriptSeat", "Seat",
           "State", "TurnAbandoned", "bot_seats", "decide_turn", "load_scenario", "negotiate_turn", "play",
           "play_turn", "seat_kinds", "view_for"]
