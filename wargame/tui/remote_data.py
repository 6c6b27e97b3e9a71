"""What a remote seat reads from the host's snapshots (docs/serve.md, "The protocol"), checked
field by field: a field of the wrong type reads as empty, never as an error, and never as
markup (wargame.tui.remote and its screens put every text into rich `Text`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

Snapshot = Mapping[str, Any]


class RemoteClock:
    """The server's decision clock as last told (seconds left, paused), counting down here
    between snapshots; shaped like wargame.players.clock.Clock for `clock_text`."""

    held = False

    def __init__(self, told: Mapping[str, Any]) -> None:
        left = told.get("left")
        self.known = isinstance(left, (int, float)) and not isinstance(left, bool)
        self._left = float(left) if isinstance(left, (int, float)) and self.known else 0.0
        self.paused = told.get("paused") is True
        self._at = time.monotonic()

    @property
    def running(self) -> bool:
        return self.known and not self.paused

    def left(self) -> float:
        """Seconds left now (never below 0)."""
        gone = 0.0 if self.paused else time.monotonic() - self._at
        return max(self._left - gone, 0.0)


def clock_of(snapshot: Snapshot) -> RemoteClock | None:
    told = snapshot.get("clock")
    clock = RemoteClock(told) if isinstance(told, Mapping) else None
    return clock if clock is not None and clock.known else None


def seat_of(snapshot: Snapshot) -> Mapping[str, Any]:
    seat = snapshot.get("seat")
    return seat if isinstance(seat, Mapping) else {}


def room_of(snapshot: Snapshot) -> Mapping[str, Any]:
    """The seat's room panes (wargame.serve.panes), or nothing."""
    room = seat_of(snapshot).get("room")
    return room if isinstance(room, Mapping) else {}


def text(value: object) -> str:
    """A field that should be a string, as one (anything else: empty)."""
    return value if isinstance(value, str) else ""


def names(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
