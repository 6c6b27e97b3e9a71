"""Reading a game log back: header, whole turns, and an honest account of a torn tail.

A log is written a whole turn at a time, so after a crash the file holds whole turns and, at
worst, part of the turn being written, possibly ending in half a line. The reader keeps every
whole turn, reports the rest, and never fails on a torn tail; a damaged line in the middle of
the file, or a header it cannot read, is a RecordError naming the line.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from wargame import jsontext
from wargame.engine.events import Event
from wargame.engine.rng import check_seed
from wargame.errors import RecordError, RecordFileError
from wargame.files import open_regular, regular_size, strip_bom
from wargame.game.history import INPUTS, closes_turn, is_undo, turn_blocks
from wargame.record.log import RECORD_FORMAT
from wargame.text import has_unsafe

MAX_LINE = 1_000_000  # bytes in one line; a longer line is a damaged line
MAX_RECORD = 32_000_000  # bytes in a record; a 200-turn exercise writes a few megabytes at most
MAX_LINES = 100_000  # lines in a record; a 200-turn game of the flagship writes about 10,000


@dataclass(frozen=True)
class RecordedTurn:
    """One whole turn of a record as the game finally went: its events, from turn_start to
    turn_end (and game_end), with the facilitator's actions before it."""

    number: int
    events: tuple[Event, ...]
    end_offset: int  # the byte offset just past this turn's last line

    @property
    def digest(self) -> str:
        return str(next(e.data["digest"] for e in self.events if e.kind == "turn_end"))


@dataclass(frozen=True)
class Record:
    path: str
    header: dict[str, Any]
    turns: tuple[RecordedTurn, ...]  # the game as it finally went: turns undone by the facilitator are left out
    header_end: int  # byte offset just past the header line
    sha256: str  # of the file's bytes as read
    dropped: list[str] = field(default_factory=list)  # what was left off the end, and why
    events: tuple[Event, ...] = ()  # every event up to the last whole turn, undone ones included
    offsets: tuple[int, ...] = ()  # the byte offset just past each event's line

    @property
    def seed(self) -> int:
        return int(self.header["seed"])

    @property
    def seats(self) -> dict[str, str]:
        return dict(self.header.get("seats", {}))

    @property
    def variants(self) -> list[str]:
        """The variants the game was played under, in the order they were applied."""
        found = self.header.get("variants", [])
        if not isinstance(found, list) or not all(isinstance(v, str) for v in found):
            raise RecordError(f"{self.path}:1: the header's variants are malformed")
        return list(found)

    @property
    def personas(self) -> dict[str, str]:
        """nation id -> the persona its bot played."""
        found = self.header.get("personas", {})
        if not isinstance(found, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                  for k, v in found.items()):
            raise RecordError(f"{self.path}:1: the header's personas are malformed")
        return dict(found)

    @property
    def finished(self) -> bool:
        return bool(self.turns) and any(e.kind == "game_end" for e in self.turns[-1].events)

    @property
    def end_offset(self) -> int:
        """Just past the last whole turn: where a resumed game goes on writing."""
        return self.offsets[-1] if self.offsets else self.header_end

    def outcome(self) -> Event | None:
        if not self.finished:
            return None
        return next(e for e in self.turns[-1].events if e.kind == "game_end")


def read_record(path: str | Path) -> Record:
    """Read a game log, streaming it a line at a time (memory grows with its events, not with
    its bytes). A file over MAX_RECORD bytes is refused before anything is read; a regular file
    only (wargame.files), so a FIFO cannot hang the reader."""
    shown = str(path)
    size = regular_size(path, RecordFileError, "a game log")
    _check_size(size, shown)
    fd = open_regular(path, RecordFileError, "a game log")
    try:
        with os.fdopen(fd, "rb") as file:
            _count_lines(file, shown)
            file.seek(0)
            return _parse(file, shown)
    except OSError as err:
        raise RecordFileError(f"{shown}: cannot read: {err.strerror}") from None


def _check_size(size: int, shown: str) -> None:
    if size > MAX_RECORD:
        raise RecordError(f"{shown}: the file is {size:,} bytes; a game log may be at most {MAX_RECORD:,} bytes "
                          "(docs/record-format.md, Limits), and wargame writes far smaller ones")


def _count_lines(stream: BinaryIO, shown: str) -> None:
    """Refuse a record of more than MAX_LINES lines before parsing any (a quick count of newlines,
    a megabyte at a time)."""
    count = 0
    while chunk := stream.read(1 << 20):
        count += chunk.count(b"\n")
        if count > MAX_LINES:
            _too_many(shown)


def _too_many(shown: str) -> None:
    raise RecordError(f"{shown}: more than {MAX_LINES:,} lines; a game log may have at most {MAX_LINES:,} "
                      "(docs/record-format.md, Limits)")


def _lines(stream: BinaryIO, shown: str, sha: Any) -> Iterator[tuple[int, bytes, bool, bool]]:
    """(end offset, line without newline, whether it ended with a newline, whether it is the
    last line), read one line ahead; every byte read goes into `sha`."""
    offset = 0
    count = 0
    pending: tuple[int, bytes, bool] | None = None
    while True:
        raw = stream.readline()
        if not raw:
            break
        count += 1
        if count > MAX_LINES:
            _too_many(shown)
        sha.update(raw)
        offset += len(raw)
        if offset > MAX_RECORD:  # the file grew while being read
            _check_size(offset, shown)
        if pending is not None:
            yield (*pending, False)
        whole = raw.endswith(b"\n")
        pending = (offset, raw[:-1] if whole else raw, whole)
    if pending is not None:
        yield (*pending, True)


