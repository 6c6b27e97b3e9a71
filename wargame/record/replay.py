"""Re-adjudicating a record: rebuild the states turn by turn from scenario + seed + recorded
decisions, and compare every event and digest with what the record says happened.

Verification checks the adjudication, not the players: recorded decisions are handed back to
the engine as they were (bots are not re-run), so a genuine record replays exactly.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wargame.engine.events import Event
from wargame.engine.state import State
from wargame.engine.turn import IllegalDecision, begin_turn, new_game, resolve
from wargame.errors import RecordError, WargameError
from wargame.record.reader import Record, Turn
from wargame.scenario.catalog import resolve as resolve_scenario
from wargame.scenario.loader import load
from wargame.scenario.scenario import Scenario


@dataclass(frozen=True)
class Divergence:
    """The first place where replaying the record gives something else than it says."""

    turn: int
    what: str

    def __str__(self) -> str:
        return f"turn {self.turn}: {self.what}"


@dataclass(frozen=True)
class Step:
    """One turn rebuilt: the state after it and the events the engine gives for it."""

    turn: Turn
    state: State
    events: list[Event]
    divergence: Divergence | None


class ScenarioChanged(RecordError):
    """The scenario file is not the one the game was played with."""


def scenario_for(record: Record, path: str | Path | None = None, *, strict: bool = True) -> Scenario:
    """The scenario the record was played with: `path`, or the shipped/local one by id.

    With `strict`, a file whose sha256 differs from the record's is refused, saying so plainly.
    """
    where = Path(path) if path is not None else resolve_scenario(str(record.header["scenario"]))
    scenario = load(where)
    recorded = record.header.get("scenario_sha256")
    if strict and recorded and scenario.sha256 != recorded:
        hint = "" if path is not None else "; point --scenario at the copy the game was played with"
        raise ScenarioChanged(
            f"{record.path}: the scenario file {where} has changed since this game was played "
            f"(its sha256 is {scenario.sha256[:12]}…, the record's is {str(recorded)[:12]}…){hint}")
    if scenario.id != record.header["scenario"]:
        raise RecordError(f"{record.path}: the record is of scenario {record.header['scenario']!r}, "
                          f"not {scenario.id!r}")
    return scenario


def _plain(event: Event) -> dict[str, Any]:
    """An event as it reads back from a log line (JSON turns tuples into lists, and so on)."""
    loaded: dict[str, Any] = json.loads(json.dumps(event.to_dict(), ensure_ascii=False))
    return loaded


def _compare(recorded: tuple[Event, ...], replayed: list[Event], turn: int) -> Divergence | None:
    for i, (want, got) in enumerate(zip(recorded, replayed, strict=False), start=1):
        a, b = want.to_dict(), _plain(got)
        if a != b:
            if want.kind == "turn_end" and got.kind == "turn_end":
                return Divergence(turn, f"the state digest differs: the record says {a.get('digest')}, "
                                        f"replaying gives {b.get('digest')}")
            return Divergence(turn, f"event {i} differs: the record says {want.kind} {want.text!r}, "
                                    f"replaying gives {got.kind} {got.text!r}")
    if len(recorded) != len(replayed):
        extra = replayed[len(recorded)] if len(replayed) > len(recorded) else recorded[len(replayed)]
        side = "replaying also gives" if len(replayed) > len(recorded) else "the record also has"
        return Divergence(turn, f"{side} {extra.kind} {extra.text!r}")
    return None


def rebuild(scenario: Scenario, record: Record, through: int | None = None) -> Iterator[Step]:
    """Replay the record's whole turns (through turn `through`), one Step a turn. Stops after the
    first turn that diverges, or that the engine refuses."""
    state = new_game(scenario, record.seed)
    for turn in record.turns:
        if through is not None and turn.number > through:
            return
        try:
            state, opening = begin_turn(scenario, state)
            state, closing = resolve(scenario, state, turn.decisions())
        except IllegalDecision as err:
            yield Step(turn, state, [], Divergence(turn.number, f"the recorded decisions are not legal here: {err}"))
            return
        except WargameError as err:
            yield Step(turn, state, [], Divergence(turn.number, str(err)))
            return
        events = opening + closing
        divergence = _compare(turn.events, events, turn.number)
        yield Step(turn, state, events, divergence)
        if divergence is not None:
            return


def verify(scenario: Scenario, record: Record) -> tuple[int, int, Divergence | None]:
    """(turns checked, events checked, the first divergence or None)."""
    turns = events = 0
    for step in rebuild(scenario, record):
        if step.divergence is not None:
            return turns, events, step.divergence
        turns += 1
        events += len(step.events)
    return turns, events, None
