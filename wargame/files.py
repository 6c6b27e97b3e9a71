"""Reading the files wargame is pointed at, with one plain message per way it can fail."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from wargame.errors import NotFound, UsageError


def read_bytes(path: str | Path, error: type[NotFound], what: str, limit: int) -> bytes:
    """The file's bytes, or `error` saying plainly why not (`what` names the kind of file). Only a
    regular file is read, and no more than `limit` + 1 bytes of it (`/dev/zero` is no scenario):
    the caller says what it thinks of a file longer than `limit`."""
    shown = str(path)
    try:
        with Path(path).open("rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                raise error(f"{shown}: not a regular file, so not {what}")
            return file.read(limit + 1)
    except FileNotFoundError:
        raise error(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise error(f"{shown}: is a directory, not {what}") from None
    except OSError as err:
        raise error(f"{shown}: cannot read: {err.strerror}") from None


class OutputExists(UsageError):
    """A file to be written (-o, --log) is already there, and --force was not given."""


def create_new(path: str | Path, *, force: bool, hint: str = "") -> BinaryIO:
    """`path` opened for writing a new file: the one overwrite rule for every file wargame writes
    (`-o`, `--log`). An existing file is refused (OutputExists, exit 2) unless `force`; `hint`
    says what else to do. A file that cannot be written is NotFound (exit 3)."""
    if Path(path).is_dir():
        raise NotFound(f"{path}: is a directory; cannot write the file there")
    try:
        return Path(path).open("wb" if force else "xb")
    except FileExistsError:
        raise OutputExists(f"{path} already exists and is not overwritten; {hint}"
                           "use --force to overwrite it") from None
    except IsADirectoryError:
        raise NotFound(f"{path}: is a directory; cannot write the file there") from None
    except OSError as err:
        raise NotFound(f"{path}: cannot write: {err.strerror or err}") from None
