"""A game at the table: seats, sealed hot-seat, the White cell, the clock, the board, the log.

The session drives the same Executor that replays a record (wargame.record.replay), so a game
played here and the same game replayed from its record go through one code path; every
facilitator action goes through the engine and into the record.

Boards: with people at the keyboard there is one board a turn, before they decide (last turn's
decisions and results, this turn's injects); with several delegations (sealed hot-seat) the
orders are also revealed together on a board once all have decided; a game the computer plays
alone shows a board after each turn. Every game ends on its final board.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from wargame.engine.events import Decision, Event
from wargame.engine.facilitator import check
from wargame.engine.state import State
from wargame.players.bot import Bot
from wargame.players.clock import Clock
from wargame.players.human import ConsoleRequested, Quit, ask
from wargame.players.script import Script
from wargame.players.white_cell import run_console
from wargame.record.log import LogWriter
from wargame.record.replay import Executor
from wargame.scenario.scenario import Scenario

WIPE = "\x1b[3J\x1b[2J\x1b[H"  # clear the screen and the scrollback: a sealed order must not scroll back into view


class Restart(Exception):
    """The facilitator went back in time, or ended the game: the turn in progress is abandoned."""


class Session:
    """One game being played from the state `run` is in."""

    def __init__(self, out: Console, scenario: Scenario, run: Executor, seats: Mapping[str, str], *,
                 plan: Script | None = None, writer: LogWriter | None = None, facilitator: bool = False,
                 clock: Clock | None = None) -> None:
        self.out = out
        self.scenario = scenario
        self.run = run
        self.seats = dict(seats)
        self.plan = plan
        self.writer = writer
        self.facilitator = facilitator
        self.clock = clock
        self.bot = Bot(scenario)
        self.buffer: list[Event] = []  # events of the turn in progress, written when it is whole
        self.shown: list[Event] = []  # events since the last board: what the next board explains
        self.briefed: set[str] = set()
        self.ending: Event | None = None

    # ------------------------------------------------------------ the White cell's host

    @property
    def state(self) -> State:
        return self.run.state

    @property
    def has_clock(self) -> bool:
        return self.clock is not None

    @property
    def humans(self) -> list[str]:
        return [n for n, seat in self.seats.items() if seat == "human"]

    @property
    def sealed(self) -> bool:
        """Several delegations share the keyboard: nobody sees another's choice or brief."""
        return len(self.humans) >= 2

    def undo_targets(self) -> list[int]:
        turn = self.state.turn
        return [k for k in (turn, turn - 1) if k in self.run.starts]

    def act(self, action: Mapping[str, Any]) -> None:
        """Carry out and record one facilitator action."""
        check(self.scenario, self.state, action)
        events = self.run.facilitate(action)
        self._record(events)
        for event in events:
            self.out.print(f"  {escape(event.text)}")
        kind = action["action"]
        if kind == "clock" and self.clock is not None:
            (self.clock.pause if action["paused"] else self.clock.resume)()
        if kind == "undo":
            self.shown = list(events)
            raise Restart()

    # ------------------------------------------------------------ the game

    def play(self) -> State:
        """Play until the game ends (and the facilitator, if any, lets it)."""
        while True:
            try:
                if self.state.ended:
                    self._board()
                    if not self.facilitator or not self._console("The game is over — undo plays on"):
                        break
                    self._back()
                    continue
                if self.facilitator and self._console(f"Before {self.scenario.turn_label(self.state.turn + 1)}"):
                    self._back()
                    continue
                if self.state.ended:  # the facilitator ended the game
                    continue
                self._record(self.run.begin())
                decisions = self._decide()
                self._record(self.run.resolve(decisions))
                if self.sealed and not self.state.ended:
                    self._wipe()
                    self.out.print("[bold]Every delegation has decided. The orders are revealed together:[/bold]")
                    self._board()
                elif not self.humans and not self.state.ended:
                    self._board()
            except Restart:
                if not self.state.ended:
                    self._back()
        self._goodbye()
        return self.state

    def _board(self) -> None:
        """Show the board with what happened since the last one."""
        from wargame.view.board import render_board

        if self.shown:
            self.out.print(render_board(self.scenario, self.state, self.shown))
        self.shown = []

    def _back(self) -> None:
        self.out.print(f"[bold]Back to the start of {escape(self.scenario.turn_label(self.state.turn + 1))}.[/bold]")

    def _console(self, where: str) -> bool:
        """Open the White cell; True when it went back in time."""
        try:
            run_console(self.out, self, where=where)
        except Restart:
            return True
        return False

    def _record(self, events: list[Event]) -> None:
        """Write events as soon as they stand on their own: a whole turn, or a facilitator action
        between turns. A crash then loses at most the turn in progress."""
        self.buffer += events
        self.shown += events
        whole = any(e.kind in ("turn_end", "game_end") for e in events) or not self.state.in_turn
        if whole:
            if self.writer is not None:
                self.writer.turn(self.buffer)
            self.buffer = []
        self.ending = next((e for e in events if e.kind == "game_end"), self.ending)

    def _decide(self) -> dict[str, Decision]:
        if self.humans and not self.sealed:
            self._board()  # last turn's results and this turn's injects, before anyone decides
        decisions: dict[str, Decision] = {}
        for nation in self.scenario.nations:
            seat = self.seats[nation.id]
            if seat == "human":
                decisions[nation.id] = self._ask_human(nation.id)
            elif seat == "script" and self.plan is not None and self.plan.has(self.state.turn, nation.id):
                decisions[nation.id] = self.plan.decision(self.state.turn, nation.id)
            else:  # a computer seat, or a scripted one whose script says nothing for this turn
                decisions[nation.id] = self.bot.choose(self.state, nation.id)
        return decisions

    def _white_cell(self) -> None:
        """The console during a turn; the decision clock stands still meanwhile."""
        if self.clock is not None:
            self.clock.hold()
        try:
            run_console(self.out, self, where=f"During {self.scenario.turn_label(self.state.turn)}")
        finally:
            if self.clock is not None:
                self.clock.release()
        if self.state.ended:
            raise Restart()

    def _show_again(self, nation_id: str) -> None:
        from wargame.view.board import render_board

        self.out.print(render_board(self.scenario, self.state, self._public_events()))

    def _public_events(self) -> list[Event]:
        """This turn's events so far: what every delegation may see while deciding."""
        start = max((i for i, e in enumerate(self.buffer) if e.kind == "turn_start"), default=0)
        return self.buffer[start:]

    def _ask_human(self, nation_id: str) -> Decision:
        from wargame.view.board import render_board

        nation = self.scenario.nation(nation_id)
        if self.sealed:
            self._pass_to(nation.name)
            self._wipe()
            self.out.print(render_board(self.scenario, self.state, self._public_events()))
            if nation_id not in self.briefed:
                self.briefed.add(nation_id)
                self.out.print(Panel(escape(nation.private_brief), title=f"Private brief — {escape(nation.name)}",
                                     title_align="left"))
        if self.clock is not None:
            self.clock.start()
        while True:
            try:
                decision = ask(self.out, self.scenario, self.state, nation_id, clock=self.clock,
                               facilitator=self.facilitator, show_board=lambda: self._show_again(nation_id))
                break
            except ConsoleRequested:
                self._white_cell()
        if self.sealed:
            self._wipe()
        return decision

    def _wipe(self) -> None:
        if self.out.is_terminal:
            self.out.file.write(WIPE)
            self.out.file.flush()
        else:
            self.out.clear()

    def _pass_to(self, name: str) -> None:
        """The only thing on screen while the keyboard changes hands."""
        hint = " (or f for the White cell)" if self.facilitator else ""
        while True:
            self._wipe()
            self.out.print(Panel(f"[bold]Pass to {escape(name)}[/bold] — press Enter{hint}", expand=False))
            try:
                answer = self.out.input("").strip().lower()
            except EOFError:
                raise Quit() from None
            if answer in ("f", "!") and self.facilitator:
                self._white_cell()
                continue
            return

    def _goodbye(self) -> None:
        state = self.state
        title = str(self.ending.data.get("title") or self.ending.text) if self.ending is not None else None
        if title is None:
            title = next((o.title for o in self.scenario.outcomes if o.id == state.outcome), None)
        ending = f"Game over after {self.scenario.turn_label(state.turn)}: {title or 'no outcome'}."
        if self.writer is not None:
            ending += f" The record is in {self.writer.path}; `wargame replay {self.writer.path}` shows it again."
        self.out.print(escape(ending))
