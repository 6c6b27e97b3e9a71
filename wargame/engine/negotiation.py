"""The negotiation phase: what delegations say to each other each turn before orders.

After a turn begins (its injects have fired) and before the decisions, each delegation may send
up to the scenario's `[negotiation].messages` messages (docs/scenario-format.md, "Negotiation"):

- a public **statement** to everyone;
- a **private** message to one or more delegations (only they and the sender ever see it);
- a conditional **offer** to one delegation: "if you choose A, we will choose B" (A one of its
  options, B one of the sender's), private to the two; whether it was kept is judged in the
  report from what both chose that turn, not enforced;
- a costly **signal**: a public statement the scenario declares, with effects on the state
  (a red line drawn in public that costs support at home). It is a declaration: sent, announced
  and counted at once (a once-only signal is closed at once), but its effects land when the turn
  is adjudicated, first, in the order the signals were sent (wargame.engine.rules.adjudicate).
  So nothing said during a turn changes any nation's legal options, and no sealed choice can be
  closed by a later message.

A message is an input of the game like a decision: recorded as a `message` event, replayed and
verified. Only a signal changes the state's tracks (at adjudication); every message counts
against the limit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from wargame.engine.events import Event
from wargame.engine.rules import IllegalDecision, Scratch
from wargame.engine.state import State
from wargame.scenario.scenario import Scenario
from wargame.text import format_characters, one_line

KINDS = ("statement", "private", "offer", "signal")
MAX_TEXT = 300
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class IllegalMessage(IllegalDecision):
    """A message that may not be sent now: over the limit, to no one, or not well formed."""


@dataclass(frozen=True)
class Message:
    """One message of the negotiation phase.

    sender   the sending nation's id
    kind     "statement", "private", "offer" or "signal"
    text     what it says: one line, every run of whitespace made one space (wargame.text.one_line,
             done here, so every way of sending goes through it); at most MAX_TEXT characters,
             no control, format or separator character (check)
    to       addressees' nation ids: one or more for "private", exactly one for "offer",
             none for "statement" and "signal" (they are public)
    signal   the scenario's signal id, for "signal"
    if_option, then_option   for "offer": the addressee's option and the sender's
    """

    sender: str
    kind: str
    text: str = ""
    to: tuple[str, ...] = ()
    signal: str | None = None
    if_option: str | None = None
    then_option: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", one_line(self.text))

    @property
    def public(self) -> bool:
        return self.kind in ("statement", "signal")

    def to_data(self) -> dict[str, object]:
        """The message's fields as a `message` event keeps them."""
        data: dict[str, object] = {"nation": self.sender, "message": self.kind, "to": list(self.to),
                                   "said": self.text}
        if self.signal is not None:
            data["signal"] = self.signal
        if self.kind == "offer":
            data["if_option"] = self.if_option
            data["then_option"] = self.then_option
        return data

    @classmethod
    def from_data(cls, data: dict[str, object]) -> Message:
        """The message a `message` event records (the inverse of `to_data`)."""
        to = data.get("to") or []
        return cls(sender=str(data.get("nation")), kind=str(data.get("message")), text=str(data.get("said") or ""),
                   to=tuple(str(n) for n in to) if isinstance(to, list) else (),
                   signal=str(data["signal"]) if data.get("signal") is not None else None,
                   if_option=str(data["if_option"]) if data.get("if_option") is not None else None,
                   then_option=str(data["then_option"]) if data.get("then_option") is not None else None)


def sent_this_turn(state: State, nation: str) -> int:
    return sum(1 for n in state.sent if n == nation)


def can_see(message: Message, nation: str) -> bool:
    """Public messages are everyone's; a private message or an offer, its sender's and addressees'."""
    return message.public or nation == message.sender or nation in message.to


