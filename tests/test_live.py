"""The live crisis: when its condition holds the game does not end but runs a short phase in
which roles defined in advance act at once and undefined ones cost a turn or a vote."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, decide, line_of, only_problem, replace_once, write
from wargame.engine.rules import adjudicate, begin_turn
from wargame.engine.state import State, initial_state
from wargame.scenario.loader import load
from wargame.scenario.scenario import Scenario

LIVE_PATH = FIXTURES / "live.toml"


@pytest.fixture(scope="module")
def live() -> Scenario:
    return load(LIVE_PATH)


def _turn(s: Scenario, state: State, *pairs: tuple[str, str]) -> tuple[State, list[str]]:
    state, opening = begin_turn(s, state)
    state, closing = adjudicate(s, state, decide(*pairs))
    return state, [e.text for e in opening + closing]


def _alert(s: Scenario, seed: int = 3) -> State:
    """Play until Blue's provocation sets the alert (a chance roll): the crisis goes live."""
    state = initial_state(s, seed)
    while not state.values[s.names["alert"].index]:
        state, _ = _turn(s, state, ("blue", "blue.provoke"))
        assert not state.ended
    return state


def test_the_crisis_goes_live_instead_of_ending_and_runs_its_turns(live: Scenario) -> None:
    state = _alert(live)
    began = state.turn
    assert state.values[live.names["live"].index] and not state.ended
    state, texts = _turn(live, state)
    assert not state.ended
    state, texts = _turn(live, state)
    assert state.ended and state.turn == began + 2
    assert state.outcome == "failed"  # only live outcomes are checked now; logistics stayed low


def test_a_live_crisis_may_run_past_the_last_scheduled_turn(live: Scenario) -> None:
    state = initial_state(live, 1)
    for _ in range(3):
        state, _ = _turn(live, state)
    values = list(state.values)
    values[live.names["alert"].index] = True
    state = state.evolve(values=tuple(values))
    state, texts = _turn(live, state)  # turn 4 of 4: the crisis goes live at its end
    assert any(t.startswith("The crisis goes live: 2 more turns") for t in texts)
    assert not state.ended
    state, _ = _turn(live, state)
    assert live.turn_label(state.turn) == "Day 5"
    state, _ = _turn(live, state)
    assert state.ended and state.turn == 6


def test_an_unprepared_response_lands_a_turn_late(live: Scenario) -> None:
    state = _alert(live)
    logistics = live.names["logistics"].index
    before = state.values[logistics]
    state, texts = _turn(live, state, ("green", "green.resupply"))
    assert "Green: Resupply the response is delayed a turn: no logistics role was defined in advance" in texts
    assert state.values[logistics] == before and state.delayed == ("green.resupply",)
    assert state.to_dict(live)["delayed"] == ["green.resupply"]
    state, texts = _turn(live, state)
    assert "Green: Resupply the response lands a turn late" in texts
    assert state.values[logistics] == min(before + 2, 5) and state.delayed == ()


def test_a_role_defined_in_advance_acts_at_once_without_a_vote(live: Scenario) -> None:
    state = initial_state(live, 3)
    state, _ = _turn(live, state, ("blue", "blue.ask"))
    state, _ = _turn(live, state, ("green", "green.ask_private_logistics"))
    values = list(state.values)
    values[live.names["alert"].index] = True
    state, _ = _turn(live, state.evolve(values=tuple(values)))
    logistics = live.names["logistics"].index
    before = state.values[logistics]
    state, texts = _turn(live, state, ("green", "green.open_ports"))
    assert "Green acts at once: its logistics role was defined in advance" in texts
    assert not any("Parliament" in t for t in texts)
    assert state.values[logistics] == before + 1


def test_an_unprepared_vote_response_goes_to_parliament(live: Scenario) -> None:
    state = _alert(live)
    state, texts = _turn(live, state, ("green", "green.open_ports"))
    assert any(t.startswith("Parliament approves Green") or t.startswith("Parliament rejects Green") for t in texts)


def test_a_game_without_a_live_crisis_keeps_its_digests(minimal: Scenario) -> None:
    assert "delayed" not in initial_state(minimal, 1).to_dict(minimal)
    assert "live" not in minimal.names


@pytest.mark.parametrize(("old", "new", "key", "message", "at"), [
    ('response = "vote"\neffects = ["logistics += 1"]\napproval = { body = "Parliament", chance = 0.5 }',
     'response = "vote"\neffects = ["logistics += 1"]', "options[7].response", "give an approval",
     'response = "vote"'),
    ('[live_crisis]\nwhen = "alert"', '[live_crisis]\nwhen = "alert and false"', "live_crisis.when",
     "can never go live", 'when = "alert and false"'),
    ('[live_crisis]\nwhen = "alert"', '[live_crisis]\nwhen = "alret"', "live_crisis.when", "unknown name",
     'when = "alret"'),
])
def test_live_crisis_mistakes_are_located(tmp_path: Path, old: str, new: str, key: str, message: str,
                                          at: str) -> None:
    text = replace_once(LIVE_PATH.read_text(encoding="utf-8"), old, new)
    problem = only_problem(write(tmp_path, text))
    assert problem.key == key and message in problem.message
    assert problem.line == line_of(text, at)


def test_live_outcomes_and_responses_need_a_live_crisis(tmp_path: Path) -> None:
    text = (FIXTURES / "minimal.toml").read_text(encoding="utf-8")
    text = replace_once(text, 'id = "war"\ntitle = "War"\n', 'id = "war"\ntitle = "War"\nlive = true\n')
    text = replace_once(text, 'effects = ["escalation -= 1"]\n', 'effects = ["escalation -= 1"]\nresponse = "delay"\n')
    problems = {p.key: p for p in _problems(write(tmp_path, text))}
    assert "needs a [live_crisis]" in problems["outcomes[0].live"].message
    assert problems["outcomes[0].live"].line == line_of(text, "live = true")
    assert "needs a [live_crisis]" in problems["options[5].response"].message


def test_a_live_crisis_needs_live_outcomes(tmp_path: Path) -> None:
    text = (FIXTURES / "minimal.toml").read_text(encoding="utf-8")
    live_crisis = '[live_crisis]\nwhen = "alert"\nturns = 1\n\n'
    text = text.replace('[[outcomes]]\nid = "war"', live_crisis + '[[outcomes]]\nid = "war"', 1)
    problem = only_problem(write(tmp_path, text))
    assert problem.key == "live_crisis" and "outcomes with live = true" in problem.message


def _problems(path: Path) -> list:
    from tests.conftest import problems_of
    return problems_of(path)
