"""Domain exceptions. The CLI maps each to an exit status in one place (wargame.cli.status)."""

from __future__ import annotations

from dataclasses import dataclass


class WargameError(Exception):
    """Base class of every error wargame reports to a person."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario file, locatable by its author."""

    path: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class ScenarioError(WargameError):
    """A scenario file that cannot be used; carries every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class NotFound(WargameError):
    """No such scenario or file, or a file that cannot be read or written."""


class ScenarioNotFound(NotFound):
    """No scenario file or shipped scenario by that name."""


class ExpressionError(WargameError):
    """An expression in a scenario that does not parse or does not check."""

    def __init__(self, message: str, column: int | None = None) -> None:
        self.column = column
        super().__init__(message if column is None else f"{message} (at column {column})")


class UsageError(WargameError):
    """Arguments that do not make sense together, or a file of decisions that does not fit."""


class NeedsTerminal(WargameError):
    """A human decision is due but standard input is not a terminal."""


class RecordError(WargameError):
    """A game log that is damaged, of another scenario, or does not replay."""


class RecordFileError(NotFound, RecordError):
    """A game log that cannot be found, read or written."""


class MissingExtra(UsageError):
    """A command needs an optional extra that is not installed (e.g. `wargame[serve]`)."""
