"""The White cell's side of the served game (wargame.serve.host.ServedGame): the host protocol
its console (wargame.players.white_cell) and its browser (wargame.serve.white) act through, and
its moments between turns.

On the host's terminal (--facilitator at a terminal) the console opens there and the game waits
for Enter; otherwise, with a facilitator code, the game waits for the White cell's browser
(`hold`, on unless it is switched off there) until it says `go` — before each turn, and once the
game is over (an undo there plays on). While the delegations decide, the host may type f and
Enter for the console; the decision clock stands still meanwhile.

Everything here runs on the ServedGame it is mixed into, under that game's one lock.
"""

from __future__ import annotations

import select
import sys
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from rich.console import Console

from wargame.engine.events import Event
from wargame.engine.state import State
from wargame.game.game import Game
from wargame.game.session import Observer, TurnAbandoned
from wargame.players.clock import Clock
from wargame.players.white_cell import GameHost
from wargame.scenario.scenario import Scenario
from wargame.view.common import event_words

if TYPE_CHECKING:
    from wargame.serve.host import Phase


class WhiteCellHost(GameHost, Observer):
    """The White cell's commands and holds, mixed into ServedGame (which sets these attributes)."""

    game: Game
    scenario: Scenario
    state: State
    lock: threading.Condition
    clock: Clock | None
    out: Console | None
    facilitator: bool
    phase: Phase
    idle: bool
    went_back: bool
    hold: bool
    holding: str | None
    console_at: str | None
    go: bool
    on_hold: Callable[[str], None]

    if TYPE_CHECKING:  # ServedGame's own

        def _changed(self) -> None: ...

        def _say(self, *lines: str) -> None: ...

        def _wait(self) -> None: ...

        def show_board(self) -> None: ...

    @property
    def console_here(self) -> bool:
        """Whether the White cell's console is on the host's terminal."""
        return self.facilitator and self.out is not None

    # ------------------------------------------------------------ the host protocol (wargame.players.white_cell.Host)

    def act(self, action: Mapping[str, Any]) -> None:
        """Carry out (and so record) one facilitator action from the host's console; an undo to a
        turn's start leaves the console (TurnAbandoned)."""
        self.carry_out(action)
        if action["action"] == "undo" and action.get("last_action") is not True:
            raise TurnAbandoned()

    def carry_out(self, action: Mapping[str, Any]) -> list[Event]:
        """Carry out (and so record) one facilitator action, from the console or a browser: the
        events it gave. WargameError (the game untouched) when it cannot be done now."""
        with self.lock:
            events = self.game.facilitate(action)
            if action["action"] == "clock" and self.clock is not None:
                (self.clock.pause if action["paused"] else self.clock.resume)()
            self._changed()
        self._say(*(f"  {event_words(self.scenario, e)}" for e in events))
        return events

    # the loop's observer: the White cell's moments

    def between_turns(self, game: Game) -> bool:
        where = f"Before {self.scenario.turn_label(self.state.turn + 1)}"
        if self.console_here:
            with self.lock:  # every seat may have joined: the game now waits for the White cell
                self.phase = "over" if game.over else "between"
                self.console_at = where
                self._changed()
            try:
                went_back = self._console(where)
            finally:
                with self.lock:
                    self.console_at = None
                    self._changed()
            with self.lock:
                return self._take_went_back() or went_back
        with self.lock:
            if not self.hold:
                return False
            self.phase = "between"
            self.holding, self.go = where, False
            self._changed()
            self.on_hold(where)
            try:
                while self.hold and not self.go:
                    self._wait()
                    if self._take_went_back() or game.over:
                        return True
            finally:
                self.holding = None
                self._changed()
        return False

    def game_over(self, game: Game) -> bool:
        """With the White cell in a browser (and `hold` on), wait for it to close the game; an
        undo there plays on."""
        with self.lock:
            self.phase = "over"
            if self.hold:
                self.holding, self.go = "The game is over — an undo plays on", False
            self._changed()
            if self.hold:
                self.on_hold("The game is over")
            if not self.hold:
                return False
            try:
                while self.hold and not self.go and game.over:
                    self._wait()
            finally:
                self.holding, self.went_back = None, False
                if not game.over:
                    self.phase = "between"
                self._changed()
            return not game.over

    # inside

    def _take_went_back(self) -> bool:
        """Whether the White cell's browser went back in time or ended the game since asked last."""
        went_back, self.went_back = self.went_back, False
        return went_back

    def _console_asked(self) -> bool:
        """Whether the host typed f (and Enter) while the delegations decide."""
        if not self.facilitator or self.out is None or self.phase != "deciding":
            return False
        ready, _, _ = select.select([sys.stdin], [], [], 0)
        if not ready:
            return False
        line = sys.stdin.readline().strip().lower()
        if line in ("f", "!"):
            return True
        if line:
            self._say("Type f and Enter for the White cell; the delegations decide on their own screens.")
        return False

    def _white_cell_during_turn(self) -> None:
        """The console while the delegations decide; the decision clock stands still meanwhile. An
        undo or an ending there abandons the turn (wargame.game.session.TurnAbandoned)."""
        if self.clock is not None:
            with self.lock:
                self.clock.hold()
                self._changed()
        try:
            went_back = self._console(f"During {self.scenario.turn_label(self.state.turn)}")
        finally:
            if self.clock is not None:
                with self.lock:
                    self.clock.release()
                    self._changed()
        with self.lock:
            went_back = self._take_went_back() or went_back
        if went_back or self.game.over:
            raise TurnAbandoned()

    def _console(self, where: str) -> bool:
        """Open the White cell on the host's terminal; True when it went back in time."""
        from wargame.players.white_cell import run_console

        assert self.out is not None
        with self.lock:
            self.idle = True  # the browser may act too: every action is taken under the lock
            self.lock.notify_all()
        try:
            run_console(self.out, self, where=where)
        except TurnAbandoned:
            return True
        finally:
            with self.lock:
                self.idle = False
        return False
