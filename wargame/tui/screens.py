"""The table's screens: the situation room, a delegation deciding, the sealed hand-over, the
reveal, notices, the details panes and the question before quitting. Screens only show and
collect input; the game loop (wargame.tui.app) decides what comes next.

Key bindings are data (each screen's BINDINGS); the footer lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from wargame.engine.events import Decision
from wargame.engine.rules import Choice
from wargame.players.clock import Clock
from wargame.tui.room import MORE, MessageStrip, Scrolling, Sight, SituationRoom
from wargame.view.details import option_text
from wargame.view.options import option_by_number, option_number
from wargame.view.words import reveal_headline as reveal_headline
from wargame.view.wrap import Hanging

if TYPE_CHECKING:
    from wargame.tui.talk import Desk

TIMED_OUT = "timed out"
WHITE_CELL = "white cell"
QUIT = "quit"
AGAIN = "again"  # messages were sent: the decide screen is shown again from the game as it now is

DETAIL_KEYS = [
    Binding("s", "details('room')", "Situation"),
    Binding("o", "details('options')", "Options"),
    Binding("b", "details('brief')", "Brief"),
    Binding("g", "details('outcomes')", "How it ends"),
    Binding("l", "details('log')", "Log"),
    Binding("h", "details('history')", "History"),
    Binding("d", "details('board')", "Board"),
]


@dataclass(frozen=True)
class Tab:
    """One details tab: its id, its title and what it shows."""

    id: str
    title: str
    body: RenderableType


class DetailsScreen(ModalScreen[None]):
    """Details in tabs over the room — options in full, the private brief, how it ends, the
    event log, the tracks' history, the whole board — closed again with Escape."""

    BINDINGS = [Binding("escape", "close", "Close"), Binding("q", "close", "Close"),
                Binding("left", "tab(-1)", "Previous tab"), Binding("right", "tab(1)", "Next tab")]
    DEFAULT_CSS = """
    DetailsScreen { align: center middle; }
    DetailsScreen > Vertical { width: 96%; height: 94%; border: thick $accent; background: $surface; }
    """

    def __init__(self, tabs: Sequence[Tab], first: str) -> None:
        super().__init__()
        self.tabs = list(tabs)
        self.first = first if any(t.id == first for t in tabs) else tabs[0].id

    def compose(self) -> ComposeResult:
        with Vertical(), TabbedContent():
            for tab in self.tabs:
                with TabPane(tab.title, id=tab.id):
                    yield Scrolling(tab.body)
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self._open)

    def _open(self) -> None:
        """The first tab asked for (after the tabs exist; the screen may already be closing)."""
        try:
            tabs = self.query_one(TabbedContent)
            tabs.active = self.first
            tabs.focus()
        except (NoMatches, ValueError):
            pass

    def action_close(self) -> None:
        self.dismiss(None)

    def action_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        ids = [t.id for t in self.tabs]
        tabs.active = ids[(ids.index(tabs.active) + step) % len(ids)] if tabs.active in ids else ids[0]


class RoomScreen(Screen[None]):
    """The situation room: everything on one screen, details on a key."""

    BINDINGS = [*DETAIL_KEYS[1:], Binding("w", "app.white_cell", "White cell", show=False),
                Binding("q", "app.quit_game", "Quit")]

    def __init__(self, sight: Sight) -> None:
        super().__init__()
        self.sight = sight

    def compose(self) -> ComposeResult:
        yield SituationRoom(more=MORE)  # a cut pane names the key that shows the rest
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(SituationRoom).show(self.sight)

    def show(self, sight: Sight) -> None:
        self.sight = sight
        if self.is_mounted:
            self.query_one(SituationRoom).show(sight)

    def action_details(self, tab: str) -> None:
        self.app.open_details(tab)  # type: ignore[attr-defined]


