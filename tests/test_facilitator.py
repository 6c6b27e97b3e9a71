"""The White cell's actions as engine steps: each changes what it says, and replays and verifies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MINIMAL_PATH, typed_answers
from wargame.engine.facilitator import FacilitatorError, check, facilitate
from wargame.game import Game
from wargame.record.log import LogWriter, header
from wargame.record.reader import read_record
from wargame.record.verify import timeline, verify
from wargame.scenario.loader import load
from wargame.scenario.scenario import Scenario


@pytest.fixture(scope="module")
def minimal() -> Scenario:
    return load(MINIMAL_PATH)


def _value(scenario: Scenario, run: Game, name: str) -> float:
    return run.state.values[scenario.names[name].index]


def _record(tmp_path: Path, scenario: Scenario, seed: int, events: list[Any]) -> Path:
    path = tmp_path / "game.jsonl"
    writer = LogWriter.create(path, header(scenario, seed, {n.id: "bot" for n in scenario.nations}))
    writer.write(events)
    writer.close()
    return path


def _play_turn(run: Game, decisions: dict[str, Any] | None = None) -> list[Any]:
    from wargame.players.bot import Bot

    events = run.begin_turn()
    return events + run.adjudicate(decisions if decisions is not None else Bot(run.scenario).decide_all(run.state))


def test_adjust_changes_the_track_with_the_reason(minimal: Scenario) -> None:
    run = Game(minimal, 1)
    events = run.facilitate({"action": "adjust", "effects": ["logistics += 2"], "reason": "stockpiles land"})
    assert _value(minimal, run, "logistics") == 4
    assert events[0].kind == "facilitator" and "stockpiles land" in events[0].text
    assert events[1].kind == "effect" and events[1].data["reason"] == "facilitator: stockpiles land"


def test_an_adjustment_is_shown_with_its_tracks_in_words_and_recorded_as_written(
        minimal: Scenario, tmp_path: Path) -> None:
    """The record keeps the adjustment's line with its effect statements (so records verify as
    ever); every line shown (board, log, report, consoles: wargame.view.words.event_words) names
    the tracks and flags as the board does, and keeps the reason. A line that is not the one its
    effects give, or names this scenario lacks, is shown as recorded."""
    from wargame.engine.events import Event
    from wargame.view.words import event_words

    run = Game(minimal, 1)
    events = run.facilitate({"action": "adjust", "effects": ["blue.support -= 2", "logistics = 4", "alert = true",
                                                             "escalation += logistics - 3"],
                             "reason": "the cable is cut"})
    line = events[0]
    assert line.text == ("Facilitator adjusts blue.support -= 2, logistics = 4, alert = true, "
                         "escalation += logistics - 3 — the cable is cut")  # the record's words, unchanged
    assert event_words(minimal, line) == ("Facilitator adjusts Domestic support (Blue) -2, Logistics set to 4, "
                                          "Alert: set, Escalation up by Logistics - 3 — the cable is cut")
    assert [event_words(minimal, e) for e in events[1:3]] == [
        "Domestic support (Blue) -2: facilitator: the cable is cut", "Logistics +2: facilitator: the cable is cut"]
    odd = Event("facilitator", 0, "Facilitator adjusts things", {"action": "adjust", "effects": ["logistics += 1"]})
    assert event_words(minimal, odd) == "Facilitator adjusts things"
    gone = Event("facilitator", 0, "Facilitator adjusts pact += 1 — old scenario",
                 {"action": "adjust", "effects": ["pact += 1"], "reason": "old scenario"})
    assert event_words(minimal, gone) == gone.text
    from rich.console import Console

    from wargame.view.board import render_board
    from wargame.view.details import event_log
    from wargame.view.situation import situation, this_turn

    console = Console(width=200, color_system=None)
    with console.capture() as seen:
        console.print(render_board(minimal, run.state, list(run.history)))
        console.print(event_log(minimal, list(run.history)))
        console.print(this_turn(situation(minimal, run.state, list(run.history))))
    shown = seen.get()
    assert shown.count("Facilitator adjusts Domestic support (Blue) -2, Logistics set to 4") == 3  # board, log, pane
    assert "blue.support" not in shown and "logistics = 4" not in shown
    path = _record(tmp_path, minimal, 1, events)
    assert verify(minimal, read_record(path))[2] is None


def test_firing_a_scenario_inject_applies_it_for_certain(minimal: Scenario, tmp_path: Path) -> None:
    text = MINIMAL_PATH.read_text(encoding="utf-8") + (
        '\n[[injects]]\nid = "storm"\ntitle = "A typhoon"\nwhen = "false or escalation > 4"\n'
        'chance = 0.01\neffects = ["logistics -= 2"]\n')
    path = tmp_path / "with-inject.toml"
    path.write_text(text, encoding="utf-8")
    scenario = load(path)
    run = Game(scenario, 1)
    events = run.facilitate({"action": "inject", "inject": "storm", "reason": "test the logistics"})
    assert [e.kind for e in events] == ["facilitator", "inject", "effect"]
    assert _value(scenario, run, "logistics") == 0
    assert "storm" in run.state.fired_injects


def test_a_free_inject_with_track_changes(minimal: Scenario) -> None:
    run = Game(minimal, 1)
    run.facilitate({"action": "free_inject", "title": "Cable cut", "detail": "Undersea cable severed",
                    "effects": ["escalation += 1", "alert = true"]})
    assert _value(minimal, run, "escalation") == 2
    assert run.state.values[minimal.names["alert"].index] is True


def test_a_proposal_rolls_the_facilitators_chance(minimal: Scenario) -> None:
    outcomes = set()
    for seed in range(20):
        run = Game(minimal, seed)
        events = run.facilitate({"action": "adjudicate", "nation": "green", "proposal": "A ceasefire",
                                 "chance": 0.5, "on_success": ["escalation -= 1"], "on_failure": ["escalation += 1"]})
        roll = next(e for e in events if e.kind == "chance")
        assert _value(minimal, run, "escalation") == (0 if roll.data["success"] else 2)
        outcomes.add(roll.data["success"])
    assert outcomes == {True, False}


def test_a_certain_and_an_impossible_proposal(minimal: Scenario) -> None:
    for chance, expected in ((1.0, 0), (0.0, 2)):
        run = Game(minimal, 3)
        run.facilitate({"action": "adjudicate", "nation": "blue", "proposal": "x", "chance": chance,
                        "on_success": ["escalation -= 1"], "on_failure": ["escalation += 1"]})
        assert _value(minimal, run, "escalation") == expected


def test_ending_the_game_with_a_facilitator_outcome(minimal: Scenario) -> None:
    run = Game(minimal, 1)
    run.begin_turn()
    events = run.facilitate({"action": "end", "title": "Talks resume", "detail": "Both sides agree.", "reason": ""})
    assert run.state.ended and run.state.outcome == "facilitator"
    assert events[-1].kind == "game_end" and events[-1].data["title"] == "Talks resume"
    with pytest.raises(FacilitatorError, match="only undo"):
        check(minimal, run.state, {"action": "comment", "note": "too late"})


def test_comments_and_the_clock_change_nothing(minimal: Scenario) -> None:
    run = Game(minimal, 1)
    before = run.state
    run.facilitate({"action": "comment", "note": "Delegations took 20 minutes"})
    run.facilitate({"action": "clock", "paused": True})
    assert run.state == before


@pytest.mark.parametrize("action", [
    {"action": "adjust", "effects": ["logistics += 1"], "reason": "mid-turn"},
    {"action": "free_inject", "title": "Cable cut", "effects": ["escalation += 1"]},
    {"action": "adjudicate", "nation": "blue", "proposal": "x", "chance": 0.5},
])
def test_the_situation_stands_still_while_delegations_decide(minimal: Scenario, action: dict[str, Any]) -> None:
    run = Game(minimal, 1)
    run.begin_turn()
    with pytest.raises(FacilitatorError, match="between turns"):
        run.facilitate(action)
    run.facilitate({"action": "comment", "note": "comments are fine"})


def test_undo_goes_only_to_this_turn_or_the_previous_one(minimal: Scenario) -> None:
    run = Game(minimal, 1)
    for _ in range(3):
        _play_turn(run)
    with pytest.raises(FacilitatorError, match="previous one"):
        run.facilitate({"action": "undo", "to_turn": 1})
    run.facilitate({"action": "undo", "to_turn": 2})
    assert run.state.turn == 1 and run.undo_targets() == [1]  # the undone future cannot be jumped to


def test_undo_goes_back_to_the_start_of_a_turn(minimal: Scenario) -> None:
    run = Game(minimal, 1)
    _play_turn(run)
    start_of_two = run.state
    _play_turn(run)
    events = run.facilitate({"action": "undo", "to_turn": 2, "reason": "try again"})
    assert run.state == start_of_two
    assert events[0].data["to_turn"] == 2


@pytest.mark.parametrize("action", [
    {"action": "launch"},
    {"action": "inject", "inject": "no_such_inject"},
    {"action": "adjust", "effects": ["escalaton += 1"], "reason": "typo"},
    {"action": "adjust", "effects": ["escalation += 1"], "reason": ""},
    {"action": "adjust", "effects": ["__import__('os')"], "reason": "hostile"},
    {"action": "adjudicate", "nation": "atlantis", "proposal": "x", "chance": 0.5},
    {"action": "adjudicate", "nation": "blue", "proposal": "x", "chance": 1.5},
    {"action": "adjudicate", "nation": "blue", "proposal": "", "chance": 0.5},
    {"action": "comment", "note": ""},
    {"action": "comment", "note": "x", "text": "clobbers the record's own field"},
    {"action": "undo", "to_turn": 0},
    {"action": "end", "title": ""},
])
def test_malformed_actions_are_refused_before_anything_changes(minimal: Scenario, action: dict[str, Any]) -> None:
    run = Game(minimal, 1)
    before = run.state
    with pytest.raises(FacilitatorError):
        facilitate(minimal, run.state, action)
    assert run.state == before


def test_every_facilitator_action_replays_and_verifies(minimal: Scenario, tmp_path: Path) -> None:
    run = Game(minimal, 5)
    events = run.facilitate({"action": "comment", "note": "Opening"})
    events += run.facilitate({"action": "adjust", "effects": ["logistics += 1"], "reason": "stockpiles"})
    events += run.facilitate({"action": "free_inject", "title": "Cable cut", "detail": "",
                              "effects": ["escalation += 1"], "reason": ""})
    events += run.begin_turn()
    events += run.facilitate({"action": "clock", "paused": True})
    events += run.facilitate({"action": "comment", "note": "Japan asks for five more minutes"})
    from wargame.players.bot import Bot

    events += run.adjudicate(Bot(minimal).decide_all(run.state))
    events += _play_turn(run)
    events += run.facilitate({"action": "undo", "to_turn": 2, "reason": "replay the second day"})
    events += run.facilitate({"action": "adjudicate", "nation": "green", "proposal": "Talks", "chance": 0.7,
                              "on_success": ["escalation -= 1"], "on_failure": []})
    events += _play_turn(run)
    events += run.begin_turn()
    events += run.facilitate({"action": "end", "title": "Called by White", "detail": "", "reason": "time"})
    path = _record(tmp_path, minimal, 5, events)

    record = read_record(path)
    assert record.finished and not record.dropped
    turns, checked, divergence = verify(minimal, record)
    assert divergence is None
    assert checked == len(events)
    views = timeline(minimal, record)
    assert [v.number for v in views] == [1, 2, 3]  # the undone second day is not part of the game
    assert views[-1].state == run.state
    assert any(e.kind == "facilitator" and e.data["action"] == "undo" for e in views[1].events)


def test_tampering_with_a_facilitator_action_is_caught_at_its_turn(minimal: Scenario, tmp_path: Path) -> None:
    run = Game(minimal, 5)
    events = _play_turn(run)
    events += run.facilitate({"action": "adjust", "effects": ["logistics += 1"], "reason": "stockpiles"})
    events += _play_turn(run)
    path = _record(tmp_path, minimal, 5, events)
    text = path.read_text(encoding="utf-8").replace('"logistics += 1"', '"logistics += 2"')
    path.write_text(text, encoding="utf-8")
    _, _, divergence = verify(minimal, read_record(path))
    assert divergence is not None and divergence.turn == 1


def test_the_white_cell_help_fits_an_80_column_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """`help` at the console on an 80x24 terminal prints each line whole: no command's line is
    wrapped by the terminal into the next command's column."""
    import io
    from types import SimpleNamespace

    from rich.console import Console

    from wargame.players import white_cell

    typed_answers(monkeypatch, ["help"])
    buffer = io.StringIO()
    out = Console(file=buffer, width=80, force_terminal=True, color_system=None)
    host = SimpleNamespace(state=SimpleNamespace(ended=False, in_turn=False))
    white_cell.run_console(out, host, where="Before Week 2")  # type: ignore[arg-type]
    printed = buffer.getvalue().replace("white cell> ", "\n").splitlines()  # the prompt, not echoed
    help_lines = white_cell.HELP.splitlines()
    start = printed.index(help_lines[0])
    assert printed[start:start + len(help_lines)] == help_lines