def check(scenario: Scenario, state: State, message: Message) -> None:
    """IllegalMessage unless `message` may be sent now (see the module docstring)."""
    if state.ended:
        raise IllegalMessage("the game is over")
    if not state.in_turn:
        raise IllegalMessage("messages are sent during a turn, before the orders")
    names = {n.id: n.name for n in scenario.nations}
    if message.sender not in names:
        raise IllegalMessage(f"unknown nation {message.sender!r}")
    if message.kind not in KINDS:
        raise IllegalMessage(f"a message is one of {', '.join(KINDS)}, not {message.kind!r}")
    if len(message.text) > MAX_TEXT or _UNPRINTABLE.search(message.text):
        raise IllegalMessage(f"a message is at most {MAX_TEXT} printable characters")
    hidden = format_characters(message.text)
    if hidden:
        raise IllegalMessage(f"a message may not hold invisible format or line-separator characters "
                             f"({', '.join(hidden)})")
    if sent_this_turn(state, message.sender) >= scenario.messages:
        raise IllegalMessage(f"{names[message.sender]} has sent its {scenario.messages} message(s) this turn")
    for nation in message.to:
        if nation not in names or nation == message.sender:
            raise IllegalMessage(f"{nation!r} is not another delegation")
    if message.public and message.to:
        raise IllegalMessage(f"a {message.kind} is public: it has no addressees")
    if message.kind == "private" and not message.to:
        raise IllegalMessage("a private message needs at least one addressee")
    if message.kind in ("statement", "private") and not message.text.strip():
        raise IllegalMessage("the message says nothing")
    if message.kind == "offer":
        _check_offer(scenario, message)
    if message.kind == "signal":
        _check_signal(scenario, state, message)


def _check_offer(scenario: Scenario, message: Message) -> None:
    if len(message.to) != 1:
        raise IllegalMessage("an offer is made to exactly one delegation")
    wanted = scenario.options.get(message.if_option or "")
    given = scenario.options.get(message.then_option or "")
    if wanted is None or wanted.nation != message.to[0]:
        raise IllegalMessage(f"{message.if_option!r} is not an option of {message.to[0]}")
    if given is None or given.nation != message.sender:
        raise IllegalMessage(f"{message.then_option!r} is not an option of {message.sender}")


def _check_signal(scenario: Scenario, state: State, message: Message) -> None:
    signal = scenario.signals.get(message.signal or "")
    if signal is None:
        raise IllegalMessage(f"unknown signal {message.signal!r}")
    if signal.nation is not None and signal.nation != message.sender:
        raise IllegalMessage(f"only {scenario.nation(signal.nation).name} may send {signal.name!r}")
    if signal.once and signal.id in state.signals_used:
        raise IllegalMessage(f"{signal.name!r} may be sent once a game, and it was")
    if signal.available is not None and not signal.available.evaluate(state.values):
        raise IllegalMessage(f"{signal.name!r} needs {scenario.explain(signal.available)}")


def describe(scenario: Scenario, message: Message) -> str:
    """The event's one line: who said what to whom ("Japan to Australia (private): ...")."""
    sender = scenario.nation(message.sender).name
    said = f': "{message.text}"' if message.text else ""
    if message.kind == "signal":
        signal = scenario.signals[message.signal or ""]
        return f"{sender} signals publicly: {signal.name}{said}"
    if message.kind == "statement":
        return f"{sender} (public statement){said}"
    to = ", ".join(scenario.nation(n).name for n in message.to)
    if message.kind == "offer":
        wanted = scenario.options[message.if_option or ""].name
        given = scenario.options[message.then_option or ""].name
        return f"{sender} to {to} (offer): if {to} chooses {wanted!r}, {sender} will choose {given!r}{said}"
    return f"{sender} to {to} (private){said}"


def send(scenario: Scenario, state: State, message: Message) -> tuple[State, list[Event]]:
    """Send one message: the state after it (the sender's count; for a signal, the signal used
    and its effects pending until the turn is adjudicated) and its one `message` event. No track
    changes here. IllegalMessage if it may not be sent now."""
    check(scenario, state, message)
    t = Scratch(scenario, state, state.turn)
    t.emit("message", describe(scenario, message), **message.to_data())
    used, pending = state.signals_used, state.pending_signals
    if message.kind == "signal":
        signal_id = message.signal or ""
        used = (*used, signal_id) if signal_id not in used else used
        pending = (*pending, (message.sender, signal_id))
    return t.finish(sent=(*state.sent, message.sender), signals_used=used, pending_signals=pending)


def offers_kept(messages: Sequence[Message], chosen: dict[str, str]) -> list[tuple[Message, str]]:
    """Each offer of a turn with what became of it, from the options chosen that turn (nation ->
    option id): "kept" (both chose as offered), "broken" (the addressee did, the sender did
    not), "not taken up" (the addressee chose otherwise)."""
    out = []
    for m in messages:
        if m.kind != "offer":
            continue
        if chosen.get(m.to[0]) != m.if_option:
            out.append((m, "not taken up"))
        elif chosen.get(m.sender) == m.then_option:
            out.append((m, "kept"))
        else:
            out.append((m, "broken"))
    return out


__all__ = ["KINDS", "IllegalMessage", "Message", "can_see", "check", "offers_kept", "send", "sent_this_turn"]