class Message(Screen[str]):
    """A screen that says one thing and waits for a key: the sealed hand-over ("Pass to Japan"),
    the reveal, a notice. `keys` maps a key to what the screen returns; q asks whether to quit."""

    BINDINGS = [Binding("q", "app.quit_game", "Quit")]

    DEFAULT_CSS = """
    Message { align: center middle; }
    Message #box { width: 90%; height: auto; max-height: 90%; border: heavy $accent; padding: 1 2; }
    Message #body { height: auto; }
    """

    def __init__(self, body: RenderableType, keys: dict[str, tuple[str, str]], *, title: str = "") -> None:
        super().__init__()
        self.body = body
        self.keys = keys
        self.title_text = title
        for key, (result, description) in keys.items():
            self._bindings.bind(key, f"answer('{result}')", description)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="box"):
            yield Static(self.body, id="body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#box").border_title = self.title_text

    def action_answer(self, result: str) -> None:
        self.dismiss(result)


def pass_screen(nation: str, facilitator: bool, notice: str = "") -> Message:
    """The only thing on screen while the keyboard changes hands."""
    body = Text.assemble(("Pass the keyboard to ", ""), (nation, "bold"), "\n\n",
                         ("Only the ", "dim"), (nation, "dim bold"), (" delegation should look now. ", "dim"),
                         ("Press Enter when it is ready.", "bold"))
    if notice:
        body = Text.assemble((notice + "\n\n", "bold"), body)
    keys = {"enter": ("go", "Ready")}
    if facilitator:
        keys["w"] = (WHITE_CELL, "White cell")
    return Message(body, keys, title="Sealed orders")


def reveal_screen(headline: str, body: RenderableType) -> Message:
    """The orders revealed together: it stays up until someone moves on."""
    return Message(Group(Text(headline, style="bold"), Text(""), body,
                         Text("\nPress n (or Enter) to go on.", style="dim")),
                   {"n": ("go", "Go on"), "enter": ("go", "Go on")}, title="Orders revealed")


def notice_screen(text: str, title: str = "Notice") -> Message:
    return Message(Text.assemble((text, "bold"), ("\n\nPress Enter to go on.", "dim")),
                   {"enter": ("go", "Go on")}, title=title)


class Confirm(ModalScreen[bool]):
    """A yes/no question (quitting asks first)."""

    BINDINGS = [Binding("y", "answer(True)", "Yes"), Binding("n", "answer(False)", "No"),
                Binding("escape", "answer(False)", "No")]
    DEFAULT_CSS = """
    Confirm { align: center middle; }
    Confirm > Static { width: 70; height: auto; border: heavy $warning; padding: 1 2; background: $surface; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble((self.question, "bold"), ("\n\ny: yes    n: no", "dim")))
        yield Footer()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class NumberEntry(Input):
    """The decide screen's line for an option's number: while it takes a number (no option picked
    yet) it leaves the letter `m` to the screen, which opens the messages; in the note for a
    chosen option `m` is a letter like any other."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        screen = self.screen
        if key == "m" and isinstance(screen, DecideScreen) and screen.check_action("messages", ()):
            return False
        return super().check_consume_key(key, character)


