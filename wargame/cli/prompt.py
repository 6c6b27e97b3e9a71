"""Asking a person a question: the prompt goes to the terminal, never into the data on stdout,
and the answer is read with the standard library's line editing (readline) where it exists.

The readline history holds the answers given in this run (this game): no history file is read
or written. Standard input that is closed, at its end or not a terminal is handled here too:
`read_answer` raises EOFError, which every caller treats as "no more answers".
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any

from rich.console import Console
from rich.markup import escape


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


def read_answer(out: Console, prompt: str) -> str:
    """Show `prompt` (rich markup) on the terminal and read one line. EOFError when standard
    input is closed or at its end."""
    stdin = sys.stdin
    if stdin is None or stdin.closed:
        raise EOFError
    terminal = on_terminal(out)
    if stdin_is_terminal():
        if _is_tty(sys.stdout) and _line_editing():
            return input(_rendered(terminal, prompt))
        if _is_tty(sys.stderr):
            text = _rendered(terminal, prompt)
            with _stdout_on_stderr():  # readline, loaded here, writes its set-up to the terminal too
                if _line_editing():
                    return input(text)
    terminal.print(prompt, end="")
    terminal.file.flush()
    line = stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\r\n")
