"""Delegation objectives: judged by a pure function over the states a game passed through,
located errors in the format, and shown in the handout, on the board and in the report."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console

from tests.conftest import FIXTURES, line_of, only_problem, replace_once, with_values, write
from wargame.engine.objectives import Verdict, assess, combine
from wargame.engine.state import State, initial_state
from wargame.scenario.loader import load
from wargame.scenario.scenario import Scenario
from wargame.view.board import render_board
from wargame.view.handout import render_handout

LIVE_PATH = FIXTURES / "live.toml"


@pytest.fixture(scope="module")
def live() -> Scenario:
    return load(LIVE_PATH)


def _state(s: Scenario, outcome: str | None = None, **values: float) -> State:
    state = with_values(s, initial_state(s, 1), {k.replace("__", "."): v for k, v in values.items()})
    return state.evolve(outcome=outcome, ended=outcome is not None)


def _verdicts(s: Scenario, states: list[State]) -> dict[str, dict[str, Verdict]]:
    return {r.nation: {o.objective.id: o.verdict for o in r.objectives} for r in assess(s, states)}


def test_end_objectives_judge_the_final_state_with_partly(live: Scenario) -> None:
    calm = _verdicts(live, [_state(live, escalation=4), _state(live, escalation=1)])
    assert calm["blue"]["calm"] is Verdict.ACHIEVED
    tense = _verdicts(live, [_state(live, escalation=1), _state(live, escalation=3)])
    assert tense["blue"]["calm"] is Verdict.PARTLY
    hot = _verdicts(live, [_state(live, escalation=4)])
    assert hot["blue"]["calm"] is Verdict.NOT


def test_every_turn_and_any_turn_objectives_look_at_the_whole_game(live: Scenario) -> None:
    once_at_war = [_state(live, escalation=5), _state(live, escalation=1)]
    assert _verdicts(live, once_at_war)["blue"]["never_war"] is Verdict.NOT
    assert _verdicts(live, once_at_war[1:])["blue"]["never_war"] is Verdict.ACHIEVED
    supplied_once = [_state(live, logistics=4), _state(live, logistics=1)]
    assert _verdicts(live, supplied_once)["green"]["supplied"] is Verdict.ACHIEVED
    assert _verdicts(live, supplied_once[1:])["green"]["supplied"] is Verdict.NOT


def test_objectives_read_the_outcome(live: Scenario) -> None:
    assert _verdicts(live, [_state(live, "held")])["green"]["held"] is Verdict.ACHIEVED
    assert _verdicts(live, [_state(live, "calm")])["green"]["held"] is Verdict.PARTLY
    assert _verdicts(live, [_state(live, "war")])["green"]["held"] is Verdict.NOT
    assert _verdicts(live, [_state(live)])["green"]["held"] is Verdict.NOT  # no outcome yet


def test_a_delegation_verdict_combines_its_objectives() -> None:
    a, p, n = Verdict.ACHIEVED, Verdict.PARTLY, Verdict.NOT
    assert combine([a, a]) is a
    assert combine([a, n]) is p and combine([p, n]) is p
    assert combine([n, n]) is n and combine([]) is n
    assert [r.verdict for r in assess(load(LIVE_PATH), [])] == [n, n]


def test_the_handout_states_the_delegations_objectives(live: Scenario) -> None:
    text = render_handout(live, live.nation("green"))
    assert "1. **Supplied at some point**" in text
    assert "*Achieved when Logistics at least 4 at the end of any turn.*" in text
    assert "2. **The response holds**" in text
    assert "*Achieved when outcome.held at the end; partly when outcome.standoff or outcome.calm.*" in text
    assert "Keep it calm" not in text  # Blue's objectives are Blue's


def _board(s: Scenario, state: State, nation: str | None = None) -> str:
    out = StringIO()
    Console(file=out, width=100, color_system=None).print(render_board(s, state, [], nation=nation))
    return out.getvalue()


def test_a_delegations_board_shows_where_it_stands_and_only_its_own(live: Scenario) -> None:
    text = _board(live, _state(live, escalation=1), "blue")
    assert "Your objectives — where you stand if the game ended now" in text
    assert "Blue: achieved" in text and "✓ Keep it calm" in text
    assert "Green" not in text.split("Your objectives", 1)[1]


def test_the_shared_board_shows_every_delegations_objectives_only_at_the_end(live: Scenario) -> None:
    assert "Objectives" not in _board(live, _state(live, escalation=1))
    text = _board(live, _state(live, "held", escalation=1))
    assert "Blue: achieved" in text and "Green: partly achieved" in text and "✓ The response holds" in text


@pytest.mark.parametrize(("old", "new", "key", "message", "at"), [
    ('nation = "blue"\nname = "Keep it calm"', 'nation = "navy"\nname = "Keep it calm"', "objectives[0].nation",
     "unknown nation 'navy'", 'nation = "navy"'),
    ('achieved = "escalation <= 1"', 'achieved = "escalaton <= 1"', "objectives[0].achieved", "unknown name",
     'achieved = "escalaton <= 1"'),
    ('partly = "escalation <= 3"', 'partly = "escalation + 3"', "objectives[0].partly", "true/false",
     'partly = "escalation + 3"'),
    ('achieved = "outcome.held"', 'achieved = "outcome.won"', "objectives[3].achieved", "unknown name",
     'achieved = "outcome.won"'),
    ('id = "never_war"', 'id = "calm"', "objectives[1].id", "duplicate objective id 'calm'", 'name = "Never at war"'),
])
def test_objective_mistakes_are_located(tmp_path: Path, old: str, new: str, key: str, message: str, at: str) -> None:
    text = replace_once(LIVE_PATH.read_text(encoding="utf-8"), old, new)
    problem = only_problem(write(tmp_path, text))
    assert problem.key == key and message in problem.message, problem
    line = line_of(text, at)
    assert problem.line == (line - 2 if key == "objectives[1].id" else line)  # id, nation, then name
