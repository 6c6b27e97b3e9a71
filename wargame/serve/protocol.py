"""The wire protocol: what a client may send, validated before anything reads it.

Every inbound WebSocket frame is one JSON object of at most MAX_FRAME bytes, one of:

    {"type": "hello", "code": "ABCDE-FGHJK"}      claim a seat (or the White cell) with its code
    {"type": "hello"}                              the read-only room view: the public board only
    {"type": "decide", "turn": 3, "option": "japan.yokota", "note": "why, in a line"}
    {"type": "white", "action": "inject", "inject": "summit", ...}   the White cell only: its
                                                   commands, below ("White cell's commands")
    {"type": "send", "turn": 3, "kind": "statement" | "private" | "offer" | "signal", "text": "...",
     "to": ["japan"], "if_option": "yokota", "then_option": "hold", "signal": "red_line"}
                                                   a message of the negotiation phase (the fields
                                                   its kind needs; see Send)

Anything else (unknown fields, wrong types, oversize strings, control characters) is refused
with an error reply and never reaches the game. Outbound messages are built by
wargame.serve.view ("state" snapshots) and `error` / `ack` replies; see docs/serve.md.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from wargame.engine.facilitator import FacilitatorError, whole_amount
from wargame.engine.negotiation import MAX_TEXT, Message
from wargame.errors import WargameError
from wargame.scenario.scenario import Scenario
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


# ------------------------------------------------------------------ the White cell's commands
#
# {"type": "white", "action": ACTION, ...}: the commands of the White cell on the host's terminal
# (wargame.players.white_cell), each turned by `to_action()` into the facilitator action the engine
# checks and records (wargame.engine.facilitator: nothing of the rules is repeated here), or, for
# `go` and `hold`, into the table's flow (when the next turn begins; not recorded). With the
# scenario in the validation context (the server always gives it), every name and amount is
# checked against the scenario before anything reaches the game.

MAX_TITLE = 120  # characters of an inject's or an ending's title
MAX_REASON = 300  # characters of a reason ("why now")
MAX_CHANGES = 8  # track or flag changes in one command
_NAME = r"^[A-Za-z0-9_.-]+$"  # an inject's, a nation's, a track's or a flag's name


def _scenario(info: ValidationInfo) -> Scenario | None:
    context = info.context
    return context.get("scenario") if isinstance(context, dict) else None


class Change(_Inbound):
    """One change to a track or flag the White cell may set: `{"name": "cohesion", "op": "-=",
    "value": 1}`; a flag takes `"op": "="` and true or false. A track's amount is a whole number
    (tracks hold whole numbers: the rule of every White cell console,
    wargame.engine.facilitator.whole_amount), within the track's limits: a new value within
    them, a step no larger than the track is long."""

    name: str = Field(min_length=1, max_length=64, pattern=_NAME)
    op: Literal["+=", "-=", "="]
    value: float | bool

    @model_validator(mode="after")
    def _within(self, info: ValidationInfo) -> Change:
        if not isinstance(self.value, bool):
            if not math.isfinite(self.value):
                raise ValueError(f"{self.name} is a track: give it a number")
            try:
                whole_amount(self.name, self.value)
            except FacilitatorError as err:
                raise ValueError(str(err)) from None
        scenario = _scenario(info)
        if scenario is None:
            return self
        slot = scenario.names.get(self.name)
        if slot is None or not slot.writable:
            raise ValueError("not a track or flag of this scenario that the White cell may set")
        if slot.kind == "bool":
            if self.op != "=" or not isinstance(self.value, bool):
                raise ValueError(f"{self.name} is a flag: set it = true or = false")
        elif isinstance(self.value, bool):
            raise ValueError(f"{self.name} is a track: give it a number")
        elif self.op == "=" and not slot.lo <= self.value <= slot.hi:
            raise ValueError(f"{self.name} runs from {slot.lo:g} to {slot.hi:g}")
        elif self.op != "=" and not 0 <= self.value <= slot.hi - slot.lo:
            raise ValueError(f"{self.name} moves by 0 to {slot.hi - slot.lo:g} at a time")
        return self

    def effect(self) -> str:
        """The change as an effect statement of the scenario's language: "cohesion -= 1"."""
        if isinstance(self.value, bool):
            return f"{self.name} = {'true' if self.value else 'false'}"
        return f"{self.name} {self.op} {int(self.value)}"  # a whole number (see _within), never 1e+06


def _effects(changes: tuple[Change, ...]) -> list[str]:
    return [c.effect() for c in changes]


Line = Annotated[str, Field(max_length=MAX_NOTE), AfterValidator(_plain_line)]
Title = Annotated[str, Field(max_length=MAX_TITLE), AfterValidator(_plain_line)]
Reason = Annotated[str, Field(max_length=MAX_REASON), AfterValidator(_plain_line)]
Changes = Annotated[tuple[Change, ...], Field(max_length=MAX_CHANGES)]


class White(_Inbound):
    """A White cell command from a browser (the facilitator code only); see the subclasses."""

    type: Literal["white"]

    def to_action(self) -> dict[str, Any] | None:
        """The facilitator action to carry out (plain data, as the record keeps it), or None for
        the table's flow (`go`, `hold`)."""
        return None


