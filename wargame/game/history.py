"""A game's history as a list of events: where its inputs are, and which turns it finally kept.

A history holds four kinds of input, each followed by the events the engine gave for it: a turn
beginning (`turn_start`), a delegation's message in the negotiation phase (`message`), the run
of `decision` events that opens a turn's adjudication, and a facilitator action
(`facilitator`). `steps` cuts a history at those inputs; `step_of` reads the
input back from a segment, so a game can be rebuilt from its record. `turn_blocks` says which
turns the game kept once the facilitator's undos are taken into account.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wargame.engine.events import Decision, Event
from wargame.engine.negotiation import Message
from wargame.errors import WargameError

UNDO = "undo"
INPUTS = ("turn_start", "facilitator", "decision", "message")


class NotAnInput(WargameError):
    """A segment of a history that does not begin with an input (a turn, a decision, an action)."""


@dataclass(frozen=True)
class BeginTurn:
    """Input: begin the next turn."""


@dataclass(frozen=True)
class Decisions:
    """Input: every nation's decision of the turn in play, adjudicated together."""

    decisions: Mapping[str, Decision]


@dataclass(frozen=True)
class FacilitatorAction:
    """Input: one White cell action (plain data, see wargame.engine.facilitator)."""

    action: Mapping[str, Any]


@dataclass(frozen=True)
class SendMessage:
    """Input: one delegation's message in the negotiation phase (wargame.engine.negotiation)."""

    message: Message


Step = BeginTurn | Decisions | FacilitatorAction | SendMessage


def is_undo(event: Event) -> bool:
    """A facilitator event that undid something (back to a turn's start, or its last action)."""
    return event.kind == "facilitator" and event.data.get("action") == UNDO


def undoes_last_action(event: Event) -> bool:
    return is_undo(event) and event.data.get("last_action") is True


def steps(events: Sequence[Event]) -> list[tuple[Event, ...]]:
    """Split a history at its inputs: a turn beginning, a facilitator action, and the run of
    decisions that opens a turn's adjudication. Each segment is one input and what it gave."""
    out: list[list[Event]] = []
    for i, event in enumerate(events):
        starts = event.kind in ("turn_start", "facilitator", "message") or (
            event.kind == "decision" and (i == 0 or events[i - 1].kind != "decision"))
        if starts or not out:
            out.append([event])
        else:
            out[-1].append(event)
    return [tuple(seg) for seg in out]


def step_of(segment: Sequence[Event]) -> Step:
    """The input that opens `segment` (NotAnInput if it opens with an outcome, not an input)."""
    head = segment[0]
    if head.kind == "turn_start":
        return BeginTurn()
    if head.kind == "facilitator":
        return FacilitatorAction(head.data)
    if head.kind == "message":
        return SendMessage(Message.from_data(head.data))
    if head.kind == "decision":
        decisions = {}
        for e in segment:
            if e.kind != "decision":
                break
            d = e.data
            decisions[d["nation"]] = Decision(d["nation"], d["option"], d.get("by", "bot"), d.get("note", ""))
        return Decisions(decisions)
    raise NotAnInput(f"a {head.kind} event where a turn, a message, a decision or a facilitator action should be")


def closes_turn(events: Sequence[Event], i: int) -> bool:
    """A turn is whole at its turn_end (or at the game_end that follows it)."""
    event = events[i]
    if event.kind == "game_end":
        return True
    return event.kind == "turn_end" and not (i + 1 < len(events) and events[i + 1].kind == "game_end")


def turn_blocks(events: Sequence[Event]) -> list[tuple[int, list[int]]]:
    """The turns of the game as it finally went, as (turn number, indices of its events).

    A turn's block holds what happened since the previous turn ended: facilitator actions
    between turns, then the turn itself. An undo to turn K drops the turns it goes back over,
    keeping what the facilitator did before turn K began (the state it goes back to has it),
    and opens the block of turn K played again. An undo of the last action drops that action's
    events (an action is undone alone only between turns)."""
    blocks: list[tuple[int, list[int]]] = []
    pending: list[int] = []
    for i, event in enumerate(events):
        if undoes_last_action(event):
            blocks, pending = _drop_last_action(events, blocks, pending, i)
            pending.append(i)
            continue
        if is_undo(event):
            to_turn = event.data.get("to_turn")
            source = next((idx for n, idx in blocks if n == to_turn), None)
            if source is None and any(events[j].kind == "turn_start" and events[j].turn == to_turn for j in pending):
                source = pending
            before: list[int] = []
            for j in source or []:
                if events[j].kind == "turn_start":
                    break
                before.append(j)
            blocks = [(n, idx) for n, idx in blocks if not isinstance(to_turn, int) or n < to_turn]
            pending = [*before, i]
            continue
        pending.append(i)
        if closes_turn(events, i):
            if blocks and blocks[-1][0] == event.turn:  # the facilitator ended the game between turns
                number, idx = blocks.pop()
                pending = idx + pending
            blocks.append((event.turn, pending))
            pending = []
    return blocks


def _drop_last_action(events: Sequence[Event], blocks: list[tuple[int, list[int]]], pending: list[int],
                      i: int) -> tuple[list[tuple[int, list[int]]], list[int]]:
    """Leave out the events of the last facilitator action before event `i` that was not an undo."""
    start = next((j for j in range(i - 1, -1, -1) if events[j].kind == "facilitator" and not is_undo(events[j])),
                 None)
    if start is None:
        return blocks, pending
    pending = [j for j in pending if j < start]
    if blocks and blocks[-1][1][-1] >= start:  # the action ended the game, closing a block
        number, idx = blocks.pop()
        kept = [j for j in idx if j < start]
        if any(events[j].kind == "turn_end" for j in kept):
            blocks.append((number, kept))
        else:
            pending = kept + pending
    return blocks, pending
