"""Events: what happened, in order, each with a one-line explanation.

An event is plain data (kind, turn, fields) so it can be written as one JSON line and read back;
`text` is the sentence the board and the log show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Event:
    kind: str
    turn: int
    text: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "turn": self.turn, **self.data, "text": self.text}


@dataclass(frozen=True)
class Decision:
    """A nation's choice for one turn, and who made it (human, bot, script)."""

    nation: str
    option: str
    by: str = "bot"
    note: str = ""
