"""The negotiation phase on a screen: the messages one viewer may see, a costly signal in words,
and what is left of the turn's limit. Pure renderables of (scenario, state, events); scenario
and player text only ever goes into `Text` (never markup).

Who may see what is decided by wargame.game.views (a NationView's events already leave out
other delegations' private messages and offers, and `messages_seen` picks the messages a nation,
or the whole table, may see from any list of events).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.text import Text

from wargame.engine.events import Event
from wargame.engine.negotiation import IllegalMessage, Message, check, sent_this_turn
from wargame.engine.state import State
from wargame.game.views import messages_seen
from wargame.scenario.scenario import Scenario, SignalInfo
from wargame.view.options import signal_hint

MARKS = {"statement": "◆", "private": "✉", "offer": "⇄", "signal": "⚑"}

__all__ = ["Hanging", "left_text", "message_line", "message_log", "signal_lines", "signals_for"]


def message_line(scenario: Scenario, event: Event, nation: str | None = None, *, turn: bool = False) -> Text:
    """One `message` event as a line: its mark, the engine's words ("Japan to Australia
    (private): …"), a signal's declared effects and that they land when the turn is adjudicated;
    bold when it is addressed to `nation`. `turn`: the turn's label in front."""
    m = Message.from_data(event.data)
    line = Text()
    if turn:
        line.append(f"{scenario.turn_label(event.turn)}  ", style="dim")
    line.append(f"{MARKS.get(m.kind, '·')} ", style="bold")
    line.append(event.text, style="bold" if nation is not None and nation in m.to else "")
    signal = scenario.signals.get(m.signal or "") if m.kind == "signal" else None
    if signal is not None and signal.effects:  # "… — lands when the turn is adjudicated"
        line.append(f" — {signal_hint(scenario, signal)}", style="italic")
    return line


def message_log(scenario: Scenario, events: Sequence[Event], nation: str | None, *,
                since_turn: int = 0, one_line: bool = False, empty: str = "No messages yet.") -> RenderableType:
    """Every message `nation` may see among `events` (wargame.game.views.messages_seen; `nation`
    None: the public ones only, for a screen the whole room sees) from turn `since_turn` on,
    oldest first: under the turn it was sent in ("— Week 3 —"), or with `one_line` one line
    each, the turn in front, cut with "…" (a strip a few lines high). A message that wraps has
    its wrapped lines indented under its words."""
    lines: list[Text] = []
    shown_turn = -1
    for event in messages_seen(events, nation or ""):
        if event.turn < since_turn:
            continue
        if one_line:
            line = message_line(scenario, event, nation, turn=True)
            line.no_wrap, line.overflow = True, "ellipsis"
            lines.append(line)
            continue
        if event.turn != shown_turn:
            shown_turn = event.turn
            lines.append(Text(f"— {scenario.turn_label(shown_turn)} —", style="bold"))
        lines.append(_hanging(message_line(scenario, event, nation)))
    return Group(*lines) if lines else Text(empty, style="dim")


def _hanging(line: Text) -> RenderableType:
    """`line` (a mark, a space, the words) with its wrapped lines indented under the words, so
    a wrapped line never starts where a message's mark does and cannot pass for a message."""
    return Hanging(line[:2], line[2:])


@dataclass(frozen=True)
class Hanging:
    """Words after a mark, wrapped to the width with every wrapped line indented by the mark's
    width (a hanging indent). Sent to a remote seat as plain pieces (wargame.serve.panes)."""

    mark: Text
    words: Text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = self.mark.cell_len
        for i, part in enumerate(self.words.wrap(console, max(options.max_width - indent, 1))):
            row = self.mark.copy() if i == 0 else Text(" " * indent)
            row.append_text(part)
            row.end = "\n"
            yield row


def left_text(scenario: Scenario, state: State, nation: str) -> str:
    """"1 of 2 messages left this turn" (the scenario's per-turn limit, what `nation` has sent)."""
    limit = scenario.messages
    left = max(limit - sent_this_turn(state, nation), 0)
    return f"{left} of {limit} message{'s' if limit != 1 else ''} left this turn"


def signals_for(scenario: Scenario, nation: str) -> list[SignalInfo]:
    """The scenario's costly signals `nation` may ever send (its own and anyone's), in file order."""
    return [s for s in scenario.signals.values() if s.nation in (None, nation)]


def signal_lines(scenario: Scenario, state: State, nation: str, signal: SignalInfo) -> Group:
    """A costly signal in words: its declared costs and effects, whether it may be sent now (the
    engine's reason if not) and once a game only, and what it says."""
    problem = None
    try:
        check(scenario, state, Message(nation, "signal", signal=signal.id))
    except IllegalMessage as err:
        problem = str(err)
    rows = [Text.assemble(("Costs and effects: ", "bold"), signal_hint(scenario, signal))]  # "… — lands when …"
    if problem:
        rows.append(Text.assemble(("Cannot be sent now: ", "bold"), problem))
    else:
        rows.append(Text("Open now. Public: everyone reads it." + (" Once a game." if signal.once else "")))
    rows.append(Text(f"“{signal.text}”", style="italic"))
    return Group(*rows)
