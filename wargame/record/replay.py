"""Re-adjudicating a record: rebuild the states turn by turn from scenario + seed + recorded
decisions, and compare every event and digest with what the record says happened.

Verification checks the adjudication, not the players: recorded decisions are handed back to
the engine as they were (bots are not re-run), so a genuine record replays exactly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wargame.engine.events import Decision, Event
from wargame.engine.facilitator import check, facilitate
from wargame.engine.state import State
from wargame.engine.turn import IllegalDecision, begin_turn, new_game, resolve
from wargame.errors import RecordError, WargameError
from wargame.record.reader import Record, turn_blocks
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


class ScenarioChanged(RecordError):
    """The scenario file is not the one the game was played with."""


def scenario_for(record: Record, path: str | Path | None = None, *, strict: bool = True) -> Scenario:
    """The scenario the record was played with: `path`, or the shipped/local one by id.

    With `strict`, a file whose sha256 differs from the record's is refused, saying so plainly.
    """
    wanted = record.header["scenario"]
    if not isinstance(wanted, str) or not re.fullmatch(r"[a-z][a-z0-9_-]{0,63}", wanted):
        raise RecordError(f"{record.path}:1: the header's scenario {wanted!r} is not a scenario id")
    where = Path(path) if path is not None else resolve_scenario(wanted)
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
    return scenario


def _plain(event: Event) -> dict[str, Any]:
    """An event as it reads back from a log line (JSON turns tuples into lists, and so on)."""
    loaded: dict[str, Any] = json.loads(json.dumps(event.to_dict(), ensure_ascii=False))
    return loaded


def _compare(recorded: tuple[Event, ...], replayed: list[Event], turn: int) -> Divergence | None:
    for i, (want, got) in enumerate(zip(recorded, replayed, strict=False), start=1):
        a, b = want.to_dict(), _plain(got)
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


def segments(events: tuple[Event, ...]) -> list[tuple[Event, ...]]:
    """Split a record's events at its inputs: a turn beginning, a facilitator action, and the
    run of decisions that opens a turn's resolution. Each segment is one engine call's output."""
    out: list[list[Event]] = []
    for i, event in enumerate(events):
        starts = event.kind in ("turn_start", "facilitator") or (
            event.kind == "decision" and (i == 0 or events[i - 1].kind != "decision"))
        if starts or not out:
            out.append([event])
        else:
            out[-1].append(event)
    return [tuple(seg) for seg in out]


class Executor:
    """Re-runs a game's inputs through the engine, keeping what undo needs: the state at the
    start of every turn. The live session keeps its states the same way (wargame.cli.session)."""

    def __init__(self, scenario: Scenario, seed: int) -> None:
        self.scenario = scenario
        self.state = new_game(scenario, seed)
        self.starts: dict[int, State] = {}
        self.missing: list[Event] = []  # the end of the last step, lost to a torn write

    def begin(self) -> list[Event]:
        self.starts[self.state.turn + 1] = self.state
        self.state, events = begin_turn(self.scenario, self.state)
        return events

    def resolve(self, decisions: Mapping[str, Decision]) -> list[Event]:
        self.state, events = resolve(self.scenario, self.state, decisions)
        return events

    def facilitate(self, action: Mapping[str, Any]) -> list[Event]:
        check(self.scenario, self.state, action)
        if action.get("action") == "undo":
            target = self.starts.get(int(action["to_turn"]))
            if target is None:
                raise IllegalDecision(f"there is no start of turn {action['to_turn']} to go back to")
            _, events = facilitate(self.scenario, self.state, action)
            self.state = target
            to_turn = int(action["to_turn"])
            self.starts = {k: v for k, v in self.starts.items() if k <= to_turn}  # the undone future is gone
            return events
        self.state, events = facilitate(self.scenario, self.state, action)
        return events

    def replay(self, segment: tuple[Event, ...]) -> list[Event]:
        """The engine's events for one recorded segment (raising if its input is not legal)."""
        head = segment[0]
        if head.kind == "turn_start":
            return self.begin()
        if head.kind == "facilitator":
            return self.facilitate(head.data)
        if head.kind == "decision":
            decisions = {}
            for e in segment:
                if e.kind != "decision":
                    break
                d = e.data
                decisions[d["nation"]] = Decision(d["nation"], d["option"], d.get("by", "bot"), d.get("note", ""))
            return self.resolve(decisions)
        raise IllegalDecision(f"a {head.kind} event where a turn, a decision or a facilitator action should be")


