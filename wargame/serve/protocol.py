"""The wire protocol: what a client may send, validated before anything reads it.

Every inbound WebSocket frame is one JSON object of at most MAX_FRAME bytes, one of:

    {"type": "hello", "code": "ABCDE-FGHJK"}      claim a seat (or the White cell) with its code
    {"type": "hello"}                              the read-only room view: the public board only
    {"type": "decide", "turn": 3, "option": "japan.yokota", "note": "why, in a line"}
    {"type": "white", "action": "inject", "inject": "summit", ...}   the White cell only: its
                                                   commands (wargame.serve.white_commands)
    {"type": "send", "turn": 3, "kind": "statement" | "private" | "offer" | "signal", "text": "...",
     "to": ["japan"], "if_option": "yokota", "then_option": "hold", "signal": "red_line"}
                                                   a message of the negotiation phase (the fields
                                                   its kind needs; see Send)

Anything else (unknown fields, wrong types, oversize strings, control characters) is refused
with an error reply and never reaches the game. Outbound messages are built by
wargame.serve.view ("state" snapshots) and `error` / `ack` replies; see docs/serve.md.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter, ValidationError, field_validator, model_validator

from wargame.engine.negotiation import MAX_TEXT, Message
from wargame.errors import WargameError
from wargame.scenario.scenario import Scenario
from wargame.serve.inbound import MAX_NOTE as MAX_NOTE  # the note's limit, part of the protocol (clients read it here)
from wargame.serve.inbound import InboundModel, plain_line
from wargame.serve.white_commands import White, WhiteCommand

MAX_FRAME = 4096  # bytes of one inbound message; the server's WebSocket limit is the same
MAX_TO = 10  # addressees of one private message
_ID = r"^[A-Za-z0-9_-]+$"  # a nation's or a signal's id
_OPTION = r"^[A-Za-z0-9_.-]+$"  # an option's id, with or without its nation's prefix


class ProtocolError(WargameError):
    """An inbound message that is not one the protocol allows."""


class Hello(InboundModel):
    """Claim a seat with its join code, the White cell with the facilitator code, or (no code)
    watch the room view."""

    type: Literal["hello"]
    code: str | None = Field(default=None, min_length=1, max_length=64)


class Decide(InboundModel):
    """A delegation's decision for `turn` (the turn it was shown, so a stale page cannot decide
    a later turn by accident)."""

    type: Literal["decide"]
    turn: int = Field(ge=1, le=10_000)
    option: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.-]+$")
    note: str = Field(default="", max_length=MAX_NOTE)

    @field_validator("note")
    @classmethod
    def _one_line(cls, note: str) -> str:
        return plain_line(note)


class Send(InboundModel):
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
        return plain_line(text)

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
Inbound = Annotated[Hello | Decide | Send | WhiteCommand, Field(discriminator="type")]
_ADAPTER: TypeAdapter[Frame] = TypeAdapter(Inbound)
MESSAGE_TYPES = ("hello", "decide", "send", "white")  # the `type`s a client may send, as Inbound has them
WHITE_ACTIONS = ("pause", "resume", "comment", "inject", "new", "adjust", "propose", "undo", "end", "go",
                 "hold")  # a White cell command's `action`s, as WhiteCommand has them


def parse(frame: str | bytes, scenario: Scenario | None = None) -> Frame:
    """One inbound frame as a message, or ProtocolError saying what is wrong (never echoing
    the input back). With `scenario`, the names a White cell command gives (inject, nation,
    track or flag, turn) and its amounts are checked against it too."""
    size = len(frame.encode("utf-8") if isinstance(frame, str) else frame)
    if size > MAX_FRAME:
        raise ProtocolError(f"message too long ({size} bytes; at most {MAX_FRAME})")
    try:
        return _ADAPTER.validate_json(frame, context={"scenario": scenario})
    except ValidationError as err:
        first = err.errors(include_input=False, include_url=False)[0]
        tagged = _tag_error(first)
        if tagged:
            raise ProtocolError(tagged) from None
        loc = [str(p) for p in first["loc"]]
        if loc[:1] == ["white"]:  # the union's tags: "white", then the command's name
            loc = [f"White cell {loc[1]}" if len(loc) > 1 else "White cell command", *loc[2:]]
        where = ".".join(loc) or "message"
        raise ProtocolError(f"invalid message: {where}: {first['msg'].removeprefix('Value error, ')}") from None


def _tag_error(error: Any) -> str | None:
    """A frame whose `type` (or a White cell command whose `action`) is missing or unknown, in the
    project's words: "unknown message type 'bogus'; expected one of hello, decide, send, white"
    (a White cell command's begins as its other refusals do: "invalid message: White cell
    command: …"). The unknown tag is quoted only when it is a short plain word (letters, digits,
    _ and -); else nothing of the input is echoed. None for any other error."""
    if error["type"] not in ("union_tag_invalid", "union_tag_not_found"):
        return None
    ctx = error.get("ctx") or {}
    tag = str(ctx.get("tag", ""))
    shown = f" '{tag}'" if re.fullmatch(r"[A-Za-z0-9_-]{1,32}", tag) else ""
    if tuple(error["loc"][:1]) == ("white",):  # as the White cell's other refusals begin
        expected = ", ".join(WHITE_ACTIONS)
        if error["type"] == "union_tag_not_found":
            return f"invalid message: White cell command: it needs its 'action': one of {expected}"
        return f"invalid message: White cell command: unknown action{shown}; expected one of {expected}"
    expected = ", ".join(MESSAGE_TYPES)
    if error["type"] == "union_tag_not_found":
        return f"a message needs its 'type': one of {expected}"
    return f"unknown message type{shown}; expected one of {expected}"
