"""Where a game's record is kept when `wargame play` or `wargame serve` is given no --log.

The folder is $WARGAME_RECORDS if set, else $XDG_DATA_HOME/wargame/games, else
~/.local/share/wargame/games; the file is SCENARIO-YYYYMMDD-HHMMSS-seedSEED.jsonl (UTC), with
-2, -3, … added if that name is taken. The folder is made if missing.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from wargame.errors import UsageError


def records_folder() -> Path:
    """The folder default records go into (see the module's docstring)."""
    chosen = os.environ.get("WARGAME_RECORDS")
    if chosen:
        return Path(chosen).expanduser()
    data = os.environ.get("XDG_DATA_HOME")
    base = Path(data).expanduser() if data else Path.home() / ".local" / "share"
    return base / "wargame" / "games"


def default_record(scenario_id: str, seed: int, now: datetime | None = None) -> Path:
    """A new, unused path for a game's record in `records_folder()`. UsageError if the folder
    cannot be made (the message says to name a file with --log)."""
    folder = records_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UsageError(f"cannot make the records folder {folder}: {err.strerror}; "
                         "name a file with --log, or set WARGAME_RECORDS") from None
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    path = folder / f"{scenario_id}-{stamp}-seed{seed}.jsonl"
    n = 2
    while path.exists():
        path = folder / f"{scenario_id}-{stamp}-seed{seed}-{n}.jsonl"
        n += 1
    return path
