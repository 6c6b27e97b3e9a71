"""Exit statuses, and the one place that maps wargame's errors to them.

    0  OK           the command did what was asked
    1  INVALID      a scenario or log is not valid (every problem is listed), a record that does
                    not verify, or a decision the rules do not allow
    2  USAGE        bad arguments or script, or a decision is due and stdin is not a terminal
    3  NOT_FOUND    no such scenario or file, or a file that cannot be read or written
    4  WARNINGS     `wargame lint` found warnings (and no errors)
    70  INTERNAL    a bug in wargame (no traceback unless WARGAME_DEBUG=1)
    130 INTERRUPTED Ctrl-C; finished turns are kept in the log
    141 BROKEN_PIPE the reader of stdout went away (`| head`): a quiet end, the status a shell gives
                    a process killed by SIGPIPE (128 + 13), as git and coreutils do
"""

from __future__ import annotations

import sys
from enum import IntEnum

from wargame import errors


class ExitStatus(IntEnum):
    OK = 0
    INVALID = 1
    USAGE = 2
    NOT_FOUND = 3
    WARNINGS = 4
    INTERNAL = 70
    INTERRUPTED = 130
    BROKEN_PIPE = 141


_STATUS: list[tuple[type[BaseException], ExitStatus]] = [
    (errors.ScenarioError, ExitStatus.INVALID),
    (errors.NotFound, ExitStatus.NOT_FOUND),
    (errors.NeedsTerminal, ExitStatus.USAGE),
    (errors.UsageError, ExitStatus.USAGE),
    (errors.WargameError, ExitStatus.INVALID),
]


def status_for(error: BaseException) -> ExitStatus:
    for kind, status in _STATUS:
        if isinstance(error, kind):
            return status
    return ExitStatus.INVALID


def report(error: BaseException) -> ExitStatus:
    """Print `wargame: error: ...` on stderr and return the status to exit with. A message can
    quote a file (a key, a path, a value): it is escaped first (wargame.text)."""
    from wargame.text import escape_unsafe

    if isinstance(error, errors.ScenarioError):
        for problem in error.problems:
            print(escape_unsafe(str(problem)), file=sys.stderr)
        count = len(error.problems)
        print(f"wargame: error: {count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
    else:
        print(escape_unsafe(f"wargame: error: {error}"), file=sys.stderr)
    return status_for(error)
