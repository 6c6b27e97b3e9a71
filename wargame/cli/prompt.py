"""Asking a person a question: the prompt goes to the terminal, never into the data on stdout,
and the answer is read with the standard library's line editing (readline) where it exists.

The readline history holds the answers given in this run (this game): no history file is read
or written. Standard input that is closed, at its end or not a terminal is handled here too:
`read_answer` raises EOFError, which every caller treats as "no more answers".

A Ctrl-C is never lost at a question: CPython's readline (and a plain blocking read) misses a
SIGINT that lands after the prompt is drawn but before the read starts waiting for a key (the
signal is only noted, and nothing wakes the wait; the next key would). `ctrl_c_heard` ticks a
harmless timer while the question waits, so such a Ctrl-C is acted on within `TICK` seconds.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any

from rich.console import Console
from rich.markup import escape

TICK = 0.2  # seconds: the longest a Ctrl-C pressed just as a question appears waits to be acted on


class WargameConsole(Console):
    """A rich Console whose `input()` is `read_answer`: the prompt where the person sees it, the
    answer read with line editing; EOFError when standard input is closed or at its end."""

    def input(self, prompt: Any = "", *, markup: bool = True, emoji: bool = True, password: bool = False,
              stream: Any = None) -> str:
        return read_answer(self, str(prompt) if markup else escape(str(prompt)))


def stdin_is_terminal() -> bool:
    """Whether a person can be asked: standard input is open and is a terminal."""
    stream = sys.stdin
    try:
        return stream is not None and not stream.closed and stream.isatty()
    except (ValueError, OSError):
        return False


def _is_tty(stream: object) -> bool:
    try:
        return bool(stream is not None and stream.isatty())  # type: ignore[attr-defined]
    except (ValueError, OSError):
        return False


def on_terminal(out: Console) -> Console:
    """The console to talk to a person through: `out` when it is the terminal, else the standard
    error console when that is (stdout sent to a file keeps only the data)."""
    if out.is_terminal or not _is_tty(sys.stderr):
        return out
    from wargame.cli.output import err_console

    return err_console()


def _line_editing() -> bool:
    """Load readline (arrow keys, history) if this Python has it."""
    try:
        import readline  # noqa: F401  (importing it is what turns line editing on for input())
    except ImportError:
        return False
    return True


def _rendered(out: Console, prompt: str) -> str:
    """The prompt (rich markup) as the terminal shows it, with its escape sequences marked for
    readline so the cursor stays where the text ends."""
    with out.capture() as captured:
        out.print(prompt, end="")
    text = captured.get()
    if "\x1b" not in text:
        return text
    import re

    return re.sub(r"(\x1b\[[0-9;]*m)", "\x01\\1\x02", text)


@contextlib.contextmanager
def _stdout_on_stderr() -> Iterator[None]:
    """input() edits a line only when stdout is a terminal; with stdout sent elsewhere, point it
    at the terminal on stderr for the length of one question."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _tick(signum: int, frame: object) -> None:
    """SIGALRM while a question waits: nothing to do; waking the wait lets Python act on a
    Ctrl-C it noted but had not yet raised."""


@contextlib.contextmanager
def ctrl_c_heard(*, readline: bool) -> Iterator[None]:
    """For the length of a blocking read of the terminal: an interval timer (SIGALRM every TICK
    seconds, a handler that does nothing) interrupts the wait, so a SIGINT noted just before the
    wait began raises KeyboardInterrupt at once instead of when the next key comes.

    `readline`: the read is GNU readline's, whose wait is a select() (always interrupted by a
    signal) and whose writes to the terminal must not be cut short: the tick restarts other
    system calls (SA_RESTART). Otherwise it is a plain read, which the tick interrupts (Python
    retries it after running the signal handlers). Nothing is done off the main thread, where
    SIGINT is not handled by Python, or when SIGALRM or the real-time interval timer are
    already in use; both are put back afterwards."""
    usable = (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
              and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
              and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0))
    if not usable:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _tick)
    try:
        signal.siginterrupt(signal.SIGALRM, not readline)
        signal.setitimer(signal.ITIMER_REAL, TICK, TICK)
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0, 0)
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)


def read_answer(out: Console, prompt: str) -> str:
    """Show `prompt` (rich markup) on the terminal and read one line. EOFError when standard
    input is closed or at its end."""
    stdin = sys.stdin
    if stdin is None or stdin.closed:
        raise EOFError
    terminal = on_terminal(out)
    if stdin_is_terminal():
        if _is_tty(sys.stdout) and _line_editing():
            text = _rendered(terminal, prompt)
            with ctrl_c_heard(readline=True):
                return input(text)
        if _is_tty(sys.stderr):
            text = _rendered(terminal, prompt)
            with _stdout_on_stderr():  # readline, loaded here, writes its set-up to the terminal too
                if _line_editing():
                    with ctrl_c_heard(readline=True):
                        return input(text)
    terminal.print(prompt, end="")
    terminal.file.flush()
    with ctrl_c_heard(readline=False):
        line = stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\r\n")
