"""The decision clock (`--clock SECONDS`) and reading a line against it.

Commitment "in real time" is the scenario's theme; the clock makes a delegation feel it. When a
seat's time runs out, its nation's default (hold) option is taken and recorded as timed out.
The facilitator can pause and restart it. Only a real terminal is ever timed.
"""

from __future__ import annotations

import select
import sys
import time
from collections.abc import Callable

from rich.console import Console
from rich.markup import escape

WARN_EVERY = 15.0  # seconds between reminders of the time left


class Clock:
    """A countdown per seat. Time does not run while the facilitator has paused it, nor while the
    White cell console is open (held) — two separate reasons, so closing the console does not
    undo the facilitator's pause."""

    def __init__(self, seconds: float, now: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.now = now
        self.paused = False
        self.held = False
        self._left = seconds
        self._since: float | None = None

    @property
    def running(self) -> bool:
        return not self.paused and not self.held

    def start(self) -> None:
        """A new seat's turn to decide: the full time again."""
        self._left = self.seconds
        self._since = self.now() if self.running else None

    def left(self) -> float:
        if self._since is None:
            return self._left
        return max(self._left - (self.now() - self._since), 0.0)

    def _stop(self) -> None:
        self._left, self._since = self.left(), None

    def _go(self) -> None:
        if self.running and self._since is None:
            self._since = self.now()

    def pause(self) -> None:
        self._stop()
        self.paused = True

    def resume(self) -> None:
        self.paused = False
        self._go()

    def hold(self) -> None:
        self._stop()
        self.held = True

    def release(self) -> None:
        self.held = False
        self._go()


class TimedOut(Exception):
    """The seat's time ran out."""


SAVE, RESTORE, UP, CLEAR_LINE = "\x1b7", "\x1b8", "\x1b[1A", "\r\x1b[2K"


def clock_line(clock: Clock) -> str:
    """"45 seconds left", or "clock paused (45 seconds left)": a paused clock says so."""
    left = f"{clock.left():.0f} seconds left"
    if clock.paused:
        return f"clock paused by the White cell ({left})"
    if clock.held:
        return f"clock held ({left})"
    return left


def read_line(console: Console, prompt: str, clock: Clock | None) -> str:
    """Read one line; with a running clock, raise TimedOut when it runs out. EOFError when input ends.

    With a clock, a line above the prompt tells the time left (or that the clock is paused); every
    WARN_EVERY seconds that line is rewritten in place, so what the person has typed so far stays
    where it is on the prompt line."""
    if clock is None:
        return console.input(prompt)
    from wargame.cli.prompt import on_terminal

    console = on_terminal(console)
    console.print(f"[bold]⏱ {escape(clock_line(clock))}[/bold]")
    if not clock.running:
        return console.input(prompt)
    console.print(prompt, end="")
    next_warning = clock.left() - WARN_EVERY
    while True:
        left = clock.left()
        if left <= 0:
            console.print()
            raise TimedOut()
        ready, _, _ = select.select([sys.stdin], [], [], min(left, 1.0))
        if ready:
            line = sys.stdin.readline()
            if not line:
                raise EOFError
            return line.rstrip("\n")
        if clock.left() <= next_warning:
            next_warning -= WARN_EVERY
            if console.is_terminal:  # rewrite the line above; the cursor and the typed text stay put
                console.file.write(f"{SAVE}{UP}{CLEAR_LINE}⏱ {clock_line(clock)}{RESTORE}")
                console.file.flush()
