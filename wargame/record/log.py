"""The game log: JSON Lines, a header then one event a line, written as the game goes.

Each finished turn is written whole, flushed and fsynced, so an interrupted game keeps every
turn it finished. The header and event fields are kept stable (see docs/record-format.md).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from wargame import __version__, jsontext
from wargame.engine.events import Event
from wargame.engine.rng import check_seed
from wargame.errors import RecordFileError
from wargame.files import create_new, open_regular
from wargame.record.lock import hold
from wargame.scenario.scenario import Scenario

if TYPE_CHECKING:
    from wargame.game.game import Game


RECORD_FORMAT = 1


def header(scenario: Scenario, seed: int, seats: Mapping[str, str],
           table: Mapping[str, Any] | None = None, personas: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The record's first line; `table` holds how the game is run (facilitator, clock), so a
    resumed game is run the same way. The scenario's variants (`scenario.variants`) and the bots'
    personas (nation id -> persona id) are kept only when there are some, so a game of the
    scenario as written has the same header as before they existed. `seed` is in the range of
    engine.rng.check_seed."""
    return {
        "record": "wargame-log",
        "format": RECORD_FORMAT,
        "engine": __version__,
        "scenario": scenario.id,
        "title": scenario.title,
        "scenario_sha256": scenario.sha256,
        "seed": check_seed(seed),
        "seats": dict(seats),
        **({"variants": list(scenario.variants)} if scenario.variants else {}),
        **({"personas": dict(personas)} if personas else {}),
        "marking": scenario.model.marking,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        **({"table": dict(table)} if table else {}),
    }


class LogWriter:
    """Appends a game's events to a JSON Lines file."""

    def __init__(self, path: str | Path, file: IO[bytes]) -> None:
        self.path = Path(path)
        self.file = file

    @classmethod
    def create(cls, path: str | Path, head: Mapping[str, Any], *, force: bool = False) -> LogWriter:
        """A new log, locked for this game (wargame.record.lock), its header written. An existing
        file is not replaced unless `force` (the one rule for files wargame writes,
        wargame.files.create_new): a record lost to a repeated command cannot be had back. With
        `force`, an existing record is locked before it is emptied, so a game being written to it
        by another process is never cut."""
        if force and Path(path).exists():
            writer = cls.claim(path)
            try:
                writer.start_at(0)
                writer._write([dict(head)])
            except BaseException:
                writer.close()
                raise
            return writer
        file = create_new(path, force=force, hint=f"to go on with that game use `wargame resume {path}`, "
                                                  "or give --log another name, or ")
        writer = cls(path, file)
        try:
            hold(file.fileno(), path)
            writer._write([dict(head)])
        except BaseException:
            writer.close()
            raise
        return writer

    @classmethod
    def claim(cls, path: str | Path) -> LogWriter:
        """An existing log, opened to go on writing it and locked for this game before anything
        is read from it (so what is read is what is continued): RecordInUse when another process
        writes it, RecordFileError when it is no regular file or cannot be opened. Call
        `start_at` before writing."""
        fd = open_regular(path, RecordFileError, "a game log", os.O_RDWR)
        writer = cls(path, os.fdopen(fd, "r+b"))
        try:
            hold(fd, path)
        except BaseException:
            writer.close()
            raise
        return writer

    def start_at(self, keep: int) -> None:
        """Go on after the log's first `keep` bytes (its whole turns): anything after them, a torn
        line or half a turn, is cut off first."""
        try:
            self.file.truncate(keep)
            self.file.seek(keep)
        except OSError as err:
            raise RecordFileError(f"{self.path}: cannot append to the log: {err.strerror}") from None

    @classmethod
    def append(cls, path: str | Path, keep: int) -> LogWriter:
        """`claim` then `start_at(keep)`."""
        writer = cls.claim(path)
        try:
            writer.start_at(keep)
        except BaseException:
            writer.close()
            raise
        return writer

    def _write(self, rows: Iterable[Mapping[str, Any]]) -> None:
        try:
            lines = [jsontext.dumps(row, separators=(", ", ": ")) + "\n" for row in rows]
            self.file.write("".join(lines).encode("utf-8"))
            self.file.flush()
            os.fsync(self.file.fileno())
        except OSError as err:
            raise RecordFileError(f"{self.path}: cannot write the log: {err.strerror}") from None

    def write(self, events: Iterable[Event]) -> None:
        """Write whole steps' events (a finished turn, a facilitator action between turns)."""
        self._write(e.to_dict() for e in events)

    def close(self) -> None:
        """Close the log, which releases its lock (closing twice is harmless)."""
        self.file.close()


class RecordSink:
    """A Game listener that writes the game's events to a log as soon as they stand on their
    own: a whole turn, or a facilitator action between turns. A crash then loses at most the
    turn in progress."""

    def __init__(self, writer: LogWriter) -> None:
        self.writer = writer
        self.buffer: list[Event] = []  # events of the turn in progress

    def __call__(self, game: Game, events: list[Event]) -> None:
        self.buffer += events
        if any(e.kind in ("turn_end", "game_end") for e in events) or not game.state.in_turn:
            self.writer.write(self.buffer)
            self.buffer = []
