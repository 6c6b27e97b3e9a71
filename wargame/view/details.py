"""The details behind the situation room, each a pure renderable: one option in full, a nation's
options, the event log, the history of the tracks, the private brief.

Scenario text goes only into `Text`. The full-screen table shows these in panes; the plain mode
prints them on request.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from wargame.engine.events import Event
from wargame.engine.rules import Choice
from wargame.engine.state import State
from wargame.scenario.scenario import Scenario
from wargame.view.common import event_words, num
from wargame.view.options import option_detail, option_number
from wargame.view.situation import Situation, spark

__all__ = ["event_log", "option_text", "options_text", "track_history"]


def option_text(scenario: Scenario, state: State, choice: Choice) -> RenderableType:
    """One option in full, in words (wargame.view.options.option_detail), as heading: text rows."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True, justify="right", style="bold")
    grid.add_column(ratio=1, overflow="fold")
    for heading, text in option_detail(scenario, choice.option, state.values, open_now=choice.ok,
                                       why_not=choice.why_not):
        grid.add_row(Text(heading), Text(text, style="" if choice.ok or heading != "Now" else "bold"))
    return grid


def options_text(scenario: Scenario, state: State, choices: Sequence[Choice]) -> RenderableType:
    """Every option of a nation in full, under its game-long number, open ones first."""
    parts: list[RenderableType] = []
    for choice in sorted(choices, key=lambda c: (not c.ok, option_number(scenario, c.option))):
        parts += [option_text(scenario, state, choice), Text("")]
    return Group(*parts)


def event_log(scenario: Scenario, events: Sequence[Event], *, last: int | None = None) -> RenderableType:
    """The events so far, one line each under the turn they belong to ("— Week 3 —"), the latest
    `last` only if given. Chance rolls and turn ends are left out: their results are in the lines."""
    shown = [e for e in events if e.kind not in ("turn_end", "chance")]
    if last is not None:
        shown = shown[-last:]
    lines: list[Text] = []
    for e in shown:
        if e.kind == "turn_start":
            lines.append(Text(f"— {scenario.turn_label(e.turn)} —", style="bold"))
            continue
        mark = {"inject": "■", "decision": "▶", "effect": " ·", "facilitator": "⚐", "approval": " ✓",
                "game_end": "◆", "pledge_fired": "◆", "pledge_made": " ◆", "role": " ◆", "request": " →",
                "posture": " ·"}.get(e.kind, " ·")
        text = Text(f"{mark} ")
        bold = e.kind in ("inject", "decision", "facilitator", "game_end")
        text.append(event_words(scenario, e), style="bold" if bold else "")
        note = e.data.get("note") if e.kind == "decision" else None
        if note:
            text.append(f" — why: {note}", style="italic")
        lines.append(text)
    return Group(*lines) if lines else Text("Nothing has happened yet.", style="dim")


def track_history(s: Situation) -> RenderableType:
    """Every track's value at the start and at the end of each turn, with its trend."""
    table = Table(box=None, padding=(0, 1), show_edge=False)
    table.add_column("Track", no_wrap=True)
    turns = max((len(f.history) for f in s.tracks.values()), default=1) - 1
    table.add_column("start", justify="right")
    for k in range(1, turns):
        table.add_column(f"T{k}", justify="right")
    table.add_column("now", justify="right", style="bold")
    table.add_column("trend")
    for f in s.tracks.values():
        owner = f.track.nation
        title = f.track.title if owner is None else f"{f.track.title} ({s.scenario.nation(owner).name})"
        values = [num(v) for v in f.history]
        table.add_row(title, *values, spark(f.history, f.track))
    return table
