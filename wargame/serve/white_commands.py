"""The White cell's commands from a browser: `{"type": "white", "action": ACTION, ...}` frames of
the wire protocol (wargame.serve.protocol parses them), validated before anything reads them.

They are the commands of the White cell on the host's terminal
(wargame.players.white_cell), each turned by `to_action()` into the facilitator action the engine
checks and records (wargame.engine.facilitator: nothing of the rules is repeated here), or, for
`go` and `hold`, into the table's flow (when the next turn begins; not recorded). With the
scenario in the validation context (the server always gives it), every name and amount is
checked against the scenario before anything reaches the game.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator

from wargame.engine.facilitator import FacilitatorError, whole_amount
from wargame.scenario.scenario import Scenario
from wargame.serve.inbound import MAX_NOTE, InboundModel, plain_line

MAX_TITLE = 120  # characters of an inject's or an ending's title
MAX_REASON = 300  # characters of a reason ("why now")
MAX_CHANGES = 8  # track or flag changes in one command
_NAME = r"^[A-Za-z0-9_.-]+$"  # an inject's, a nation's, a track's or a flag's name


def _scenario(info: ValidationInfo) -> Scenario | None:
    context = info.context
    return context.get("scenario") if isinstance(context, dict) else None


class Change(InboundModel):
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


Line = Annotated[str, Field(max_length=MAX_NOTE), AfterValidator(plain_line)]
Title = Annotated[str, Field(max_length=MAX_TITLE), AfterValidator(plain_line)]
Reason = Annotated[str, Field(max_length=MAX_REASON), AfterValidator(plain_line)]
Changes = Annotated[tuple[Change, ...], Field(max_length=MAX_CHANGES)]


class White(InboundModel):
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
