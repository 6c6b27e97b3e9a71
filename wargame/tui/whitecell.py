"""The White cell's own view: the whole board (nothing hidden from the facilitator), last turn's
results, every inject with its effects and where it stands, and every command from a menu or
from a command line that completes names. Each action goes to the Game at once; `undo` takes
back the last action alone, `undo turn N` goes back to a turn's start.

The screen returns "go" (back to the game), or "back" when an undo went back to a turn's start
or the game was ended (the turn in progress, if any, is abandoned).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.suggester import Suggester
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from wargame.errors import WargameError
from wargame.game.game import Game
from wargame.tui.commands import COMMANDS, HELP, USAGE, Go, complete, parse, vocabulary
from wargame.tui.room import Pane, Sight, SituationRoom
from wargame.view.common import event_words
from wargame.view.injects import done, standing
from wargame.view.options import effects_hint


class Names(Suggester):
    """Completes the last word typed from the scenario's names (commands, injects, nations, tracks)."""

    def __init__(self, words: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.words = words

    async def get_suggestion(self, value: str) -> str | None:
        return complete(self.words, value)


def inject_list(game: Game) -> Group:
    """Every inject of the scenario: its id (to type), title, where it stands (due, fired, fired
    early: wargame.view.injects), and effects in words; ✓ and dim once it will not fire by itself."""
    s = game.scenario
    lines = []
    for inject in s.injects:
        fired = inject.id in game.state.fired_injects
        over = done(game.state, inject)
        line = Text.assemble(("✓ " if fired else "  "), (inject.id, "bold"), f" {inject.title} — ",
                             (standing(s, game.state, inject), "dim" if over else ""))
        effects = effects_hint(s, inject.effects)
        line.append(f"\n    {effects or 'no direct effect'}", style="dim" if over else "italic")
        lines.append(line)
    return Group(*lines)


class WhiteCellScreen(Screen[str]):
    """The facilitator's console in full screen (see the module's docstring)."""

    BINDINGS = [Binding("escape", "leave", "Back to the game"),
                Binding("f2", "undo", "Undo last action", priority=True)]
    DEFAULT_CSS = """
    WhiteCellScreen #cell { height: 1fr; }
    WhiteCellScreen SituationRoom { width: 2fr; }
    WhiteCellScreen #side { width: 1fr; min-width: 30; }
    WhiteCellScreen #injects { height: 2fr; }
    WhiteCellScreen #menu { height: 1fr; border: round $primary; }
    WhiteCellScreen #said { height: auto; max-height: 4; padding: 0 1; }
    WhiteCellScreen Input { height: 3; }
    """

    def __init__(self, game: Game, where: str, *, on_action: Callable[[dict[str, Any]], None] | None = None) -> None:
        super().__init__()
        self.game = game
        self.where = where
        self.on_action = on_action
        self.went_back = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="cell"):
            yield SituationRoom()
            with Vertical(id="side"):
                yield Pane("Injects (id, effects)", id="injects")
                yield OptionList(*(Option(Text.assemble((c, "bold"), f" — {HELP[c]}"), id=c) for c in COMMANDS),
                                 id="menu")
        yield Static("", id="said")
        yield Input(placeholder="White cell command (→ takes a completed name; Enter alone goes back to the game)",
                    suggester=Names(vocabulary(self.game.scenario)), id="command")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#menu", OptionList).border_title = "Commands (Enter puts one on the line)"
        self._say(Text.assemble((" WHITE CELL ", "bold reverse"), f" {self.where} — every command from the menu "
                                "or typed below; Escape goes back to the game."))
        self.refresh_board()
        self.query_one(Input).focus()

    def refresh_board(self) -> None:
        game = self.game
        self.query_one(SituationRoom).show(Sight(game.scenario, game.state, list(game.history), seat="White cell"))
        self.query_one("#injects", Pane).update(inject_list(game))

    def _say(self, text: Text | str) -> None:
        self.query_one("#said", Static).update(text)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        command = str(event.option.id)
        entry = self.query_one(Input)
        entry.value = "" if command == "go" else f"{command} "
        entry.cursor_position = len(entry.value)
        self._say(Text(f"usage: {USAGE[command]}", style="italic"))
        entry.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.run_line(event.value)

    def run_line(self, line: str) -> None:
        """Carry out one command line (what Enter does)."""
        entry = self.query_one(Input)
        try:
            action = parse(self.game.scenario, line, turn=self.game.state.turn)
        except WargameError as err:
            self._say(Text(f"Not done: {err}", style="bold"))
            return
        if isinstance(action, Go):
            self.action_leave()
            return
        self.act(action)
        entry.value = ""

    def act(self, action: dict[str, Any]) -> None:
        try:
            events = self.game.facilitate(action)
        except WargameError as err:
            self._say(Text(f"Not done: {err}", style="bold"))
            return
        if self.on_action is not None:
            self.on_action(action)
        self._say(Text("Done: " + "; ".join(event_words(self.game.scenario, e) for e in events[:3])))
        self.refresh_board()
        if action["action"] == "end" or (action["action"] == "undo" and "to_turn" in action):
            self.went_back = True
            self.dismiss("back")

    def action_undo(self) -> None:
        self.act({"action": "undo", "last_action": True})

    def action_leave(self) -> None:
        self.dismiss("back" if self.went_back else "go")