def _why(reason: str) -> dict[str, str]:
    return {"reason": reason} if reason else {}


class WhitePause(White):
    """Stop the decision clock."""

    action: Literal["pause"]

    def to_action(self) -> dict[str, Any] | None:
        return {"action": "clock", "paused": True}


class WhiteResume(White):
    """Restart the decision clock."""

    action: Literal["resume"]

    def to_action(self) -> dict[str, Any] | None:
        return {"action": "clock", "paused": False}


class WhiteComment(White):
    """A note for the record and the report."""

    action: Literal["comment"]
    note: Line = Field(min_length=1)

    def to_action(self) -> dict[str, Any] | None:
        return {"action": "comment", "note": self.note}


class WhiteInject(White):
    """Fire one of the scenario's injects now (between turns)."""

    action: Literal["inject"]
    inject: str = Field(min_length=1, max_length=128, pattern=_NAME)
    reason: Reason = ""

    @field_validator("inject")
    @classmethod
    def _known(cls, inject: str, info: ValidationInfo) -> str:
        scenario = _scenario(info)
        if scenario is not None and inject not in {i.id for i in scenario.injects}:
            raise ValueError("not one of this scenario's injects")
        return inject

    def to_action(self) -> dict[str, Any] | None:
        return {"action": "inject", "inject": self.inject, "reason": self.reason}


class WhiteNew(White):
    """An inject written on the spot, with its changes (between turns)."""

    action: Literal["new"]
    title: Title = Field(min_length=1)
    detail: Line = ""
    changes: Changes = ()
    reason: Reason = ""

    def to_action(self) -> dict[str, Any] | None:
        return {"action": "free_inject", "title": self.title, "detail": self.detail,
                "effects": _effects(self.changes), "reason": self.reason}


class WhiteAdjust(White):
    """Set tracks or flags straight, with a reason (between turns)."""

    action: Literal["adjust"]
    changes: Changes = Field(min_length=1)
    reason: Reason = Field(min_length=1)

    def to_action(self) -> dict[str, Any] | None:
        return {"action": "adjust", "effects": _effects(self.changes), "reason": self.reason}


class WhitePropose(White):
    """A delegation's free-form proposal, adjudicated by a roll at the chance the White cell sets
    (percent), with what follows if it succeeds and if it fails (between turns)."""

    action: Literal["propose"]
    nation: str = Field(min_length=1, max_length=64, pattern=_NAME)
    proposal: Line = Field(min_length=1)
    percent: float = Field(ge=0, le=100)
    on_success: Changes = ()
    on_failure: Changes = ()
    reason: Reason = ""

    @field_validator("nation")
    @classmethod
    def _known(cls, nation: str, info: ValidationInfo) -> str:
        scenario = _scenario(info)
        if scenario is not None and nation not in scenario.nation_index:
            raise ValueError("not one of this scenario's nations")
        return nation

    def to_action(self) -> dict[str, Any] | None:
        return {"action": "adjudicate", "nation": self.nation, "proposal": self.proposal,
                "chance": round(self.percent / 100, 4), "on_success": _effects(self.on_success),
                "on_failure": _effects(self.on_failure), "reason": self.reason}


class WhiteUndo(White):
    """Take back the White cell's last action alone (`last_action`: true), or go back to the start
    of a turn (`to_turn`: this turn or the previous one)."""

    action: Literal["undo"]
    last_action: Literal[True] | None = None
    to_turn: int | None = Field(default=None, ge=1, le=10_000)
    reason: Reason = ""

    @model_validator(mode="after")
    def _one(self, info: ValidationInfo) -> WhiteUndo:
        if (self.last_action is None) == (self.to_turn is None):
            raise ValueError("undo takes either last_action: true or to_turn: N")
        scenario = _scenario(info)
        if scenario is not None and self.to_turn is not None and self.to_turn > scenario.turns:
            raise ValueError(f"this scenario has {scenario.turns} turns")
        return self

    def to_action(self) -> dict[str, Any] | None:
        where: dict[str, Any] = {"last_action": True} if self.last_action else {"to_turn": self.to_turn}
        return {"action": "undo", **where, **_why(self.reason)}


class WhiteEnd(White):
    """End the game with the White cell's own outcome."""

    action: Literal["end"]
    title: Title = Field(min_length=1)
    detail: Line = ""
    reason: Reason = ""

    def to_action(self) -> dict[str, Any] | None:
        return {"action": "end", "title": self.title, "detail": self.detail, "reason": self.reason}


class WhiteGo(White):
    """Begin the next turn (or, once the game is over, close it): the White cell's Enter."""

    action: Literal["go"]


class WhiteHold(White):
    """Whether the game waits for the White cell between turns (`on`) or runs on."""

    action: Literal["hold"]
    on: bool


WhiteCommand = Annotated[WhitePause | WhiteResume | WhiteComment | WhiteInject | WhiteNew | WhiteAdjust
                         | WhitePropose | WhiteUndo | WhiteEnd | WhiteGo | WhiteHold,
                         Field(discriminator="action")]


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
