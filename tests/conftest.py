"""Shared helpers for the core tests: the scenarios, text edits of scenario files, game loops."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

import pytest

from wargame.engine.events import Decision, Event
from wargame.engine.state import State
from wargame.engine.turn import begin_turn, new_game, resolve
from wargame.errors import Problem, ScenarioError
from wargame.scenario.loader import load
from wargame.scenario.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
FLAGSHIP_PATH = ROOT / "scenarios" / "defining-roles.toml"
MINIMAL_PATH = FIXTURES / "minimal.toml"
ENGINE_PATH = FIXTURES / "engine.toml"


@cache
def flagship_scenario() -> Scenario:
    return load(FLAGSHIP_PATH)


@cache
def minimal_scenario() -> Scenario:
    return load(MINIMAL_PATH)


@cache
def engine_scenario() -> Scenario:
    return load(ENGINE_PATH)


@pytest.fixture
def flagship() -> Scenario:
    return flagship_scenario()


@pytest.fixture
def minimal() -> Scenario:
    return minimal_scenario()


@pytest.fixture
def engine() -> Scenario:
    return engine_scenario()


# ---------------------------------------------------------------- editing scenario text


def replace_once(text: str, old: str, new: str) -> str:
    """Replace `old`, which must occur exactly once, so an edit never lands somewhere unmeant."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def line_of(text: str, needle: str, after: int = 0) -> int:
    """The 1-based number of the first line after line `after` that contains `needle`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if number > after and needle in line:
            return number
    raise AssertionError(f"{needle!r} is not in the text")


def write(tmp_path: Path, text: str, name: str = "scenario.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[Problem]:
    """Load a file that must fail; return every problem reported."""
    with pytest.raises(ScenarioError) as info:
        load(path)
    assert info.value.problems, "a ScenarioError must carry at least one problem"
    return info.value.problems


def only_problem(path: Path) -> Problem:
    problems = problems_of(path)
    assert len(problems) == 1, "\n".join(str(p) for p in problems)
    return problems[0]


# ---------------------------------------------------------------- states and games


def with_values(scenario: Scenario, state: State, values: Mapping[str, float]) -> State:
    """A copy of `state` with some named values replaced (tracks, flags)."""
    new = list(state.values)
    for name, value in values.items():
        new[scenario.names[name].index] = value
    return state.evolve(values=tuple(new))


def started(scenario: Scenario, seed: int = 1, values: Mapping[str, float] | None = None) -> State:
    """A game at the decision point of turn 1, optionally with some values set."""
    state, _ = begin_turn(scenario, new_game(scenario, seed))
    return with_values(scenario, state, values or {})


def decide(*pairs: tuple[str, str]) -> dict[str, Decision]:
    return {nation: Decision(nation, option, "script") for nation, option in pairs}


Decider = Callable[[Scenario, State], Mapping[str, Decision]]


def play_game(scenario: Scenario, seed: int, decider: Decider) -> tuple[list[State], list[Event]]:
    """Play until the game ends; every state after each step, and every event."""
    state = new_game(scenario, seed)
    states: list[State] = []
    events: list[Event] = []
    for _ in range(scenario.turns):
        state, more = begin_turn(scenario, state)
        states.append(state)
        events += more
        state, more = resolve(scenario, state, decider(scenario, state))
        states.append(state)
        events += more
        if state.ended:
            break
    return states, events
