"""What `play` says when a game is stopped before its end: the last WHOLE turn, never the one in play."""

from pathlib import Path

import pytest

from wargame.cli.play import say_stopped
from wargame.game import Game, bot_seats, load_scenario, view_for


def test_stopping_during_the_first_turn_names_no_finished_turn(capsys: pytest.CaptureFixture[str]) -> None:
    game = Game(load_scenario("defining-roles"), 5)
    game.begin_turn()
    say_stopped(game, Path("game.jsonl"))
    err = capsys.readouterr().err
    assert "stopped before the first turn is over" in err and "after Week 1" not in err


def test_stopping_during_a_later_turn_names_the_last_whole_one(capsys: pytest.CaptureFixture[str]) -> None:
    game = Game(load_scenario("defining-roles"), 5)
    game.begin_turn()
    seats = bot_seats(game.scenario, explain=False)
    game.adjudicate({n: seat.decide(view_for(game, n)) for n, seat in seats.items()})
    game.begin_turn()
    say_stopped(game, Path("game.jsonl"))
    assert "stopped after Week 1;" in capsys.readouterr().err


def test_a_served_game_stopped_is_resumed_with_serve(capsys: pytest.CaptureFixture[str]) -> None:
    game = Game(load_scenario("defining-roles"), 5)
    say_stopped(game, Path("game.jsonl"), serve=True)
    assert "its record is in game.jsonl. `wargame resume game.jsonl --serve` plays on" in capsys.readouterr().err
