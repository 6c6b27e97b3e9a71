"""Replay in the full-screen table: a timeline of the turns as the game finally went, one turn's
whole board beside it (every decision with its rationale, every effect with its reason, the
White cell's actions), and the situation room as it stood after that turn.

Keys: n / → next turn, p / ← previous, Home / End first and last, a turn's number then Enter
to jump, Tab between the board and the situation room, q to leave.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Input, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from wargame.record.verify import PlayedTurn
from wargame.scenario.scenario import Scenario
from wargame.tui.base import GuardedApp
from wargame.tui.room import Scrolling, Sight, SituationRoom


def _summary(turn: PlayedTurn) -> Text:
    """One line of the timeline: the turn and what happened in it."""
    kinds = [e.kind for e in turn.events]
    bits = [f"{kinds.count('decision')} decisions"]
    if kinds.count("inject"):
        bits.append(f"{kinds.count('inject')} injects")
    if kinds.count("facilitator"):
        bits.append(f"{kinds.count('facilitator')} White cell")
    if "game_end" in kinds:
        bits.append("the end")
    return Text.assemble((turn.label, "bold"), f"\n  {', '.join(bits)}")


class ReplayApp(GuardedApp[None]):
    """Step through a recorded game (see the module's docstring)."""

    TITLE = "wargame replay"
    BINDINGS = [Binding("n", "step(1)", "Next turn"), Binding("right", "step(1)", "Next", show=False),
                Binding("p", "step(-1)", "Previous turn"), Binding("left", "step(-1)", "Previous", show=False),
                Binding("home", "jump(0)", "First"), Binding("end", "jump(-1)", "Last"),
                Binding("tab", "switch", "Board / situation"), Binding("q", "quit", "Leave")]
    CSS = """
    #timeline { width: 26; border: round $primary; }
    #turn { width: 1fr; }
    #jump { height: 3; }
    #said { height: 1; padding: 0 1; }
    """

    def __init__(self, scenario: Scenario, turns: Sequence[PlayedTurn], *, title: str = "") -> None:
        super().__init__()
        self.scenario = scenario
        self.turns = list(turns)
        self.at = 0
        self.sub_title = title

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield OptionList(*(Option(_summary(t), id=str(i)) for i, t in enumerate(self.turns)), id="timeline")
            with TabbedContent(id="turn", initial="board"):
                with TabPane("The turn's board", id="board"):
                    yield Scrolling(Text(""), id="board-view")
                with TabPane("Situation after it", id="room"):
                    yield SituationRoom()
        yield Static("", id="said")
        yield Input(placeholder="A turn's number and Enter jumps there", id="jump")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#timeline", OptionList).border_title = "Timeline"
        self.show(0)
        self.query_one("#timeline", OptionList).focus()

    def show(self, index: int) -> None:
        """Show the turn at `index` of the timeline."""
        from wargame.view.board import render_board

        self.at = max(0, min(index, len(self.turns) - 1))
        turn = self.turns[self.at]
        events = list(turn.events)
        self.board = render_board(self.scenario, turn.state, events)
        self.query_one("#board-view", Scrolling).update(self.board)
        history = [e for t in self.turns[: self.at + 1] for e in t.events]
        self.query_one(SituationRoom).show(Sight(self.scenario, turn.state, history,
                                                 seat=f"replay: turn {self.at + 1} of {len(self.turns)}"))
        timeline = self.query_one("#timeline", OptionList)
        if timeline.highlighted != self.at:
            timeline.highlighted = self.at
        self.query_one("#said", Static).update(Text(f"{turn.label} — turn {self.at + 1} of {len(self.turns)} played",
                                                    style="bold"))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None and int(event.option.id) != self.at:
            self.show(int(event.option.id))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        event.input.value = ""
        numbers = [t.number for t in self.turns]
        if text.isdecimal() and int(text) in numbers:
            self.show(numbers.index(int(text)))
            self.query_one("#timeline", OptionList).focus()
        else:
            self.query_one("#said", Static).update(Text(f"No turn {text!r}: the turns are {numbers[0]} to "
                                                        f"{numbers[-1]}.", style="bold"))

    def on_key(self, event: object) -> None:
        key = getattr(event, "character", None)
        entry = self.query_one(Input)
        if key is not None and key.isdecimal() and not entry.has_focus:
            entry.focus()
            entry.insert_text_at_cursor(key)
            getattr(event, "stop")()  # noqa: B009 - a textual Key event

    def action_step(self, by: int) -> None:
        self.show(self.at + by)

    def action_jump(self, index: int) -> None:
        self.show(index if index >= 0 else len(self.turns) - 1)

    def action_switch(self) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = "room" if tabs.active == "board" else "board"
