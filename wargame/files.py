"""Reading the files wargame is pointed at, with one plain message per way it can fail."""

from __future__ import annotations

from pathlib import Path

from wargame.errors import NotFound


def read_bytes(path: str | Path, error: type[NotFound], what: str) -> bytes:
    """The file's bytes, or `error` saying plainly why not (`what` names the kind of file)."""
    shown = str(path)
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise error(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise error(f"{shown}: is a directory, not {what}") from None
    except OSError as err:
        raise error(f"{shown}: cannot read: {err.strerror}") from None
