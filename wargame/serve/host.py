"""The served game: one Game on the host, played by the one session loop (wargame.game.play),
its human nations' seats RemoteSeats whose delegations decide over the network, all at once.

The loop runs in the host's main thread (where the White cell console, if any, reads the host's
terminal); the web server runs in another thread and reaches the game only through this
object, under its one lock: `claim` a seat, `submit` a decision, `send` a message of the
negotiation phase, the White cell's commands from a browser (wargame.serve.white, carried out
while the loop waits: `idle`), and the snapshots of wargame.serve.view, which read only what
this object publishes (the state and the events as the game's listener last heard them). Every
change calls `on_change`, which wakes the server to push fresh snapshots.

The White cell's moment between turns: on the host's terminal (--facilitator at a terminal) the
console opens there and the game waits for Enter; otherwise, with a facilitator code, the game
waits for the White cell's browser (`hold`, on unless it is switched off there) until it says
`go` — before each turn, and once the game is over (an undo there plays on). That side of the
game is in wargame.serve.white_host.

Decisions are sealed: as soon as a turn begins every delegation's decision is due; each is held
here, unseen by anyone, and handed to the loop when all are in (or the clock has run out); the
loop adjudicates and the orders are revealed together. While its decision is due a delegation
may send messages (public statements, private messages, offers, costly signals), through the
Game as at the table; the computer's seats decide once every delegation has (so they see every
message of the turn). A costly signal's effects land when the turn is adjudicated
(wargame.engine.negotiation), so nothing sent during a turn changes anyone's legal options: a
sealed choice stays sealed. The record is written by the same listener as a local game's, so
it replays, verifies, resumes and reports the same way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Literal

from rich.console import Console
from rich.markup import escape

from wargame.engine.events import Decision, Event
from wargame.engine.negotiation import IllegalMessage, Message
from wargame.engine.rules import legal_options
from wargame.engine.state import State
from wargame.game.game import Game
from wargame.game.history import is_undo
from wargame.game.seats import BotSeat, Seat
from wargame.game.session import TurnAbandoned, play
from wargame.game.views import NationView, view_for
from wargame.players.bot import Bot
from wargame.players.clock import Clock
from wargame.players.deals import standing
from wargame.serve.white_host import WhiteCellHost

Phase = Literal["joining", "deciding", "between", "over"]
Unclaimed = Literal["wait", "bot"]
TICK = 0.5  # seconds: how often a waiting game looks at the clock and for a shutdown


class Stopped(Exception):
    """The server is shutting down: the turn in progress is abandoned (not recorded)."""


class RemoteSeat:
    """A delegation deciding over the network: its decision, once the server has taken it, or its
    nation's default when the clock runs out, or the bot's while (with --unclaimed bot) no
    delegation has joined for it."""

    kind = "human"

    def __init__(self, host: ServedGame) -> None:
        self.host = host

    def decide(self, view: NationView) -> Decision:
        return self.host.await_decision(view)


class HeldBotSeat(BotSeat):
    """The computer's seat in a served game: it sends its signal and its offer with the turn and
    answers an offer at once, like any bot, and decides once every delegation has decided, on the
    game as it then stands (the delegations' messages and the exchanges it agreed included; the
    signals' effects land at adjudication)."""

    def __init__(self, bot: Bot, host: ServedGame) -> None:
        super().__init__(bot)
        self.host = host

    def decide(self, view: NationView) -> Decision:
        return self.host.await_decision(view)


class ServedGame(WhiteCellHost):
    """The game and everything a client may ask of it. `kinds`: nation id -> "human" | "bot";
    `personas`: nation id -> persona id for the bots (wargame.players.bot)."""

    def __init__(self, game: Game, kinds: Mapping[str, str], *, clock: float | None = None,
                 facilitator: bool = False, unclaimed: Unclaimed = "wait", out: Console | None = None,
                 personas: Mapping[str, str] | None = None, white_code: bool = False, hold: bool = True) -> None:
        self.game = game
        self.scenario = game.scenario
        self.humans = [n for n, k in kinds.items() if k == "human"]
        self.bot = Bot(game.scenario, personas=personas)  # for the computer's seats, with their personas
        self.seats: dict[str, Seat] = {n: RemoteSeat(self) if n in self.humans else HeldBotSeat(self.bot, self)
                                       for n in kinds}
        self.clock = Clock(clock) if clock is not None else None
        self.facilitator = facilitator
        self.unclaimed = unclaimed
        self.out = out
        self.lock = threading.Condition()
        self.on_change: Callable[[], None] = lambda: None
        self.on_hold: Callable[[str], None] = lambda where: None  # the game starts waiting for the White cell's page
        self.version = 0  # bumped by every change a client could see
        self.situation = 0  # bumped by every change the board explains but a message (shown on its own)
        self.phase: Phase = "joining"
        self.claimed: set[str] = set()  # the seats whose delegation has joined (the game counts on them)
        self.present: dict[str, int] = {}  # a seat's open connections now (0 or absent: away)
        self.decisions: dict[str, Decision] = {}  # this turn's, sealed until the reveal
        self.closed = False  # every due decision is in (or the clock ran out): the loop is taking them
        self.timed_out = False  # the table was closed by the clock
        self.talk: list[Event] = _talk([], game.history)  # the messages of the game as it stands
        self.state: State = game.state  # as published to the views
        self.board_events: list[Event] = []  # what the board explains now (this turn, or the last)
        self.reveal: list[Event] = []  # the decision events of the last turn adjudicated
        self.last_turn: list[Event] = []  # the last adjudicated turn's events (its results)
        # the White cell from a browser (wargame.serve.white): it acts while the loop waits (`idle`)
        self.idle = False  # the loop is waiting (for delegations, the White cell, the console): no step in progress
        self.went_back = False  # a browser's undo to a turn's start, or its ending: the loop leaves its wait
        self.hold = white_code and hold and not self.console_here  # between turns, wait for the White cell's `go`
        self.holding: str | None = None  # where the game waits for the White cell now ("Before Week 3"), if it does
        self.console_at: str | None = None  # where the game waits for the host's White cell console, if it does
        self.go = False
        self.stopping = False
        self.board_cache: tuple[State, int, str, int] | None = None  # wargame.serve.view's
        self.white_board_cache: tuple[State, int, str] | None = None  # wargame.serve.white's
        game.listeners.append(self._heard)

    # ------------------------------------------------------------ read by views (under the lock)

    def waiting_for(self) -> list[str]:
        """The human seats whose decision this turn is still awaited (with --unclaimed bot, not
        those whose delegation has not joined: the bot decides for them)."""
        if self.phase != "deciding":
            return []
        return [n for n in self.humans
                if n not in self.decisions and (n in self.claimed or self.unclaimed == "wait")]

    def due(self, nation: str) -> bool:
        """Whether `nation`'s delegation may still decide (and so send messages) this turn."""
        return not self.closed and nation in self.waiting_for()

    def clock_left(self) -> float | None:
        return self.clock.left() if self.clock is not None and self.phase == "deciding" else None

    # ------------------------------------------------------------ called by the server thread

    def claim(self, nation: str) -> None:
        """A delegation has joined with its code (again, after a drop, is fine): one more open
        connection for its seat until `leave`."""
        with self.lock:
            self.claimed.add(nation)
            self.present[nation] = self.present.get(nation, 0) + 1
            if self.present[nation] == 1:  # one line on the host's terminal as a delegation comes
                joined = sum(1 for n in self.humans if self.present.get(n, 0) > 0)
                self._say(f"{self.scenario.nation(nation).name} joined ({joined} of {len(self.humans)} here).")
            self._changed()

    def leave(self, nation: str) -> None:
        """One of the seat's connections has closed; with none left the seat shows as away (it
        stays claimed: its delegation may come back with its code)."""
        with self.lock:
            self.present[nation] = max(self.present.get(nation, 0) - 1, 0)
            if not self.present[nation] and not self.stopping:  # ... and as it goes
                again = "" if self.game.over else "; it may rejoin with its code"
                self._say(f"{self.scenario.nation(nation).name} left{again}.")
            self._changed()

    def submit(self, nation: str, turn: int, option: str, note: str) -> str | None:
        """Take `nation`'s decision for `turn`; None, or why it is refused (the game is untouched)."""
        with self.lock:
            if nation not in self.humans:
                return "this seat does not decide"
            if turn != self.state.turn:
                return f"that decision was for turn {turn}; this is turn {self.state.turn}"
            if self.phase != "deciding" or self.closed:
                return "no decision is due now"
            if nation in self.decisions:
                return "your delegation has already decided this turn"
            if option not in {c.option.id for c in legal_options(self.scenario, self.state, nation) if c.ok}:
                return "that option is not open to your delegation now"
            self.decisions[nation] = Decision(nation, option, "human", note)
            self._changed()
            return None

    def send(self, nation: str, turn: int, message: Message) -> str | None:
        """Send `nation`'s message of the negotiation phase for `turn` through the Game (as a
        message typed at the table); None, or why it is refused (the game is untouched). Only
        while that delegation's decision is due. Nothing sent changes anyone's legal options (a
        costly signal's effects land when the turn is adjudicated): sealed choices stay sealed."""
        with self.lock:
            if nation not in self.humans or message.sender != nation:
                return "this seat sends no messages"
            if turn != self.state.turn:
                return f"that message was for turn {turn}; this is turn {self.state.turn}"
            if nation in self.decisions:  # (before the table closes on the last decision, too)
                return "your delegation has already decided this turn: messages go before the order"
            if self.phase != "deciding" or self.closed:
                return "messages are sent while your decision is due"
            if not self.due(nation):
                return "messages are sent while your decision is due"
            try:
                self.game.send(message)
            except IllegalMessage as err:
                return str(err)
            self._changed()
            return None

    # ------------------------------------------------------------ the White cell's console (wargame.serve.white_host)

    def show_board(self) -> None:
        """The whole board, as the White cell sees it, on the host's terminal (its `board` command)."""
        if self.out is None:
            return
        from wargame.serve.white import white_board

        with self.lock:
            board = white_board(self)
        self.out.print(board)

    # ------------------------------------------------------------ the game (host's main thread)

    def play(self) -> State:
        """Play until the game ends; Stopped when the server shuts down first."""
        with self.lock:
            if self.unclaimed == "wait" and self.humans:
                self._say(f"Waiting for {len(self.humans)} delegation(s) to join…")
            while self.unclaimed == "wait" and not set(self.humans) <= self.claimed and not self.game.over:
                self._wait()  # (the White cell's browser may act meanwhile, even end the game)
        return play(self.game, self.seats, [self])

    def stop(self) -> None:
        """Ask the game to stop at its next wait (from any thread)."""
        with self.lock:
            self.stopping = True
            self.lock.notify_all()

    def await_decision(self, view: NationView) -> Decision:
        """A seat's decision once the table is closed: every delegation due has decided, or the
        clock has run out (then no more messages or decisions are taken this turn). A delegation's
        own, else its nation's default when the clock ran out; the bot's for the computer's seats
        and (with --unclaimed bot) a seat nobody has joined."""
        nation = view.nation
        while True:
            with self.lock:
                while True:
                    if not self.closed:
                        self.timed_out = self.clock is not None and self.clock.left() <= 0
                        self.closed = self.timed_out or not self.waiting_for()
                    if self.closed:
                        return self._decision_of(nation)
                    self._wait()
                    if self._take_went_back():  # the White cell's browser undid this turn, or ended the game
                        raise TurnAbandoned()
                    if self._console_asked():
                        break
            self._white_cell_during_turn()  # the lock released: the delegations may go on deciding

    def _decision_of(self, nation: str) -> Decision:
        if nation in self.decisions:
            return self.decisions[nation]
        if nation in self.humans and self.timed_out and self.clock is not None:
            default = self.scenario.nation(nation).default
            return Decision(nation, default, "clock", f"timed out after {self.clock.seconds:g} seconds")
        view = view_for(self.game, nation)  # on the game as it now stands, keeping an exchange it agreed
        agreed = standing(self.scenario, view.state, nation, view.turn_messages(("offer",)))
        return self.bot.choose(view.state, nation, agreed.bound, agreed.partner)

    # the loop's observer

    def deciding(self, game: Game) -> None:
        with self.lock:
            self.went_back = False
            self.phase = "deciding"
            self.decisions, self.closed, self.timed_out = {}, False, False
            if self.clock is not None:
                self.clock.start()
            self._changed()
        if self.facilitator:
            self._say(f"{self.scenario.turn_label(game.turn)}: the delegations are deciding. "
                      "Type f and Enter here for the White cell.")

    def turn_done(self, game: Game) -> None:
        self._show_board()

    def abandoned(self, game: Game) -> None:
        with self.lock:
            self.decisions, self.closed, self.timed_out = {}, False, False
            self.phase = "over" if game.over else "between"
            self._changed()

    # inside

    def _heard(self, game: Game, events: list[Event]) -> None:
        """The game's listener: publish the new state and what the board explains."""
        with self.lock:
            self.state = game.state
            if any(e.kind == "turn_start" for e in events):
                self.board_events = []
            if any(e.kind == "facilitator" and e.data.get("action") == "undo" for e in events):
                self.board_events, self.reveal, self.decisions, self.last_turn = [], [], {}, []
            self.board_events += events
            if any(e.kind != "message" for e in events):
                self.situation += 1
            self.talk = _talk(self.talk, events)
            if any(e.kind == "turn_end" for e in events):  # adjudicated: the orders are revealed together
                self.reveal = [e for e in self.board_events if e.kind == "decision"]
                self.last_turn = list(self.board_events)
                self.decisions = {}
                self.phase = "over" if game.over else "between"
            self._changed()

    def _wait(self) -> None:
        """Wait (the lock held) for a change, the clock or a tick; meanwhile the White cell's
        browser may act (`idle`)."""
        running = self.clock is not None and self.clock.running and self.phase == "deciding"
        self.idle = True
        self.lock.notify_all()  # a White cell command may be waiting for the game to stand still
        try:
            self.lock.wait(min(TICK, max(self.clock.left(), 0.01)) if running and self.clock is not None else TICK)
        finally:
            self.idle = False
        if self.stopping:
            raise Stopped()

    def _show_board(self) -> None:
        if self.out is None:
            return
        from wargame.serve.view import room_board

        with self.lock:
            board = room_board(self)
        self.out.print(board)

    def _say(self, *lines: str) -> None:
        if self.out is not None:
            for line in lines:
                self.out.print(escape(line))

    def _changed(self) -> None:
        self.version += 1
        self.lock.notify_all()
        self.on_change()


def _talk(talk: list[Event], events: list[Event]) -> list[Event]:
    """The messages of the game as it stands: `talk` with the `message` events of `events`; an
    undo back to turn K drops the messages of turn K and later (the state went back before them)."""
    if not any(e.kind == "message" or is_undo(e) for e in events):
        return talk
    out = list(talk)
    for event in events:
        if event.kind == "message":
            out.append(event)
        elif is_undo(event) and isinstance(event.data.get("to_turn"), int):
            out = [e for e in out if e.turn < event.data["to_turn"]]
    return out
