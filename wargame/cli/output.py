"""wargame's output streams, in one place: the consoles (data to stdout, messages to stderr), a
reader that has gone away, a terminal that cannot show a character, a nonsense width, strings
from files made safe to print, and the pager.

`prepare_streams()` runs once, first thing in `main()`; the rest is called where output is made.
rich honours NO_COLOR, TERM=dumb, COLUMNS and non-terminal output (no colour codes, no
animation) by itself; nothing here overrides that.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from functools import cache
from typing import IO, TYPE_CHECKING, Any, NoReturn, TextIO

from wargame.text import escape_unsafe

if TYPE_CHECKING:  # rich is imported when something is printed, so `wargame --help` stays quick
    from rich.console import Console

# A reader that went away (`wargame show x | head -1`): a quiet end with the status a shell
# reports for a process killed by SIGPIPE (128 + 13), as git and coreutils give (ExitStatus.BROKEN_PIPE).
SIGPIPE_STATUS = 141


# A width beyond this is no terminal's (COLUMNS=99999999999 would make rich allocate it): capped.
MAX_SIZE = 1000


def _to_devnull(fd: int) -> None:
    """Point file descriptor `fd` at /dev/null, so later writes and flushes to it succeed unseen."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)


def broken_pipe() -> NoReturn:
    """End quietly because standard output's reader has gone: nothing more is written (later
    flushes go to /dev/null), and the exit status is SIGPIPE_STATUS."""
    _to_devnull(sys.__stdout__.fileno() if sys.__stdout__ is not None else 1)
    raise SystemExit(SIGPIPE_STATUS)


def _messages_lost() -> None:
    """Standard error cannot be written (its reader has gone, `2>&1 | true`): the messages are
    dropped, and the command goes on to end with the status it would have had."""
    _to_devnull(sys.__stderr__.fileno() if sys.__stderr__ is not None else 2)


class _Guarded(io.TextIOBase):
    """A text stream in front of stdout or stderr: every output path (print, typer.echo, json,
    rich) writes through it. A closed pipe on stdout ends the program quietly; on stderr the
    messages are dropped and the status stays the command's own. In this one place."""

    def __init__(self, stream: TextIO, messages: bool = False) -> None:
        self._stream = stream
        self._messages = messages

    def _broken(self) -> None:
        if not self._messages:
            broken_pipe()
        _messages_lost()

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._broken()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._broken()

    def __getattr__(self, name: str) -> Any:  # fileno, isatty, encoding, buffer, ...
        return getattr(self._stream, name)

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(self._stream.encoding)

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return str(self._stream.errors) if self._stream.errors is not None else None


def _replace_unencodable(stream: IO[str] | None) -> None:
    """A character the terminal's encoding cannot show is written as '?' instead of failing."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="replace")


def _sane_size() -> None:
    """COLUMNS or LINES that is not a positive number is treated as unset: the real terminal
    size, else 80 columns (rich and typer read the environment themselves); one beyond
    MAX_SIZE is capped to it."""
    for name in ("COLUMNS", "LINES"):
        value = os.environ.get(name)
        if value is not None and not (value.strip().isdecimal() and int(value) > 0):
            del os.environ[name]
        elif value is not None and int(value) > MAX_SIZE:
            os.environ[name] = str(MAX_SIZE)


def prepare_streams() -> None:
    """Set up the process's streams once, before any output: a closed stdin/stdout/stderr reads
    as empty and writes nowhere; characters the encoding lacks are replaced; a closed pipe on
    stdout ends quietly with SIGPIPE_STATUS, on stderr drops the messages; COLUMNS/LINES <= 0
    are unset, and capped at MAX_SIZE."""
    for name, mode in (("stdin", "r"), ("stdout", "w"), ("stderr", "w")):
        if getattr(sys, name) is None:  # started with the stream closed (`<&-`, `>&-`)
            setattr(sys, name, open(os.devnull, mode, encoding="utf-8"))  # noqa: SIM115 (for the whole run)
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        _replace_unencodable(stream)
    if not isinstance(sys.stdout, _Guarded):  # rich, print and click all write through it
        sys.stdout = _Guarded(sys.stdout)
    if not isinstance(sys.stderr, _Guarded):
        sys.stderr = _Guarded(sys.stderr, messages=True)
    _sane_size()


def finish() -> None:
    """Flush stdout at the end of the run; a reader that has gone is a quiet SIGPIPE_STATUS."""
    with contextlib.suppress(ValueError):
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            broken_pipe()


def json_text(value: Any) -> str:
    """`value` as indented JSON for stdout, with every unsafe character (wargame.text) written as
    a JSON escape (`\\u009b`, `\\u202e`): the same data for a program, nothing a terminal obeys."""
    import json

    from wargame.text import UNSAFE

    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, indent=2, ensure_ascii=False))


def printable(text: str) -> str:
    """`text` from a file (a record, a TOML key, a path) as it may be shown on a terminal: control
    characters, C1 codes and bidirectional overrides escaped (see wargame.text)."""
    return escape_unsafe(text)


def message(text: str) -> None:
    """Print a plain message line (`wargame: note: ...`, `wargame: wrote PATH`) on stderr, with
    what it quotes from files or the command line (a path, a key) escaped as `printable` does."""
    print(escape_unsafe(text), file=sys.stderr)


@cache
def console() -> Console:
    """Data: stdout. Its `input()` asks on the terminal, with line editing (wargame.cli.prompt)."""
    from wargame.cli.prompt import WargameConsole

    return WargameConsole(highlight=False)


@cache
def err_console() -> Console:
    """Messages, and prompts when stdout is not the terminal: stderr."""
    from wargame.cli.prompt import WargameConsole

    return WargameConsole(stderr=True, highlight=False)


def _pager_exists() -> bool:
    """Whether the pager pydoc would run (MANPAGER, PAGER, else less or more) is a program on
    PATH: a PAGER that names no program prints the text unpaged rather than nothing at all."""
    import shlex
    import shutil

    command = os.environ.get("MANPAGER") or os.environ.get("PAGER") or "less"
    try:
        words = shlex.split(command)
    except ValueError:
        return False
    return bool(words) and shutil.which(words[0]) is not None


@contextlib.contextmanager
def paged(out: Console) -> Iterator[None]:
    """Send what is printed inside to a pager when standard output and input are a terminal, as
    git does: PAGER (or MANPAGER) is honoured, `less` is told to quit when the text fits one
    screen and to keep colours; piped or redirected output is never paged."""
    if not (out.is_terminal and sys.stdin.isatty() and os.environ.get("TERM") != "dumb" and _pager_exists()):
        yield
        return
    os.environ.setdefault("LESS", "FRX")
    with out.pager(styles=not out.no_color):
        yield