@dataclass(frozen=True)
class Executed:
    """One segment re-run: what the record says, what the engine gives, the state after."""

    recorded: tuple[Event, ...]
    replayed: list[Event]
    state: State
    divergence: Divergence | None


def execute(scenario: Scenario, record: Record, run: Executor | None = None) -> Iterator[Executed]:
    """Re-run every segment of the record in order, stopping after the first that diverges.

    A step is written whole, in one write; a record cut off mid-write can lack the last events
    of its last step (a turn's game_end, the last effects of a facilitator action). That is a
    torn tail, not a forgery: the last segment may be a true beginning of what the engine gives
    (the executor's `missing` then holds the rest, which resume writes)."""
    run = run or Executor(scenario, record.seed)
    parts = segments(record.events)
    for i, segment in enumerate(parts):
        turn = segment[0].turn
        try:
            replayed = run.replay(segment)
        except WargameError as err:
            yield Executed(segment, [], run.state, Divergence(turn, f"the record's input is not legal here: {err}"))
            return
        torn = (i == len(parts) - 1 and len(replayed) > len(segment)
                and _compare(segment, replayed[:len(segment)], turn) is None)
        if torn:
            run.missing = replayed[len(segment):]
            yield Executed(segment, replayed[:len(segment)], run.state, None)
            return
        divergence = _compare(segment, replayed, turn)
        yield Executed(segment, replayed, run.state, divergence)
        if divergence is not None:
            return


def verify(scenario: Scenario, record: Record, run: Executor | None = None) -> tuple[int, int, Divergence | None]:
    """(turns of the game as it finally went, events checked, the first divergence or None).
    Pass `run` to see what the re-run ended with, e.g. its `missing` events."""
    events = 0
    for step in execute(scenario, record, run):
        if step.divergence is not None:
            return len(turn_blocks(record.events[:events])), events, step.divergence
        events += len(step.recorded)
    return len(record.turns), events, None


@dataclass(frozen=True)
class TurnView:
    """A played turn as views need it: what happened, and the state after it."""

    number: int
    label: str
    events: tuple[Event, ...]  # as recorded, facilitator actions and comments included
    state: State
    end: int  # how many of the record's events lie up to the end of this turn


def timeline(scenario: Scenario, record: Record) -> list[TurnView]:
    """The turns of the game as it finally went, or a RecordError if the record does not replay."""
    turns, divergence = partial_timeline(scenario, record)
    if divergence is not None:
        raise RecordError(f"{record.path}: the record does not replay from {divergence}")
    return turns


def partial_timeline(scenario: Scenario, record: Record) -> tuple[list[TurnView], Divergence | None]:
    """The turns of the game as it finally went (turns the facilitator undid are left out; see
    reader.turn_blocks), each with its rebuilt state, up to the first divergence (returned too,
    or None)."""
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
    turns = [TurnView(number, scenario.turn_label(number), tuple(events[i] for i in idx), after[idx[-1]], idx[-1] + 1)
             for number, idx in turn_blocks(events) if idx[-1] in after]
    return turns, divergence


def replay_prefix(scenario: Scenario, record: Record, events: tuple[Event, ...]) -> Executor:
    """An executor that has re-run `events` (a prefix of the record), ready to play on from there."""
    run = Executor(scenario, record.seed)
    partial = Record(record.path, record.header, (), record.header_end, record.sha256, [], events)
    for step in execute(scenario, partial, run):
        if step.divergence is not None:
            raise RecordError(f"{record.path}: the record does not replay ({step.divergence}); "
                              "check it with `wargame replay --verify`")
    return run
