"""Join codes: one per human seat, bound to its nation, plus one for the White cell.

A code is 10 characters from a 32-letter alphabet without look-alikes (50 bits from `secrets`),
shown as ABCDE-FGHJK; case, spaces and dashes do not matter when typed. Codes are compared in
constant time (hmac.compare_digest). Wrong codes are counted per client address: after
FREE_TRIES the answer is delayed, doubling up to MAX_DELAY seconds, and logged.

A game served with --log keeps its codes beside the record, in LOG.codes (JSON, created with
mode 0600, never overwritten), so `wargame resume LOG --serve` seats the same delegations with
the same codes. Anyone who can read that file can take any seat: keep it with the log.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import os
import secrets
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from wargame.errors import RecordFileError, UsageError

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 letters: no I, O, 0, 1
LENGTH = 10
WHITE = "white"  # the facilitator's pseudo-seat
FREE_TRIES = 3
MAX_DELAY = 30.0


def new_code() -> str:
    """A fresh code, e.g. 'K7RMX-2QHTW'."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normal(code: str) -> str:
    """The code as compared: upper case, without spaces or dashes."""
    return "".join(ch for ch in code.upper() if ch not in " -")


@dataclass(frozen=True)
class Codes:
    """Who holds which code: nation id (or WHITE) -> code."""

    seats: Mapping[str, str]

    @classmethod
    def fresh(cls, nations: Iterable[str], facilitator: bool) -> Codes:
        seats = {nation: new_code() for nation in nations}
        if facilitator:
            seats[WHITE] = new_code()
        return cls(seats)

    def holder(self, given: str) -> str | None:
        """The seat `given` opens, or None. Every code is compared, each in constant time."""
        wanted = normal(given).encode()
        found = None
        for seat, code in self.seats.items():
            if hmac.compare_digest(wanted, normal(code).encode()):
                found = seat
        return found

    def save(self, path: Path) -> None:
        """Write the codes to a new file readable by its owner only (mode 0600)."""
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise UsageError(f"{path} already exists and is not overwritten") from None
        except OSError as err:
            raise RecordFileError(f"{path}: cannot write the join codes: {err.strerror}") from None
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump({"wargame-codes": 1, "seats": dict(self.seats)}, file, indent=1)
            file.write("\n")

    @classmethod
    def load(cls, path: Path) -> Codes:
        """Codes saved by `save`; refused if others may read them or the file is not ours."""
        try:
            info = path.stat()
            if stat.S_IMODE(info.st_mode) & 0o077:
                raise UsageError(f"{path}: the join codes may be read by other users; "
                                 f"chmod 600 {path} and try again")
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as err:
            raise RecordFileError(f"{path}: cannot read the join codes: {err.strerror}") from None
        except ValueError:
            raise UsageError(f"{path}: not a file of join codes") from None
        seats = data.get("seats") if isinstance(data, dict) else None
        if not isinstance(seats, dict) or not all(
                isinstance(k, str) and isinstance(v, str) and len(normal(v)) == LENGTH for k, v in seats.items()):
            raise UsageError(f"{path}: not a file of join codes")
        return cls(seats)


def codes_path(log: Path) -> Path:
    """Where a served game's codes are kept: beside its record, LOG.codes."""
    return log.with_name(log.name + ".codes")


@dataclass
class Throttle:
    """Wrong codes per client address: how long to wait before answering the next attempt, and
    one attempt at a time per address (so parallel connections do not multiply the tries)."""

    failures: dict[str, int] = field(default_factory=dict)
    locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    def turn(self, address: str) -> asyncio.Lock:
        """The lock an attempt from `address` holds while it waits and is judged."""
        return self.locks.setdefault(address, asyncio.Lock())

    def delay(self, address: str) -> float:
        """Seconds to wait before judging this address's next code."""
        count = self.failures.get(address, 0)
        if count < FREE_TRIES:
            return 0.0
        return min(2.0 ** (count - FREE_TRIES), MAX_DELAY)

    def failed(self, address: str) -> int:
        """Count a wrong code; returns how many this address has given."""
        self.failures[address] = self.failures.get(address, 0) + 1
        return self.failures[address]
