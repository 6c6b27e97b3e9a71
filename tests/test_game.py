"""The Game: every change to a game in one place — turns, decisions, White cell actions, undo
(to a turn's start, or of the last action alone), branch and rebuild — and the session loop."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import MINIMAL_PATH, one_turn, picked
from wargame.engine.events import Decision, Event
from wargame.engine.facilitator import FacilitatorError
from wargame.errors import UsageError
from wargame.game import (
    CannotUndo,
    DefaultSeat,
    Game,
    IllegalDecision,
    NationView,
    Observer,
    TurnAbandoned,
    bot_seats,
    play,
    seat_kinds,
)
from wargame.record.log import LogWriter, RecordSink, header
from wargame.record.reader import read_record
from wargame.record.verify import timeline, verify
from wargame.scenario.loader import load
from wargame.scenario.scenario import Scenario

ADJUST = {"action": "adjust", "effects": ["logistics += 2"], "reason": "stockpiles land"}


@pytest.fixture(scope="module")
def minimal() -> Scenario:
    return load(MINIMAL_PATH)


def _logistics(game: Game) -> float:
    return game.state.value(game.scenario, "logistics")


def test_undo_of_the_last_action_alone_restores_the_state_before_it(minimal: Scenario) -> None:
    game = Game(minimal, 1)
    one_turn(game, blue="blue.ask")
    before = game.state
    game.facilitate({"action": "comment", "note": "a quiet day"})
    game.facilitate(ADJUST)
    assert _logistics(game) == before.value(minimal, "logistics") + 2
    assert game.last_action is not None and "stockpiles land" in game.last_action.text
    events = game.undo_last_action("wrong track")
    assert events[0].data == {"action": "undo", "last_action": True, "reason": "wrong track"}
    assert game.state == before  # the comment changed nothing; the adjustment is gone
    with pytest.raises(CannotUndo):
        game.undo_last_action()  # one action back, not a stack
    assert game.undo_targets() == [1]  # a whole-turn undo is still there


def test_only_an_action_between_turns_can_be_taken_back_alone(minimal: Scenario) -> None:
    game = Game(minimal, 1)
    game.begin_turn()
    game.facilitate({"action": "comment", "note": "mid-turn"})
    assert game.last_action is None
    with pytest.raises(CannotUndo):
        game.undo_last_action()
    game.adjudicate({})
    with pytest.raises(CannotUndo):
        game.undo_last_action()  # the last input was a turn, not an action


def test_the_facilitators_ending_can_be_taken_back(minimal: Scenario) -> None:
    game = Game(minimal, 1)
    one_turn(game)
    game.facilitate({"action": "end", "title": "Called off"})
    assert game.over and game.outcome == "facilitator"
    game.undo_last_action()
    assert not game.over and game.outcome is None
    one_turn(game)
    assert game.turn == 2


def test_a_record_with_an_action_taken_back_verifies_and_leaves_it_out(minimal: Scenario, tmp_path: Path) -> None:
    log = tmp_path / "game.jsonl"
    seats = bot_seats(minimal)
    writer = LogWriter.create(log, header(minimal, 3, seat_kinds(seats)))
    game = Game(minimal, 3, listeners=[RecordSink(writer)])
    one_turn(game)
    game.facilitate(ADJUST)
    game.undo_last_action()
    game.facilitate({"action": "end", "title": "Called off"})
    game.undo_last_action()
    play(game, seats)
    writer.close()

    record = read_record(log)
    assert verify(minimal, record)[2] is None
    kept = [e for turn in timeline(minimal, record) for e in turn.events]
    texts = [e.text for e in kept if e.kind == "facilitator"]
    assert not any("stockpiles land" in t or "Called off" in t for t in texts if "takes back" not in t)
    assert not any(e.kind == "effect" and e.data.get("reason") == "facilitator: stockpiles land" for e in kept)
    assert [t.number for t in record.turns] == list(range(1, game.turn + 1))
    assert record.finished and record.outcome() is not None and record.outcome().data["outcome"] != "facilitator"


def test_a_malformed_undo_is_refused(minimal: Scenario) -> None:
    game = Game(minimal, 1)
    with pytest.raises(FacilitatorError):
        game.facilitate({"action": "undo", "last_action": "yes"})
    with pytest.raises(FacilitatorError):
        game.facilitate({"action": "undo", "last_action": True, "to_turn": 1})


def test_rebuild_from_the_history_gives_the_same_game(minimal: Scenario) -> None:
    game = Game(minimal, 5)
    one_turn(game, blue="blue.ask")
    game.facilitate(ADJUST)
    one_turn(game, green="green.ask_private_logistics")
    game.undo(2)
    one_turn(game)
    again = Game.rebuild(minimal, 5, game.history)
    assert again.state == game.state and again.history == game.history
    assert again.undo_targets() == game.undo_targets()


def test_a_branch_keeps_the_turns_as_they_finally_went(minimal: Scenario) -> None:
    game = Game(minimal, 5)
    one_turn(game, blue="blue.ask")
    after_one = game.state
    one_turn(game, blue="blue.provoke")
    game.undo(2)
    one_turn(game, blue="blue.promise")
    branch = game.branch(1)
    assert branch.state == after_one and branch.seed == game.seed
    assert not any(e.kind == "facilitator" for e in branch.history)
    assert game.branch(0).state == Game(minimal, 5).state
    with pytest.raises(IllegalDecision):
        game.branch(3)


def test_listeners_hear_every_step(minimal: Scenario) -> None:
    heard: list[list[Event]] = []
    game = Game(minimal, 2, listeners=[lambda g, events: heard.append(events)])
    play(game, bot_seats(minimal))
    assert [e for step in heard for e in step] == game.history
    assert len(heard) == 2 * game.turn  # a turn's beginning, then its adjudication


def test_an_illegal_decision_leaves_the_game_as_it_was(minimal: Scenario) -> None:
    game = Game(minimal, 1)
    game.begin_turn()
    before, history = game.state, list(game.history)
    with pytest.raises(IllegalDecision, match="cannot choose"):
        game.adjudicate({"green": Decision("green", "green.commit", "script")})
    assert game.state == before and game.history == history


def test_seats_must_match_the_nations(minimal: Scenario) -> None:
    with pytest.raises(UsageError, match="missing green"):
        play(Game(minimal, 1), {"blue": DefaultSeat()})


def test_play_for_a_number_of_turns_then_on_to_the_end(minimal: Scenario) -> None:
    game = Game(minimal, 4)
    play(game, bot_seats(minimal), turns=2)
    assert game.turn == 2 and not game.over
    play(game, bot_seats(minimal))
    assert game.over
    whole = Game(minimal, 4)
    play(whole, bot_seats(minimal))
    assert whole.history == game.history


class _UndoesOnce(Observer):
    """A White cell that, while blue decides in turn 2, sends the game back to that turn's start."""

    def __init__(self, game: Game) -> None:
        self.game = game
        self.done = False
        self.abandoned_at: list[int] = []

    def abandoned(self, game: Game) -> None:
        self.abandoned_at.append(game.turn)


class _Interrupted:
    kind = "human"

    def __init__(self, cell: _UndoesOnce) -> None:
        self.cell = cell

    def decide(self, view: NationView) -> Decision:
        if view.turn == 2 and not self.cell.done:
            self.cell.done = True
            self.cell.game.undo(2, "think again")
            raise TurnAbandoned()
        return DefaultSeat().decide(view)


def test_a_turn_abandoned_mid_decision_is_played_again(minimal: Scenario) -> None:
    game = Game(minimal, 1)
    cell = _UndoesOnce(game)
    seats = picked(minimal) | {"blue": _Interrupted(cell)}
    play(game, seats, [cell])
    assert cell.abandoned_at == [1]  # back to before turn 2
    starts = [e.turn for e in game.history if e.kind == "turn_start"]
    assert starts[:3] == [1, 2, 2] and game.over


def test_play_finishes_a_turn_begun_by_hand(minimal: Scenario) -> None:
    """Stepping by hand and then running to the end is the same game as running it all."""
    by_hand = Game(minimal, 4)
    by_hand.begin_turn()
    play(by_hand, bot_seats(minimal))
    whole = Game(minimal, 4)
    play(whole, bot_seats(minimal))
    assert by_hand.over and by_hand.history == whole.history
