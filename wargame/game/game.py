"""The live game: scenario, seed, state and history, and every change to it.

A `Game` is the one place a game changes: a turn begins, the nations' decisions are
adjudicated, the White cell acts, the facilitator undoes a turn or its last action, a branch
is taken from a turn, the game finishes. It is pure — no terminal, no files, no clock — and
deterministic: the same scenario, seed and inputs give the same events and states, so a record
is verified by rebuilding a Game from its inputs and comparing (wargame.record.verify).

Whoever wants to know what happened subscribes a listener: a callable given the game and the
events of one step, after the step (the record writer is one; a screen is another).

Whoever answers messages at once sets `answering` (the session loop does, for the seats that
answer offers: the bots): after a message is sent and its events are out, `answering(game,
message)` gives the replies, which are sent in turn (and answered in turn), each its own step.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wargame.engine.events import Decision, Event
from wargame.engine.facilitator import as_taken, check, facilitate
from wargame.engine.negotiation import Message, send
from wargame.engine.rules import Choice, IllegalDecision, adjudicate, begin_turn, legal_options
from wargame.engine.state import State, initial_state
from wargame.game.history import BeginTurn, Decisions, SendMessage, Step, step_of, steps, turn_blocks
from wargame.scenario.scenario import Scenario

Listener = Callable[["Game", list[Event]], None]
Answering = Callable[["Game", Message], Iterable[Message]]


class CannotUndo(IllegalDecision):
    """An undo asked for a point the game does not keep (or there is no action to take back)."""


@dataclass(frozen=True)
class _Checkpoint:
    """What undoing the last facilitator action restores: the state before it, and the turn starts."""

    state: State
    starts: Mapping[int, State]
    event: Event  # the action's own `facilitator` event


class Game:
    """One game of one scenario from one seed.

    Attributes (read them; change the game only through the methods):
        scenario  the compiled Scenario
        seed      the seed of the game's chance draws (int, 0..2**64-1 meaningful)
        state     the current State (engine.state.State; frozen)
        history   every event so far, in order, undone ones included (what a record holds)

    Raises IllegalDecision (a WargameError) for any input not legal now, FacilitatorError for a
    malformed White cell action; the game is unchanged when an input is refused.
    """

    def __init__(self, scenario: Scenario, seed: int, *, listeners: Iterable[Listener] = ()) -> None:
        self.scenario = scenario
        self.seed = seed
        self.state: State = initial_state(scenario, seed)
        self.history: list[Event] = []
        self.listeners: list[Listener] = list(listeners)
        self.answering: Answering | None = None  # who replies to a message at once (see the module)
        self._answering_now = False
        self._starts: dict[int, State] = {}  # the state at the start of each turn still reachable by undo
        self._last_action: _Checkpoint | None = None  # before the last facilitator action, if it is the last input

    # ------------------------------------------------------------ reading

    @property
    def turn(self) -> int:
        """The turn in play (0 before the first)."""
        return self.state.turn

    @property
    def over(self) -> bool:
        """The game has ended (an outcome, the last turn, or the White cell's end)."""
        return self.state.ended

    @property
    def outcome(self) -> str | None:
        """The outcome id reached (None if none, or not yet); "facilitator" for the White cell's ending."""
        return self.state.outcome

    def legal_options(self, nation: str) -> list[Choice]:
        """Every option of `nation` with whether it may be taken now and, if not, why (in the
        scenario's words). KeyError for an unknown nation."""
        return legal_options(self.scenario, self.state, nation)

    def undo_targets(self) -> list[int]:
        """The turns whose start an undo may go back to now: this turn and the previous one."""
        turn = self.state.turn
        return [k for k in (turn, turn - 1) if k in self._starts]

    @property
    def last_action(self) -> Event | None:
        """The `facilitator` event of the action `undo_last_action` would take back: the last
        input, if it was a facilitator action taken between turns (None otherwise)."""
        return self._last_action.event if self._last_action is not None else None

    # ------------------------------------------------------------ changing

    def begin_turn(self) -> list[Event]:
        """Begin the next turn: its injects fire. The events of the step."""
        before = self.state
        self.state, events = begin_turn(self.scenario, before)
        self._starts[before.turn + 1] = before
        self._last_action = None
        return self._emit(events)

    def send(self, message: Message) -> list[Event]:
        """One delegation's message in the negotiation phase of the turn in play (after the turn
        begins, before the decisions); a costly signal's effects land when the turn is
        adjudicated (wargame.engine.negotiation). IllegalMessage (an IllegalDecision) over the
        scenario's limit or when not well formed. The events of the step (the replies `answering`
        gives, if set, follow as steps of their own)."""
        self.state, events = send(self.scenario, self.state, message)
        self._last_action = None
        self._emit(events)
        if self.answering is not None and not self._answering_now:
            self._answer(message)
        return events

    def _answer(self, message: Message) -> None:
        """Send the replies to `message`, and the replies to those, in the order they are given
        (each reply uses one of its sender's messages, so this ends)."""
        assert self.answering is not None
        self._answering_now = True
        try:
            waiting = deque([message])
            while waiting:
                for reply in list(self.answering(self, waiting.popleft())):
                    self.state, events = send(self.scenario, self.state, reply)
                    self._emit(events)
                    waiting.append(reply)
        finally:
            self._answering_now = False

    def adjudicate(self, decisions: Mapping[str, Decision]) -> list[Event]:
        """Adjudicate the turn in play: nation id -> Decision (a nation left out takes its default).
        Ends the turn (and perhaps the game). The events of the step."""
        self.state, events = adjudicate(self.scenario, self.state, decisions)
        self._last_action = None
        return self._emit(events)

    def facilitate(self, action: Mapping[str, Any]) -> list[Event]:
        """Carry out one new White cell action (plain data; see wargame.engine.facilitator for the
        actions and their fields), undo included, as the engine takes it now (`as_taken`: an
        inject fired before its scheduled turn is marked `early`, which spends that firing). The
        events of the step; the first, `facilitator`, holds the action as taken."""
        return self._facilitate(as_taken(self.scenario, self.state, action))

    def _facilitate(self, action: Mapping[str, Any]) -> list[Event]:
        """Carry out a White cell action exactly as given (a recorded one, when rebuilding)."""
        check(self.scenario, self.state, action)
        if action.get("action") == "undo":
            return self._undo(action)
        before = self.state
        self.state, events = facilitate(self.scenario, before, action)
        alone = not before.in_turn and action.get("action") != "clock"  # the clock is the table's, not the game's
        self._last_action = _Checkpoint(before, dict(self._starts), events[0]) if alone else None
        return self._emit(events)

    def undo(self, to_turn: int, reason: str = "") -> list[Event]:
        """Go back to the start of turn `to_turn`, recorded as a facilitator action.
        FacilitatorError unless it is this turn or the previous one; CannotUndo if the game does
        not keep that point (a branch or rebuilt game keeps the starts it played itself)."""
        return self.facilitate({"action": "undo", "to_turn": to_turn, **({"reason": reason} if reason else {})})

    def undo_last_action(self, reason: str = "") -> list[Event]:
        """Take back the facilitator's last action alone (one taken between turns, not a clock
        pause, and the last input of the game), recorded as a facilitator action. CannotUndo if
        there is none."""
        return self.facilitate({"action": "undo", "last_action": True, **({"reason": reason} if reason else {})})

    def _undo(self, action: Mapping[str, Any]) -> list[Event]:
        if action.get("last_action") is True:
            checkpoint = self._last_action
            if checkpoint is None:
                raise CannotUndo("there is no facilitator action to take back: the last thing done was not one "
                                 "taken between turns")
            _, events = facilitate(self.scenario, self.state, action)
            self.state, self._starts = checkpoint.state, dict(checkpoint.starts)
        else:
            to_turn = int(action["to_turn"])
            target = self._starts.get(to_turn)
            if target is None:
                raise CannotUndo(f"there is no start of turn {to_turn} to go back to")
            _, events = facilitate(self.scenario, self.state, action)
            self.state = target
            self._starts = {k: v for k, v in self._starts.items() if k <= to_turn}  # the undone future is gone
        self._last_action = None
        return self._emit(events)

    def apply(self, step: Step) -> list[Event]:
        """Carry out one input (BeginTurn, SendMessage, Decisions or FacilitatorAction): how a game is rebuilt
        from a record."""
        if isinstance(step, BeginTurn):
            return self.begin_turn()
        if isinstance(step, Decisions):
            return self.adjudicate(step.decisions)
        if isinstance(step, SendMessage):
            return self.send(step.message)
        return self._facilitate(step.action)  # as recorded: a record made before `early` replays as played

    def _emit(self, events: list[Event]) -> list[Event]:
        self.history += events
        for listener in self.listeners:
            listener(self, events)
        return events

    # ------------------------------------------------------------ whole games

    @classmethod
    def from_state(cls, scenario: Scenario, state: State) -> Game:
        """A game that goes on from `state` (a position set up for a test or a study). Its
        history starts empty, so no record of it rebuilds from the scenario and seed alone."""
        game = cls(scenario, state.seed)
        game.state = state
        return game

    @classmethod
    def rebuild(cls, scenario: Scenario, seed: int, events: Sequence[Event]) -> Game:
        """The game whose history is `events`, rebuilt by carrying out their inputs again.
        IllegalDecision if an input is not legal where it stands; the events the inputs give are
        not compared here (that is verification: wargame.record.verify)."""
        game = cls(scenario, seed)
        for segment in steps(events):
            game.apply(step_of(segment))
        return game

    def branch(self, turn: int) -> Game:
        """A new game that has played this one's turns 1..`turn` as it finally went, with the same
        seed, ready to play turn `turn` + 1 differently. Its history is this one's up to the end
        of that turn, so undone attempts and their undos are in it, as in a record (its state is
        as the turns finally went). 0 branches from the start. IllegalDecision if this game has
        no whole turn `turn`."""
        return Game.rebuild(self.scenario, self.seed, self.turn_prefix(turn))

    def turn_prefix(self, turn: int) -> list[Event]:
        """The history through the end of turn `turn` as the game finally went."""
        if turn == 0:
            return []
        ends = [idx[-1] for number, idx in turn_blocks(self.history) if number == turn]
        if not ends:
            raise IllegalDecision(f"the game has no whole turn {turn}")
        return self.history[: ends[-1] + 1]
