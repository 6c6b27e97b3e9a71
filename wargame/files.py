"""Reading the files wargame is pointed at, with one plain message per way it can fail.

Every file wargame reads or writes goes through here, so one rule holds for all of them: only a
regular file is opened. The check is made with os.stat before any open, and the open itself is
non-blocking, so a FIFO or a device (`mkfifo scenarios/x.toml`, `/dev/zero`, a terminal) is
refused at once instead of hanging wargame (and a FIFO swapped in between the two is still not
waited on).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from wargame.errors import NotFound, UsageError

BOM = b"\xef\xbb\xbf"  # UTF-8 byte-order mark, written by Notepad and PowerShell; not content


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "something else"


def regular_size(path: str | Path, error: type[NotFound], what: str) -> int:
    """The size in bytes of `path` if it is a regular file (symbolic links followed), else
    `error` saying what it is instead. Opens nothing, so it cannot block."""
    shown = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise error(f"{shown}: no such file") from None
    except OSError as err:
        raise error(f"{shown}: cannot read: {err.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise error(f"{shown}: not a regular file ({_kind(info.st_mode)}), so not {what}")
    return info.st_size


def is_regular(path: str | Path) -> bool:
    """Whether `path` is a regular file (by os.stat, which cannot block)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def open_regular(path: str | Path, error: type[NotFound], what: str, flags: int = os.O_RDONLY) -> int:
    """A file descriptor of the regular file `path`, opened with `flags` without blocking; raises
    `error` for anything else. The descriptor is back in blocking mode when returned."""
    shown = str(path)
    regular_size(path, error, what)
    try:
        fd = os.open(path, flags | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise error(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise error(f"{shown}: is a directory, not {what}") from None
    except OSError as err:
        raise error(f"{shown}: cannot open: {err.strerror}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):  # swapped for something else since the stat
        os.close(fd)
        raise error(f"{shown}: not a regular file ({_kind(info.st_mode)}), so not {what}")
    os.set_blocking(fd, True)
    return fd


def read_bytes(path: str | Path, error: type[NotFound], what: str, limit: int) -> bytes:
    """The file's bytes, or `error` saying plainly why not (`what` names the kind of file). Only a
    regular file is read, and no more than `limit` + 1 bytes of it: the caller says what it thinks
    of a file longer than `limit` (`size_of` gives its real size for the message)."""
    fd = open_regular(path, error, what)
    try:
        with os.fdopen(fd, "rb") as file:
            return file.read(limit + 1)
    except OSError as err:
        raise error(f"{path}: cannot read: {err.strerror}") from None


def size_of(path: str | Path) -> int | None:
    """The size of a file in bytes, or None when it cannot be had."""
    try:
        return os.stat(path).st_size
    except OSError:
        return None


def check_output(path: str | Path, error: type[NotFound], option: str = "-o") -> None:
    """Refuse an output path that is there but is not a regular file (a FIFO would block the
    write until something reads it; a device is not a report). A missing file is fine."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as err:
        raise error(f"{path}: cannot write: {err.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise error(f"{path}: is a directory; {option} names the file to write, e.g. {Path(path) / 'out.md'}")
    if not stat.S_ISREG(info.st_mode):
        raise error(f"{path}: not a regular file ({_kind(info.st_mode)}); wargame writes only to regular "
                    f"files (leave out {option} to print to standard output)")


def strip_bom(data: bytes) -> bytes:
    """`data` without a leading UTF-8 byte-order mark."""
    return data[len(BOM):] if data.startswith(BOM) else data



class OutputExists(UsageError):
    """A file to be written (-o, --log) is already there, and --force was not given."""


def create_new(path: str | Path, *, force: bool, hint: str = "") -> BinaryIO:
    """`path` opened for writing a new file: the one overwrite rule for every file wargame writes
    (`-o`, `--log`). An existing file is refused (OutputExists, exit 2) unless `force`; `hint`
    says what else to do. A file that cannot be written is NotFound (exit 3)."""
    if Path(path).is_dir():
        raise NotFound(f"{path}: is a directory; cannot write the file there")
    check_output(path, NotFound)  # a FIFO would block the open until something reads it
    try:
        return Path(path).open("wb" if force else "xb")
    except FileExistsError:
        raise OutputExists(f"{path} already exists and is not overwritten; {hint}"
                           "use --force to overwrite it") from None
    except IsADirectoryError:
        raise NotFound(f"{path}: is a directory; cannot write the file there") from None
    except OSError as err:
        raise NotFound(f"{path}: cannot write: {err.strerror or err}") from None
