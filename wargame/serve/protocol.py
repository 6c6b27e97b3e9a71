"""The wire protocol: what a client may send, validated before anything reads it.

Every inbound WebSocket frame is one JSON object of at most MAX_FRAME bytes, one of:

    {"type": "hello", "code": "ABCDE-FGHJK"}      claim a seat (or the White cell) with its code
    {"type": "hello"}                              the read-only room view: the public board only
    {"type": "decide", "turn": 3, "option": "japan.yokota", "note": "why, in a line"}
    {"type": "white", "action": "pause" | "resume" | "comment", "note": "..."}   facilitator only

Anything else (unknown fields, wrong types, oversize strings, control characters) is refused
with an error reply and never reaches the game. Outbound messages are built by
wargame.serve.view ("state" snapshots) and `error` / `ack` replies; see docs/serve.md.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from wargame.errors import WargameError
from wargame.text import has_unsafe

MAX_FRAME = 4096  # bytes of one inbound message; the server's WebSocket limit is the same
MAX_NOTE = 500  # characters of a delegation's note, as at the keyboard


class ProtocolError(WargameError):
    """An inbound message that is not one the protocol allows."""


def _plain_line(text: str) -> str:
    """One line of plain text: runs of whitespace become one space; the characters wargame.text
    calls unsafe (control codes, bidi overrides) are refused rather than stored in the record."""
    line = " ".join(text.split())
    if has_unsafe(line):
        raise ValueError("control characters are not allowed")
    return line


class _Inbound(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Hello(_Inbound):
    """Claim a seat with its join code, the White cell with the facilitator code, or (no code)
    watch the room view."""

    type: Literal["hello"]
    code: str | None = Field(default=None, min_length=1, max_length=64)


class Decide(_Inbound):
    """A delegation's decision for `turn` (the turn it was shown, so a stale page cannot decide
    a later turn by accident)."""

    type: Literal["decide"]
    turn: int = Field(ge=1, le=10_000)
    option: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.-]+$")
    note: str = Field(default="", max_length=MAX_NOTE)

    @field_validator("note")
    @classmethod
    def _one_line(cls, note: str) -> str:
        return _plain_line(note)


class White(_Inbound):
    """The facilitator's actions from a browser: the decision clock, and a note in the record."""

    type: Literal["white"]
    action: Literal["pause", "resume", "comment"]
    note: str = Field(default="", max_length=MAX_NOTE)

    @field_validator("note")
    @classmethod
    def _one_line(cls, note: str) -> str:
        return _plain_line(note)


Inbound = Annotated[Hello | Decide | White, Field(discriminator="type")]
_ADAPTER: TypeAdapter[Hello | Decide | White] = TypeAdapter(Inbound)


def parse(frame: str | bytes) -> Hello | Decide | White:
    """One inbound frame as a message, or ProtocolError saying what is wrong (never echoing
    the input back)."""
    size = len(frame.encode("utf-8") if isinstance(frame, str) else frame)
    if size > MAX_FRAME:
        raise ProtocolError(f"message too long ({size} bytes; at most {MAX_FRAME})")
    try:
        return _ADAPTER.validate_json(frame)
    except ValidationError as err:
        first = err.errors(include_input=False, include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "message"
        raise ProtocolError(f"invalid message: {where}: {first['msg']}") from None
