"""One writer per record: an OS advisory lock held on the record for the whole game.

Every process that writes a record (`play --log`, `resume`, a branch) takes an exclusive
`flock` on it before it reads or writes a byte, and keeps it until the game ends: the lock goes
with the open file, so the OS releases it however the process ends (a crash, SIGKILL). A
second writer is refused at once (RecordInUse, exit 2) and the first game's record stays
whole. Readers (`replay`, `report`, `--verify`) take no lock: a record is written a whole turn
at a time, and the reader takes a torn tail for what it is.

Where the OS has no flock (Windows), records are not locked.
"""

from __future__ import annotations

from pathlib import Path

from wargame.errors import UsageError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]


class RecordInUse(UsageError):
    """Another process is writing this record now."""


def hold(fd: int, path: str | Path) -> None:
    """Take the record's exclusive lock on `fd` without waiting, or raise RecordInUse."""
    if fcntl is None:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise RecordInUse(
            f"{path} is in use: another wargame process is writing this game now (play --log or resume), "
            "and only one may write a record at a time. Wait for that game to end, or branch it to a new "
            f"file with `wargame play SCENARIO --from {path} --turn N --log OTHER.jsonl`; "
            f"`wargame replay {path}` reads it meanwhile") from None
    except OSError:  # a filesystem without locks: go on unlocked rather than refuse to play
        return