class DecideScreen(Screen[object]):
    """A delegation chooses: every option under its game-long number (closed ones dimmed, still
    inspectable), the highlighted one in full beside the list, a line to type a number into;
    with a negotiation phase, the messages it may see of this turn and the last, and `m` for its
    messages screen (wargame.tui.talk). Returns a Decision, TIMED_OUT, WHITE_CELL, AGAIN (it sent
    messages) or QUIT."""

    # The footer shows, in this order and within 80 columns: quit, messages, the situation and
    # the details most asked for; the other keys are on the head line and in the palette (^p).
    BINDINGS = [Binding("q", "app.quit_game", "Quit"), Binding("m", "messages", "Messages", priority=True),
                DETAIL_KEYS[0], DETAIL_KEYS[2], DETAIL_KEYS[3],
                *(Binding(b.key, b.action, b.description, show=False) for b in DETAIL_KEYS[4:]),
                Binding("escape", "back", "Back to the list", show=False)]
    DEFAULT_CSS = """
    DecideScreen #head { height: 2; padding: 0 1; }
    DecideScreen #choice { height: 1fr; }
    DecideScreen OptionList { width: 2fr; border: round $primary; }
    DecideScreen #detail { width: 3fr; border: round $primary; padding: 0 1; }
    DecideScreen MessageStrip { height: 20%; min-height: 4; max-height: 7; }
    DecideScreen #status { height: auto; padding: 0 1; }
    DecideScreen Input { height: 3; }
    """

    def __init__(self, sight: Sight, nation: str, choices: Sequence[Choice], *, clock: Clock | None = None,
                 facilitator: bool = False, brief_first: bool = False,
                 details: Callable[[str], None] | None = None, desk: Desk | None = None) -> None:
        super().__init__()
        self.sight = sight
        self.nation = nation
        self.choices = list(choices)
        self.by_id = {c.option.id: c for c in choices}
        self.clock = clock
        self.facilitator = facilitator
        self.brief_first = brief_first
        self.details = details
        self.desk = desk if sight.scenario.messages else None
        self.picked: Choice | None = None
        self.timed_out = False
        if facilitator:
            self._bindings.bind("w", "white_cell", "White cell")

    @property
    def nation_name(self) -> str:
        return self.sight.scenario.nation(self.nation).name

    def compose(self) -> ComposeResult:
        self.head = Static("", id="head")
        self.options = OptionList(*self._options(), id="options")
        self.detail = Scrolling(Text(""), id="detail")
        self.status = Static("", id="status")
        self.entry = NumberEntry(placeholder="Type an option's number and Enter — or pick with ↑ ↓ and Enter",
                                 id="entry")
        yield self.head
        with Horizontal(id="choice"):
            yield self.options
            yield self.detail
        if self.sight.scenario.messages:
            yield MessageStrip(id="talk")
        yield self.status
        yield self.entry
        yield Footer()

    def _options(self) -> list[Option]:
        out = []
        for choice in self.choices:
            n = option_number(self.sight.scenario, choice.option)
            if choice.ok:
                prompt = Text.assemble((f"{n:>2} ", "bold"), choice.option.name)
            else:
                prompt = Text.assemble(f"{n:>2} — ", (choice.option.name, "dim"), style="dim")
            # a wrapped name hangs under the name, never led by a number ("1951 treaty")
            out.append(Option(Hanging(prompt, hang=len(str(n).rjust(2)) + 1), id=choice.option.id))
        return out

    def on_mount(self) -> None:
        self.options.border_title = "Options (— cannot be chosen now)"
        self.detail.border_title = "The option in full"
        self._head()
        first = next((i for i, c in enumerate(self.choices) if c.ok), 0)
        kept = self.desk.kept.get("highlighted") if self.desk is not None else None
        ids = [c.option.id for c in self.choices]
        if kept in ids:  # drawn again after messages: the option the delegation was looking at
            first = ids.index(kept)
        options = self.options
        options.highlighted = first
        options.focus()
        self._show_detail(self.choices[first])
        if self.sight.scenario.messages:
            self.query_one(MessageStrip).show(self.sight, self.nation, can_send=self.desk is not None)
        if self.clock is not None:
            self.set_interval(0.5, self._tick)
        if self.brief_first and self.details is not None:
            self.call_after_refresh(self._brief)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`m` is there only where the delegation may send messages, and not while it writes the
        note for its chosen option (there `m` is a letter of the note). `m` is a priority key, so it
        opens the messages even when the number entry has focus (a number has no letter m; see
        NumberEntry)."""
        return (self.desk is not None and self.picked is None) if action == "messages" else True

    def action_messages(self) -> None:
        from wargame.tui.talk import MessagesScreen

        if self.desk is not None:
            self.app.push_screen(MessagesScreen(self.desk, clock=self.clock), self._talked)

    def _talked(self, sent: int | None) -> None:
        if sent and not self.timed_out and self.is_current:
            self.dismiss(AGAIN)

    def _brief(self) -> None:
        """The private brief over the options, at the delegation's first turn (if still deciding)."""
        if self.details is not None and self.app.screen is self and not self.timed_out:
            self.details("brief")

    def _head(self) -> None:
        s = self.sight.scenario
        line = Text.assemble((self.nation_name, "bold"), f" decides — {s.turn_label(self.sight.state.turn)}, "
                             f"turn {self.sight.state.turn} of {s.turns}")
        if self.clock is not None:
            line.append("   ")
            line.append_text(clock_text(self.clock))
        keys = "m: messages  b: your brief  g: how it ends  s: the room" if self.desk is not None else \
            "s: the situation room  b: your brief  g: how it ends"
        hint = Text(f"Numbers stay all game. {keys}", style="dim")  # fits 80 columns
        self.head.update(Text("\n").join([line, hint]))

    def _tick(self) -> None:
        assert self.clock is not None
        self._head()
        if self.clock.running and self.clock.left() <= 0 and not self.timed_out:
            self.timed_out = True
            while self.app.screen is not self and len(self.app.screen_stack) > 1:  # a pane open over it
                self.app.pop_screen()
            self.dismiss(TIMED_OUT)

    def _show_detail(self, choice: Choice) -> None:
        self.detail.update(option_text(self.sight.scenario, self.sight.state, choice))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id in self.by_id:
            self._show_detail(self.by_id[event.option.id])
            if self.desk is not None:
                self.desk.kept["highlighted"] = event.option.id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id in self.by_id:
            self._pick(self.by_id[event.option.id])

    def on_key(self, event: object) -> None:
        key = getattr(event, "character", None)
        entry = self.entry
        if key is not None and key.isdecimal() and not entry.has_focus and self.picked is None:
            entry.focus()
            entry.insert_text_at_cursor(key)
            getattr(event, "stop")()  # noqa: B009 - a textual Key event

    def _status(self, text: str, bold: bool = False) -> None:
        self.status.update(Text(text, style="bold" if bold else ""))

    def _pick(self, choice: Choice) -> None:
        n = option_number(self.sight.scenario, choice.option)
        if not choice.ok:
            self._show_detail(choice)
            self._status(f"{n}. {choice.option.name} cannot be chosen now: {choice.why_not}.", bold=True)
            return
        self.picked = choice
        self.refresh_bindings()  # no `m` while the note is written
        entry = self.entry
        entry.value = ""
        entry.placeholder = "Why, in a line, for the record? (Enter to skip; Escape to choose again)"
        self._status(f"Chosen: {n}. {choice.option.name}", bold=True)
        entry.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        entry = self.entry
        if self.picked is not None:
            note = " ".join(text.split())[:500]
            self.dismiss(Decision(self.nation, self.picked.option.id, "human", note))
            return
        entry.value = ""
        number = text[2:].strip() if text.lower().startswith("i ") else text
        option = option_by_number(self.sight.scenario, self.nation, int(number)) if number.isdecimal() else None
        if option is None:
            self._status(f"Not an option's number: {text!r}. Type a number from the list, or pick with ↑ ↓.")
            return
        self.options.highlighted = [c.option.id for c in self.choices].index(option.id)
        self._show_detail(self.by_id[option.id])
        if text.lower().startswith("i "):
            return
        self._pick(self.by_id[option.id])

    def action_back(self) -> None:
        self.picked = None
        self.refresh_bindings()
        self.entry.value = ""
        self.entry.placeholder = "Type an option's number and Enter — or pick with ↑ ↓ and Enter"
        self._status("")
        self.options.focus()

    def action_white_cell(self) -> None:
        self.dismiss(WHITE_CELL)

    def action_details(self, tab: str) -> None:
        if self.details is not None:
            self.details(tab)


def clock_text(clock: Clock) -> Text:
    """"⏱ 2:31 left", or "⏸ clock paused (2:31 left)" — a paused clock says so, never vanishes."""
    left = max(clock.left(), 0.0)
    shown = f"{int(left) // 60}:{int(left) % 60:02d}"
    if clock.paused:
        return Text(f"⏸ clock paused ({shown} left)", style="bold reverse")
    if clock.held:
        return Text(f"⏸ clock held while the White cell works ({shown} left)", style="bold")
    return Text(f"⏱ {shown} left", style="bold reverse" if left <= 15 else "bold")
