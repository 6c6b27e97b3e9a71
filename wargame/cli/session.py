"""A game at the table: seats, sealed hot-seat, the White cell, the clock, the board, the log.

The session drives the same Executor that replays a record (wargame.record.replay), so a game
played here and the same game replayed from its record go through one code path; every
facilitator action goes through the engine and into the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from wargame.engine.events import Decision, Event
from wargame.engine.facilitator import FacilitatorError, check
from wargame.engine.state import State
from wargame.players.bot import Bot
from wargame.players.clock import Clock
from wargame.players.human import ConsoleRequested, Quit, ask
from wargame.players.script import Script
from wargame.players.white_cell import run_console
from wargame.record.log import LogWriter
from wargame.record.replay import Executor
from wargame.scenario.scenario import Scenario


class Restart(Exception):
    """The facilitator went back in time: the turn in progress is abandoned."""


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
        self.buffer: list[Event] = []  # events since the last whole turn, written when it closes
        self.shown: list[Event] = []  # events since the last board: what the next board explains
        self.in_turn = False
        self.briefed: set[str] = set()

    # ------------------------------------------------------------ the White cell's host

    @property
    def state(self) -> State:
        return self.run.state

    @property
    def has_clock(self) -> bool:
        return self.clock is not None

    @property
    def sealed(self) -> bool:
        """Several delegations share the keyboard: nobody sees another's choice or brief."""
        return sum(1 for s in self.seats.values() if s == "human") >= 2

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
            self.in_turn = False
            self.shown = list(events)
            raise Restart()

    # ------------------------------------------------------------ the game

    def play(self) -> State:
        """Play until the game ends (and the facilitator, if any, lets it)."""
        from wargame.view.board import render_board

        while True:
            try:
                if self.state.ended:
                    if not self.facilitator:
                        break
                    if not self._console("The game is over — undo to play on, or Enter to finish"):
                        break
                    self._back()
                    continue
                if self.facilitator:
                    if self._console(f"Before {self.scenario.turn_label(self.state.turn + 1)}"):
                        self._back()
                        continue
                    if self.state.ended:  # the facilitator ended the game
                        self.out.print(render_board(self.scenario, self.state, self.shown))
                        self.shown = []
                        continue
                opening = self.run.begin()
                self.in_turn = True
                self._record(opening)
                decisions = self._decide()
                closing = self.run.resolve(decisions)
                self.in_turn = False
                self._record(closing)
                if self.sealed:
                    self.out.clear()
                    self.out.print("[bold]Every delegation has decided. The orders are revealed together:[/bold]")
                self.out.print(render_board(self.scenario, self.state, self.shown))
                self.shown = []
            except Restart:
                self.in_turn = False
                if self.state.ended:  # the facilitator ended the game during a turn
                    self.out.print(render_board(self.scenario, self.state, self.shown))
                    self.shown = []
                else:
                    self._back()
                continue
        self._goodbye()
        return self.state

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
        """Keep events until their turn is whole, then write them: a crash loses at most the
        turn in progress."""
        self.buffer += events
        self.shown += events
        if any(e.kind in ("turn_end", "game_end") for e in events):
            if self.writer is not None:
                self.writer.turn(self.buffer)
            self.buffer = []

    def _decide(self) -> dict[str, Decision]:
        from wargame.view.board import render_board

        if "human" in self.seats.values() and not self.sealed:
            self.out.print(render_board(self.scenario, self.state, self.shown))
        decisions: dict[str, Decision] = {}
        for nation in self.scenario.nations:
            seat = self.seats[nation.id]
            if seat == "human":
                decisions[nation.id] = self._ask_human(nation.id)
            elif seat == "script":
                assert self.plan is not None
                decisions[nation.id] = self.plan.decision(self.state.turn, nation.id)
            else:
                decisions[nation.id] = self.bot.choose(self.state, nation.id)
        return decisions

    def _white_cell(self) -> None:
        """The console during a turn, with the clock stopped meanwhile."""
        running = self.clock is not None and not self.clock.paused
        if running:
            assert self.clock is not None
            self.clock.pause()
        try:
            run_console(self.out, self, where=f"During {self.scenario.turn_label(self.state.turn)}")
        finally:
            if running and self.clock is not None and self.clock.paused:
                self.clock.resume()
        if self.state.ended:
            raise Restart()

    def _ask_human(self, nation_id: str) -> Decision:
        from wargame.view.board import render_board

        nation = self.scenario.nation(nation_id)
        if self.sealed:
            self._pass_to(nation.name)
            self.out.clear()
            self.out.print(render_board(self.scenario, self.state, self.shown))
            if nation_id not in self.briefed:
                self.briefed.add(nation_id)
                self.out.print(Panel(escape(nation.private_brief), title=f"Private brief — {escape(nation.name)}",
                                     title_align="left"))
        if self.clock is not None:
            self.clock.start()
        while True:
            try:
                decision = ask(self.out, self.scenario, self.state, nation_id, clock=self.clock,
                               facilitator=self.facilitator)
                break
            except ConsoleRequested:
                self._white_cell()
        if self.sealed:
            self.out.clear()
        return decision

    def _pass_to(self, name: str) -> None:
        """The only thing on screen while the keyboard changes hands."""
        self.out.clear()
        hint = " (or f for the White cell)" if self.facilitator else ""
        self.out.print(Panel(f"[bold]Pass to {escape(name)}[/bold] — press Enter{hint}", expand=False))
        while True:
            try:
                answer = self.out.input("").strip().lower()
            except EOFError:
                raise Quit() from None
            if answer in ("f", "!") and self.facilitator:
                self._white_cell()
                self.out.clear()
                self.out.print(Panel(f"[bold]Pass to {escape(name)}[/bold] — press Enter{hint}", expand=False))
                continue
            return

    def _goodbye(self) -> None:
        state = self.state
        outcome = next((o.title for o in self.scenario.outcomes if o.id == state.outcome), None)
        if outcome is None and state.outcome is not None:
            outcome = "the facilitator's ruling"
        ending = f"Game over after {self.scenario.turn_label(state.turn)}: {outcome or 'no outcome'}."
        if self.writer is not None:
            ending += f" The record is in {self.writer.path}; `wargame replay {self.writer.path}` shows it again."
        self.out.print(escape(ending))


__all__ = ["FacilitatorError", "Restart", "Session"]
