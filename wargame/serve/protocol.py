"""The wire protocol: what a client may send, validated before anything reads it.

Every inbound WebSocket frame is one JSON object of at most MAX_FRAME bytes, one of:

    {"type": "hello", "code": "ABCDE-FGHJK"}      claim a seat (or the White cell) with its code
    {"type": "hello"}                              the read-only room view: the public board only
    {"type": "decide", "turn": 3, "option": "japan.yokota", "note": "why, in a line"}
    {"type": "white", "action": "pause" | "resume" | "comment", "note": "..."}   facilitator only
    {"type": "send", "turn": 3, "kind": "statement" | "private" | "offer" | "signal", "text": "...",
     "to": ["japan"], "if_option": "yokota", "then_option": "hold", "signal": "red_line"}
                                                   a message of the negotiation phase (the fields
                                                   its kind needs; see Send)

Anything else (unknown fields, wrong types, oversize strings, control characters) is refused
with an error reply and never reaches the game. Outbound messages are built by
wargame.serve.view ("state" snapshots) and `error` / `ack` replies; see docs/serve.md.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator, model_validator

from wargame.engine.negotiation import MAX_TEXT, Message
from wargame.errors import WargameError
from wargame.text import has_unsafe

MAX_FRAME = 4096  # bytes of one inbound message; the server's WebSocket limit is the same
MAX_NOTE = 500  # characters of a delegation's note, as at the keyboard
MAX_TO = 10  # addressees of one private message
_ID = r"^[A-Za-z0-9_-]+$"  # a nation's or a signal's id
_OPTION = r"^[A-Za-z0-9_.-]+$"  # an option's id, with or without its nation's prefix


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


class Send(_Inbound):
    """A delegation's message of the negotiation phase for `turn` (wargame.engine.negotiation):
    a public `statement`; a `private` message `to` one or more delegations; an `offer` to one
    delegation (`to`, one id): "if you choose `if_option`, we will choose `then_option`"; a
    costly `signal` (the scenario's id). Each kind takes only the fields it needs; whether the
    nations, options and signal exist, and the limit, are the game's to say."""

    type: Literal["send"]
    turn: int = Field(ge=1, le=10_000)
    kind: Literal["statement", "private", "offer", "signal"]
    text: str = Field(default="", max_length=MAX_TEXT)
    to: list[Annotated[str, Field(min_length=1, max_length=64, pattern=_ID)]] = Field(default=[], max_length=MAX_TO)
    if_option: str | None = Field(default=None, min_length=1, max_length=128, pattern=_OPTION)
    then_option: str | None = Field(default=None, min_length=1, max_length=128, pattern=_OPTION)
    signal: str | None = Field(default=None, min_length=1, max_length=64, pattern=_ID)

    @field_validator("text")
    @classmethod
    def _one_line(cls, text: str) -> str:
        return _plain_line(text)

    @model_validator(mode="after")
    def _fields_of_its_kind(self) -> Send:
        given = {name for name in ("to", "if_option", "then_option", "signal") if getattr(self, name)}
        needed = {"statement": set(), "private": {"to"}, "offer": {"to", "if_option", "then_option"},
                  "signal": {"signal"}}[self.kind]
        if given - needed:
            raise ValueError(f"a {self.kind} message takes no {_fields(given - needed)}")
        if needed - given:
            raise ValueError(f"a {self.kind} message needs {_fields(needed - given)}")
        if self.kind == "offer" and len(self.to) != 1:
            raise ValueError("an offer is made to exactly one delegation")
        return self

    def message(self, sender: str) -> Message:
        """The message `sender` sends (nation id); an option may be given without its nation's
        prefix (`yokota` for `japan.yokota`). Whether it may be sent is the game's to say."""
        def option(owner: str, name: str | None) -> str | None:
            if name is None or name.startswith(owner + "."):
                return name
            return f"{owner}.{name}"

        to = tuple(dict.fromkeys(self.to))  # each addressee once
        return Message(sender, self.kind, self.text, to, signal=self.signal,
                       if_option=option(to[0], self.if_option) if self.kind == "offer" else None,
                       then_option=option(sender, self.then_option))


def _fields(names: set[str]) -> str:
    return ", ".join(f"'{n}'" for n in sorted(names))


Frame = Hello | Decide | White | Send
Inbound = Annotated[Frame, Field(discriminator="type")]
_ADAPTER: TypeAdapter[Frame] = TypeAdapter(Inbound)


def parse(frame: str | bytes) -> Frame:
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
        why = str(first["msg"]).removeprefix("Value error, ")
        raise ProtocolError(f"invalid message: {where}: {why}") from None
