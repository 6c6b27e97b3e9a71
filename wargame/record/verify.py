"""Verifying a record: rebuild the Game from the record's inputs (scenario + seed + recorded
decisions and facilitator actions) and compare every event and digest with what the record
says happened; and the turns of a recorded game with their rebuilt states.

Verification checks the adjudication, not the players: recorded decisions are handed back to
the game as they were (bots are not re-run), so a genuine record replays exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wargame import jsontext
from wargame.engine.events import Event
from wargame.engine.state import State
from wargame.errors import RecordError, ScenarioNotFound, UsageError, WargameError
from wargame.game.game import Game
from wargame.game.history import step_of, steps, turn_blocks
from wargame.record.reader import Record
from wargame.scenario.catalog import find_scenario
from wargame.scenario.loader import load
from wargame.scenario.scenario import Scenario
from wargame.scenario.variants import apply_variants


@dataclass(frozen=True)
class Divergence:
    """The first place where replaying the record gives something else than it says."""

    turn: int
    what: str

    def __str__(self) -> str:
        return f"turn {self.turn}: {self.what}"


class ScenarioChanged(RecordError):
    """The scenario file is not the one the game was played with."""


def scenario_for(record: Record, path: str | Path | None = None, *, strict: bool = True) -> Scenario:
    """The scenario the record was played with: `path`, or the shipped/local one by id.

    With `strict`, a file whose sha256 differs from the record's is refused, saying so plainly.
    """
    wanted = record.header["scenario"]
    if not isinstance(wanted, str) or not re.fullmatch(r"[a-z][a-z0-9_-]{0,63}", wanted):
        raise RecordError(f"{record.path}:1: the header's scenario {wanted!r} is not a scenario id")
    if path is not None:
        where = Path(path)
    else:
        try:
            where = find_scenario(wanted)
        except ScenarioNotFound as err:
            raise ScenarioNotFound(
                f"{record.path}: the game was played with scenario {wanted!r}, which is neither shipped nor in "
                f"./scenarios ({err}); if it was played from a scenario file, give that file with "
                "--scenario PATH") from None
    scenario = load(where)
    if scenario.id != record.header["scenario"]:
        raise RecordError(f"{record.path}: the record is of scenario {record.header['scenario']!r}, "
                          f"not {scenario.id!r} ({where})")
    recorded = record.header.get("scenario_sha256")
    if strict and recorded and scenario.sha256 != recorded:
        hint = "" if path is not None else "; point --scenario at the copy the game was played with"
        raise ScenarioChanged(
            f"{record.path}: the scenario file {where} has changed since this game was played "
            f"(its sha256 is {scenario.sha256[:12]}…, the record's is {str(recorded)[:12]}…){hint}")
    try:
        return apply_variants(scenario, record.variants)
    except UsageError as err:
        raise RecordError(f"{record.path}:1: {err}") from None


def _plain(event: Event) -> dict[str, Any]:
    """An event as it reads back from a log line (JSON turns tuples into lists, and so on)."""
    loaded: dict[str, Any] = jsontext.loads(jsontext.dumps(event.to_dict()))
    return loaded


def _testimony_aside(row: dict[str, Any]) -> dict[str, Any]:
    """A decision's note is testimony, replayed as recorded; an empty note is the same as none,
    so every note, "" included, is treated alike by verification."""
    if row.get("kind") == "decision" and row.get("note") == "":
        row = {k: v for k, v in row.items() if k != "note"}
    return row


def _compare(recorded: tuple[Event, ...], replayed: list[Event], turn: int) -> Divergence | None:
    for i, (want, got) in enumerate(zip(recorded, replayed, strict=False), start=1):
        a, b = _testimony_aside(want.to_dict()), _testimony_aside(_plain(got))
        if a != b:
            fields = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
            if fields == ["digest"]:
                return Divergence(turn, f"the state digest differs: the record says {a.get('digest')}, "
                                        f"replaying gives {b.get('digest')}")
            if want.kind != got.kind or "text" in fields:
                return Divergence(turn, f"event {i} differs: the record says {want.kind} {want.text!r}, "
                                        f"replaying gives {got.kind} {got.text!r}")
            said = "; ".join(f"{k}: the record says {a.get(k)!r}, replaying gives {b.get(k)!r}" for k in fields)
            return Divergence(turn, f"event {i} ({want.kind} {want.text!r}) differs in {said}")
    if len(recorded) != len(replayed):
        extra = replayed[len(recorded)] if len(replayed) > len(recorded) else recorded[len(replayed)]
        side = "replaying also gives" if len(replayed) > len(recorded) else "the record also has"
        return Divergence(turn, f"{side} {extra.kind} {extra.text!r}")
    return None


@dataclass
class Rebuild:
    """A game being rebuilt from a record: the Game, and the end of its last step when a torn
    write lost it from the record (`missing`, which `wargame resume` writes back)."""

    game: Game
    missing: list[Event] = field(default_factory=list)


@dataclass(frozen=True)
class Executed:
    """One segment re-run: what the record says, what the engine gives, the state after."""

    recorded: tuple[Event, ...]
    replayed: list[Event]
    state: State
    divergence: Divergence | None


def execute(scenario: Scenario, record: Record, into: Rebuild | None = None) -> Iterator[Executed]:
    """Re-run every input of the record in order on a Game, stopping after the first that diverges.

    A step is written whole, in one write; a record cut off mid-write can lack the last events
    of its last step (a turn's game_end, the last effects of a facilitator action). That is a
    torn tail, not a forgery: the last segment may be a true beginning of what the engine gives
    (the rebuild's `missing` then holds the rest, which resume writes)."""
    run = into or Rebuild(Game(scenario, record.seed))
    game = run.game
    parts = steps(record.events)
    for i, segment in enumerate(parts):
        turn = segment[0].turn
        try:
            replayed = game.apply(step_of(segment))
        except WargameError as err:
            yield Executed(segment, [], game.state, Divergence(turn, f"the record's input is not legal here: {err}"))
            return
        torn = (i == len(parts) - 1 and len(replayed) > len(segment)
                and _compare(segment, replayed[:len(segment)], turn) is None)
        if torn:
            run.missing = replayed[len(segment):]
            yield Executed(segment, replayed[:len(segment)], game.state, None)
            return
        divergence = _compare(segment, replayed, turn)
        yield Executed(segment, replayed, game.state, divergence)
        if divergence is not None:
            return


def verify(scenario: Scenario, record: Record, into: Rebuild | None = None) -> tuple[int, int, Divergence | None]:
    """(turns of the game as it finally went, events checked, the first divergence or None).
    Pass `into` to see what the rebuild ended with, e.g. its `missing` events."""
    events = 0
    for step in execute(scenario, record, into):
        if step.divergence is not None:
            return len(turn_blocks(record.events[:events])), events, step.divergence
        events += len(step.recorded)
    return len(record.turns), events, None


@dataclass(frozen=True)
class PlayedTurn:
    """A turn of a recorded game as it finally went: what happened, and the state after it."""

    number: int
    label: str
    events: tuple[Event, ...]  # as recorded, facilitator actions and comments included
    state: State
    end: int  # how many of the record's events lie up to the end of this turn


def timeline(scenario: Scenario, record: Record) -> list[PlayedTurn]:
    """The turns of the game as it finally went, or a RecordError if the record does not replay."""
    turns, divergence = partial_timeline(scenario, record)
    if divergence is not None:
        raise RecordError(f"{record.path}: the record does not replay from {divergence}")
    return turns


def partial_timeline(scenario: Scenario, record: Record) -> tuple[list[PlayedTurn], Divergence | None]:
    """The turns of the game as it finally went (turns the facilitator undid are left out; see
    wargame.game.history.turn_blocks), each with its rebuilt state, up to the first divergence
    (returned too, or None)."""
    after: dict[int, State] = {}  # the state after the segment ending at each event index
    done = 0
    divergence = None
    for step in execute(scenario, record):
        if step.divergence is not None:
            divergence = step.divergence
            break
        done += len(step.recorded)
        after[done - 1] = step.state
    events = record.events[:done]
    turns = [PlayedTurn(number, scenario.turn_label(number), tuple(events[i] for i in idx), after[idx[-1]],
                        idx[-1] + 1)
             for number, idx in turn_blocks(events) if idx[-1] in after]
    return turns, divergence


def rebuild(scenario: Scenario, record: Record, events: tuple[Event, ...]) -> Rebuild:
    """The Game that has played `events` (a prefix of the record), verified as it goes, ready to
    play on from there. RecordError if the prefix does not replay."""
    run = Rebuild(Game(scenario, record.seed))
    partial = Record(record.path, record.header, (), record.header_end, record.sha256, [], events)
    for step in execute(scenario, partial, run):
        if step.divergence is not None:
            raise RecordError(f"{record.path}: the record does not replay ({step.divergence}); "
                              "check it with `wargame replay --verify`")
    return run
