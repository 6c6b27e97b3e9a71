"""The results file of a sweep: JSON Lines, one row per game, streamed and crash-safe.

Rows are appended a task at a time and fsynced, so a sweep that is killed keeps every game it
wrote; `--resume` keeps the whole rows, cuts off a torn last line and plays the rest. A file
named *.parquet is written as JSON Lines beside it (FILE.partial.jsonl) while the sweep runs and
converted at the end, in row groups, with the optional `analysis` extra (pyarrow).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from wargame.errors import NotFound, UsageError
from wargame.files import create_new

PARQUET_BATCH = 20_000  # rows per Parquet row group: memory stays flat however long the sweep


def is_parquet(path: Path) -> bool:
    return path.suffix.lower() == ".parquet"


def stream_path(path: Path) -> Path:
    """Where rows are streamed: the file itself, or for Parquet a JSON Lines file beside it."""
    return path.with_name(path.name + ".partial.jsonl") if is_parquet(path) else path


def need_pyarrow() -> Any:
    """The pyarrow module, or a UsageError naming the extra that provides it."""
    try:
        import pyarrow  # type: ignore[import-untyped]  # noqa: F401
        import pyarrow.parquet  # type: ignore[import-untyped]
    except ImportError:
        raise UsageError("writing Parquet needs the optional 'analysis' extra: "
                         "pip install 'wargame[analysis]' (or write .jsonl)") from None
    return pyarrow


def read_rows(path: Path) -> Iterator[tuple[dict[str, Any], int]]:
    """The whole rows of a results file, each with the byte offset just past it, streamed. A
    torn last line (a sweep killed while writing it) is left out; a damaged line before the
    last is a UsageError naming it."""
    try:
        file = path.open("rb")
    except FileNotFoundError:
        return
    except OSError as err:
        raise NotFound(f"{path}: cannot read the results file: {err.strerror}") from None
    with file:
        offset = 0
        pending: tuple[int, bytes] | None = None  # a line that fails to parse: torn if it is the last
        for number, line in enumerate(file, start=1):
            if pending is not None:
                raise UsageError(f"{path}:{pending[0]}: not a results row; is this a sweep's results file?")
            if not line.endswith(b"\n"):
                return  # torn
            try:
                row = json.loads(line)
            except ValueError:
                row = None
            if not isinstance(row, dict):
                pending = (number, line)
                continue
            offset += len(line)
            yield row, offset


class ResultsWriter:
    """Appends rows to the stream file, fsyncing after every batch."""

    def __init__(self, path: Path, file: IO[bytes]) -> None:
        self.path = path
        self.file = file

    @classmethod
    def open(cls, path: Path, keep: int | None, *, force: bool = False) -> ResultsWriter:
        """A new file (`keep` None: an existing one is refused, OutputExists, unless `force`), or
        an existing one cut to `keep` bytes (--resume)."""
        if keep is None:
            return cls(path, create_new(path, force=force, hint="complete it with --resume, or "))
        try:
            file = path.open("r+b") if path.exists() else path.open("xb")  # noqa: SIM115 (closed by close())
            file.truncate(keep)
            file.seek(keep)
            return cls(path, file)
        except OSError as err:
            raise NotFound(f"{path}: cannot write the results: {err.strerror}") from None

    def write(self, lines: Iterable[str]) -> None:
        try:
            self.file.write("".join(line + "\n" for line in lines).encode("utf-8"))
            self.file.flush()
            os.fsync(self.file.fileno())
        except OSError as err:
            raise NotFound(f"{self.path}: cannot write the results: {err.strerror}") from None

    def close(self) -> None:
        self.file.close()


def _rows(path: Path) -> Iterator[dict[str, Any]]:
    with path.open("rb") as file:
        for line in file:
            yield json.loads(line)


def to_parquet(source: Path, target: Path) -> None:
    """Convert a finished JSON Lines results file to Parquet, a row group at a time, then
    remove the JSON Lines file. Columns: seed, variant, personas (map), outcome, turns, tracks
    (struct of the scenario's tracks), flags (list), decisions (struct: nation -> list of
    option ids, one a turn), approvals (list of turn, option, passed)."""
    pa = need_pyarrow()
    import pyarrow.parquet as pq

    writer = None
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal writer
        if not batch:
            return
        if writer is None:
            writer = pq.ParquetWriter(str(target), _schema(pa, batch[0]))
        for row in batch:
            row["personas"] = list(row["personas"].items())
            row["approvals"] = [{"turn": t, "option": o, "passed": p} for t, o, p in row["approvals"]]
        writer.write_table(pa.Table.from_pylist(batch, schema=writer.schema))
        batch.clear()

    try:
        for row in _rows(source):
            batch.append(row)
            if len(batch) >= PARQUET_BATCH:
                flush()
        flush()
    finally:
        if writer is not None:
            writer.close()
    source.unlink()


def _schema(pa: Any, first: dict[str, Any]) -> Any:
    return pa.schema([
        ("seed", pa.int64()),
        ("variant", pa.string()),
        ("personas", pa.map_(pa.string(), pa.string())),
        ("outcome", pa.string()),
        ("turns", pa.int64()),
        ("tracks", pa.struct([(name, pa.int64()) for name in first["tracks"]])),
        ("flags", pa.list_(pa.string())),
        ("decisions", pa.struct([(nation, pa.list_(pa.string())) for nation in first["decisions"]])),
        ("approvals", pa.list_(pa.struct([("turn", pa.int64()), ("option", pa.string()),
                                          ("passed", pa.bool_())]))),
    ])
