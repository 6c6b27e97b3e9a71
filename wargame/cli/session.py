"""A game at the terminal: the board, sealed hot-seat, the White cell and the clock, as an
observer of the one session loop (wargame.game.session.play) and a listener of the Game.

Boards: with people at the keyboard there is one board a turn, before they decide (last turn's
decisions and results, this turn's injects); with several delegations (sealed hot-seat) the
orders are also revealed together on a board once all have decided; a game the computer plays
alone shows a board after each turn. Every game ends on its final board.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from wargame.cli.output import printable
from wargame.engine.events import Decision, Event
from wargame.engine.state import State
from wargame.game.game import Game
from wargame.game.session import Observer, TurnAbandoned
from wargame.game.views import NationView, public_event, view_for
from wargame.players.clock import Clock
from wargame.players.human import ConsoleRequested, Quit, ask
from wargame.players.white_cell import GameHost, run_console
from wargame.scenario.scenario import Scenario
from wargame.view.common import event_words
from wargame.view.words import clocked, reveal_headline

WIPE = "\x1b[3J\x1b[2J\x1b[H"  # clear the screen and the scrollback: a sealed order must not scroll back into view


class TerminalTable(GameHost, Observer):
    """The table around one game at one terminal: what is shown, the keyboard passed between
    delegations, the White cell console (it is the console's host) and the decision clock."""

    def __init__(self, out: Console, game: Game, humans: list[str], *, facilitator: bool = False,
                 clock: Clock | None = None, log: Path | None = None) -> None:
        self.out = out
        self.game = game
        self.humans = humans
        self.facilitator = facilitator
        self.clock = clock
        self.log = log
        self.shown: list[Event] = []  # events since the last board: what the next board explains
        self.briefed: set[str] = set()
        self.ending: Event | None = None
        self.notice = ""  # said at the next hand-over: a delegation that ran out of time
        self._replies: list[str] = []  # the answers to the message a delegation just sent
        game.listeners.append(self._heard)

    # ------------------------------------------------------------ the White cell's host

    @property
    def scenario(self) -> Scenario:
        return self.game.scenario

    @property
    def state(self) -> State:
        return self.game.state

    @property
    def sealed(self) -> bool:
        """Several delegations share the keyboard: nobody sees another's choice or brief."""
        return len(self.humans) >= 2

    def act(self, action: Mapping[str, Any]) -> None:
        """Carry out (and so record) one facilitator action."""
        taken = self.game.last_action
        events = self.game.facilitate(action)
        if action.get("last_action") is True and taken is not None and taken in self.shown:
            self.shown = self.shown[: self.shown.index(taken)] + events  # the board leaves out what was taken back
        for event in events:
            self.out.print(f"  {escape(event_words(self.scenario, event))}")
        kind = action["action"]
        if kind == "clock" and self.clock is not None:
            (self.clock.pause if action["paused"] else self.clock.resume)()
        if kind == "undo" and action.get("last_action") is not True:  # an action alone: the turn stands
            self.shown = list(events)
            raise TurnAbandoned()

    # ------------------------------------------------------------ the loop's observer

    def _heard(self, game: Game, events: list[Event]) -> None:
        self.shown += events
        self.ending = next((e for e in events if e.kind == "game_end"), self.ending)

    def between_turns(self, game: Game) -> bool:
        if not self.facilitator:
            return False
        went_back = self._console(f"Before {self.scenario.turn_label(self.state.turn + 1)}")
        if went_back:
            self._back()
        return went_back

    def deciding(self, game: Game) -> None:
        if self.humans and not self.sealed:
            self._board_for(view_for(game, self.humans[0]))  # last turn's results, White cell, this turn
            self.shown = []

    def turn_done(self, game: Game) -> None:
        if self.sealed and not self.state.ended:
            self._wipe()
            label = self.scenario.turn_label(game.state.turn)
            self.out.print(Text(reveal_headline(label, clocked(self.scenario, game.history)), style="bold"))
            self._board()
            try:  # the reveal stays up until someone moves on
                self.out.input("[bold]Press Enter when every delegation has seen the orders.[/bold] ")
            except EOFError:
                raise Quit() from None
        elif not self.humans and not self.state.ended:
            self._board()

    def abandoned(self, game: Game) -> None:
        if not self.state.ended:
            self._back()

    def game_over(self, game: Game) -> bool:
        self._board()
        if not self.facilitator:
            return False
        went_back = self._console("The game is over — undo plays on")
        if went_back:
            self._back()
        return went_back or not self.state.ended  # the ending itself may have been taken back

    def finished(self, game: Game) -> None:
        self.out.print(escape(self.ending_line()))

    def ending_line(self) -> str:
        """How the game ended, and where its record is: the last line a game prints."""
        state = self.state
        title = str(self.ending.data.get("title") or self.ending.text) if self.ending is not None else None
        if title is None:
            title = next((o.title for o in self.scenario.outcomes if o.id == state.outcome), None)
        ending = f"Game over after {self.scenario.turn_label(state.turn)}: {title or 'no outcome'}."
        if self.log is not None:
            log = printable(str(self.log))
            ending += f" The record is in {log}; `wargame replay {log}` shows it again."
        return ending

    # ------------------------------------------------------------ the screen

    def _board(self) -> None:
        """Show the board with what happened since the last one."""
        from wargame.view.board import render_board

        if self.shown:
            shown = [public_event(self.scenario, e) for e in self.shown] if self.sealed else self.shown
            self.out.print(render_board(self.scenario, self.state, shown))  # sealed: the whole table sees it
        self.shown = []

    def _back(self) -> None:
        self.out.print(f"[bold]Back to the start of {escape(self.scenario.turn_label(self.state.turn + 1))}.[/bold]")

    def _console(self, where: str) -> bool:
        """Open the White cell; True when it went back in time."""
        try:
            run_console(self.out, self, where=where)
        except TurnAbandoned:
            return True
        return False

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
            raise TurnAbandoned()

    def _board_for(self, view: NationView) -> None:
        """The board a delegation sees while deciding, from its own view: last turn's decisions and
        results, the White cell's actions since, this turn's injects — the same each time it is drawn."""
        from wargame.view.board import render_board
        from wargame.view.situation import the_moment

        self.out.print(render_board(self.scenario, view.state, the_moment(view.events), nation=view.nation))

    def show_board(self) -> None:
        """The White cell's board: everything, nothing hidden, as of this moment."""
        from wargame.view.board import render_board
        from wargame.view.situation import the_moment

        self.out.print(render_board(self.scenario, self.state, the_moment(self.game.history)))

    def ask(self, view: NationView) -> Decision:
        """A delegation at the keyboard decides (the HumanSeat's question)."""
        nation = self.scenario.nation(view.nation)
        if self.sealed:
            self._pass_to(nation.name)
            self._wipe()
            self._board_for(view)
            if view.nation not in self.briefed:
                self.briefed.add(view.nation)
                self.out.print(Panel(escape(view.private_brief), title=f"Private brief — {escape(nation.name)}",
                                     title_align="left"))
        if self.clock is not None:
            self.clock.start()

        def again() -> None:  # the board as it is now (a White cell comment may have come in)
            self._board_for(view_for(self.game, view.nation))

        while True:
            try:
                decision = ask(self.out, self.scenario, view.state, view.nation, clock=self.clock,
                               facilitator=self.facilitator, show_board=again,
                               send=lambda line: self._send(view.nation, line),
                               replies=lambda: self._replies)
                break
            except ConsoleRequested:
                self._white_cell()
        if decision.by == "clock":
            self.notice = f"{nation.name}'s time ran out: it held."
            if self.sealed:  # told before the screen is cleared for the next delegation
                try:
                    self.out.input("[bold]Press Enter to pass the keyboard on.[/bold] ")
                except EOFError:
                    raise Quit() from None
        if self.sealed:
            self._wipe()
        return decision

    def _send(self, nation: str, line: str) -> str | None:
        """A message typed at a delegation's prompt, sent now, before its order (None), or what is
        wrong with it. The answers that came at once (a bot answers an offer) wait in `_replies`."""
        from wargame.engine.negotiation import IllegalMessage
        from wargame.errors import UsageError
        from wargame.players.script import parse_message

        start = len(self.game.history)
        self._replies = []
        try:
            self.game.send(parse_message(self.scenario, self.state.turn, nation, line))
        except (UsageError, IllegalMessage) as err:
            return str(err)
        self._replies = [f"Reply: {e.text}" for e in self.game.history[start + 1:]  # answers addressed to it
                         if e.kind == "message" and nation in (e.data.get("to") or ())]
        return None

    def _wipe(self) -> None:
        if self.out.is_terminal:
            self.out.file.write(WIPE)
            self.out.file.flush()
        else:
            self.out.clear()

    def _pass_to(self, name: str) -> None:
        """The only thing on screen while the keyboard changes hands."""
        hint = " (or f for the White cell)" if self.facilitator else ""
        notice, self.notice = self.notice, ""
        while True:
            self._wipe()
            if notice:
                self.out.print(f"[bold]{escape(notice)}[/bold]")
            self.out.print(Panel(f"[bold]Pass to {escape(name)}[/bold] — press Enter{hint}", expand=False))
            try:
                answer = self.out.input("").strip().lower()
            except EOFError:
                raise Quit() from None
            if answer in ("f", "!") and self.facilitator:
                self._white_cell()
                continue
            return
