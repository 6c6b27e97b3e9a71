"""Shared helpers for the core tests: the scenarios, text edits of scenario files, game loops."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

import pytest

from wargame.engine.events import Decision, Event
from wargame.engine.rules import begin_turn
from wargame.engine.state import State, initial_state
from wargame.errors import Problem, ScenarioError
from wargame.game import DefaultSeat, Game, NationView, Observer, Seat, bot_seats, play, play_turn
from wargame.scenario.loader import load
from wargame.scenario.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
FLAGSHIP_PATH = ROOT / "scenarios" / "defining-roles.toml"
MINIMAL_PATH = FIXTURES / "minimal.toml"
ENGINE_PATH = FIXTURES / "engine.toml"


@pytest.fixture(autouse=True)
def _records_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`wargame play` keeps a record even without --log: in tests, in a folder of their own."""
    folder = tmp_path_factory.mktemp("records")
    monkeypatch.setenv("WARGAME_RECORDS", str(folder))
    return folder


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
    state, _ = begin_turn(scenario, initial_state(scenario, seed))
    return with_values(scenario, state, values or {})


def decide(*pairs: tuple[str, str]) -> dict[str, Decision]:
    return {nation: Decision(nation, option, "script") for nation, option in pairs}


Decider = Callable[[Scenario, State], Mapping[str, Decision]]


def last_turn(scenario: Scenario) -> int:
    """The latest turn a game can reach: a live crisis may run past the scheduled turns."""
    return scenario.turns + (scenario.live.turns if scenario.live is not None else 0)


class DeciderSeat:
    """A seat asking a function of (scenario, state) for every nation's decisions (a nation it
    leaves out takes its default)."""

    kind = "script"

    def __init__(self, decider: Decider) -> None:
        self.decider = decider
        self._asked: tuple[object, Mapping[str, Decision]] | None = None  # once a turn, for every nation

    def decide(self, view: NationView) -> Decision:
        key = (view.turn, view.state.values, view.state.rng, view.state.in_turn)
        if self._asked is None or self._asked[0] != key:
            self._asked = (key, self.decider(view.scenario, view.state))
        decision = self._asked[1].get(view.nation)
        return decision if decision is not None else DefaultSeat().decide(view)


def play_game(scenario: Scenario, seed: int, seats: Mapping[str, Seat] | Decider) -> tuple[list[State], list[Event]]:
    """Play until the game ends through the session loop; every state after each step, and every event."""
    if callable(seats):
        seat = DeciderSeat(seats)
        seats = {n.id: seat for n in scenario.nations}
    turns = played(scenario, seed, seats)
    return turns.states, [e for _, events in turns.turns for e in events]


class Picked:
    """A seat for every nation: the option picked for it, or its default (as the engine takes
    for a nation left out)."""

    kind = "script"

    def __init__(self, picks: Mapping[str, str]) -> None:
        self.picks = dict(picks)

    def decide(self, view: NationView) -> Decision:
        option = self.picks.get(view.nation)
        if option is None:
            return DefaultSeat().decide(view)
        return Decision(view.nation, option, "script")


def picked(scenario: Scenario, **picks: str) -> dict[str, Seat]:
    seat = Picked(picks)
    return {n.id: seat for n in scenario.nations}


def one_turn(game: Game, **picks: str) -> list[Event]:
    """Play one turn of `game` with the given picks (other nations take their default)."""
    return play_turn(game, picked(game.scenario, **picks))


def turn_from(scenario: Scenario, state: State, **picks: str) -> tuple[State, list[Event]]:
    """One turn from `state` with the given picks: the state after it and the turn's events."""
    game = Game.from_state(scenario, state)
    events = one_turn(game, **picks)
    return game.state, events


class Turns(Observer):
    """Collects every adjudicated turn of a game: the state after it and its events."""

    def __init__(self, game: Game) -> None:
        self.turns: list[tuple[State, list[Event]]] = []
        self.states: list[State] = []  # after every step
        self._events: list[Event] = []
        game.listeners.append(self._heard)

    def _heard(self, game: Game, events: list[Event]) -> None:
        self._events += events
        self.states.append(game.state)

    def turn_done(self, game: Game) -> None:
        self.turns.append((game.state, self._events))
        self._events = []


def played(scenario: Scenario, seed: int, seats: Mapping[str, Seat] | None = None) -> Turns:
    """A whole game through the one session loop (bots in every seat unless given)."""
    game = Game(scenario, seed)
    turns = Turns(game)
    play(game, seats or bot_seats(scenario), [turns])
    return turns


def bot_game(scenario: Scenario, seed: int = 1) -> list[tuple[State, list[Event]]]:
    """A bot-played game: the state after each turn and the turn's events."""
    return played(scenario, seed).turns


def typed_answers(monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> None:
    """`input()` answers `answers` in order, then EOFError (the person's input ends)."""
    left = iter(answers)

    def typed(prompt: str = "") -> str:
        try:
            return next(left)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", typed)