def parse_record(data: bytes, shown: str) -> Record:
    """A record from its bytes (`shown` names it in errors); see `read_record`."""
    _check_size(len(data), shown)
    return _parse(io.BytesIO(data), shown)


def _parse(stream: BinaryIO, shown: str) -> Record:
    sha = hashlib.sha256()
    lines = _lines(stream, shown, sha)
    first_line = next(lines, None)
    if first_line is None or not first_line[1].strip():
        raise RecordError(f"{shown}: empty file, not a wargame log")
    header_end, first, whole, _ = first_line
    header = _json(strip_bom(first), shown, 1)
    if header is None or not whole:
        raise RecordError(f"{shown}:1: the header is damaged or incomplete; this is not a readable wargame log")
    if header.get("record") != "wargame-log":
        raise RecordError(f"{shown}:1: not a wargame log (no 'record': 'wargame-log' header)")
    version = header.get("format")
    if not isinstance(version, int):
        raise RecordError(f"{shown}:1: the header has no record format version")
    if version > RECORD_FORMAT:
        raise RecordError(f"{shown}: record format {version} is newer than this wargame reads "
                          f"({RECORD_FORMAT}); upgrade wargame to read it")
    for key in ("scenario", "seed", "seats"):
        if key not in header:
            raise RecordError(f"{shown}:1: the header lacks {key!r}")
    try:
        check_seed(header["seed"])
    except ValueError as err:
        raise RecordError(f"{shown}:1: the header's {err}") from None
    if not isinstance(header["seats"], dict):
        raise RecordError(f"{shown}:1: the header's 'seats' must be a table of nation ids and seats")
    _refuse_unsafe(header, shown, 1)

    rows: list[tuple[int, int, Event]] = []  # (line number, end offset, event)
    dropped: list[str] = []
    for number, (offset, raw, whole, last) in enumerate(lines, start=2):
        row = _json(raw, shown, number) if whole else None
        if row is None:
            if last:
                what = "a torn last line" if not whole else "a damaged last line"
                dropped.append(f"line {number}: {what} (the game was cut off while writing it)")
                break
            raise RecordError(f"{shown}:{number}: damaged line (not one JSON object, or NaN/Infinity in it); "
                              "the record cannot be trusted past here")
        rows.append((number, offset, _event(row, shown, number)))

    events = [event for _, _, event in rows]
    keep = whole_prefix(events)
    if keep < len(events):
        unfinished = events[keep]
        dropped.append(f"turn {unfinished.turn}: {len(events) - keep} event(s) of an unfinished turn")
    kept = rows[:keep]
    kept_events = [e for _, _, e in kept]
    for number, _, event in kept:
        if is_undo(event) and not (isinstance(event.data.get("to_turn"), int)
                                   or event.data.get("last_action") is True):
            raise RecordError(f"{shown}:{number}: an undo needs 'to_turn' (or 'last_action': true)")
    turns = tuple(RecordedTurn(n, tuple(kept_events[i] for i in idx), kept[idx[-1]][1])
                  for n, idx in turn_blocks(kept_events))
    return Record(shown, header, turns, header_end, sha.hexdigest(),
                  dropped, tuple(kept_events), tuple(offset for _, offset, _ in kept))


def whole_prefix(events: Sequence[Event]) -> int:
    """How many events make whole steps: everything up to the end of the last step taken while no
    turn was in progress (a turn that ended, a facilitator action between turns, an undo)."""
    keep = 0
    open_turn = False
    for i, event in enumerate(events):
        if event.kind == "turn_start":
            open_turn = True
        elif event.kind in ("turn_end", "game_end") or is_undo(event):
            open_turn = False
        at_boundary = i + 1 == len(events) or events[i + 1].kind in INPUTS
        if not open_turn and at_boundary and not (event.kind == "turn_end" and not closes_turn(events, i)):
            keep = i + 1
    return keep


def _json(raw: bytes, shown: str, number: int) -> dict[str, Any] | None:
    if len(raw) > MAX_LINE:
        return None
    try:
        row = jsontext.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, ValueError, RecursionError):  # ValueError: also absurdly long numbers
        return None
    return row if isinstance(row, dict) else None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object naming a key twice is damaged: which value counts would be a reader's guess."""
    row = dict(pairs)
    if len(row) != len(pairs):
        raise ValueError("a key appears twice")
    return row


def _refuse_unsafe(row: dict[str, Any], shown: str, number: int) -> None:
    """The one rule for text from a file (wargame.text): a record line holding a control character,
    a C1 code or a bidi override anywhere, keys and nested values included, is refused."""
    if has_unsafe(row):
        raise RecordError(f"{shown}:{number}: a control character in the record (an escape sequence?); "
                          "a log from elsewhere is not shown on a terminal with those")


def _event(row: dict[str, Any], shown: str, number: int) -> Event:
    _refuse_unsafe(row, shown, number)
    kind, turn, text = row.get("kind"), row.get("turn"), row.get("text")
    if not isinstance(kind, str) or not isinstance(turn, int) or isinstance(turn, bool) or not isinstance(text, str):
        raise RecordError(f"{shown}:{number}: an event needs 'kind', 'turn' and 'text'")
    data = {k: v for k, v in row.items() if k not in ("kind", "turn", "text")}
    if kind == "decision" and not (isinstance(data.get("nation"), str) and isinstance(data.get("option"), str)):
        raise RecordError(f"{shown}:{number}: a decision needs 'nation' and 'option'")
    if kind == "turn_end" and not isinstance(data.get("digest"), str):
        raise RecordError(f"{shown}:{number}: a turn_end needs its 'digest'")
    return Event(kind, turn, text, data)
