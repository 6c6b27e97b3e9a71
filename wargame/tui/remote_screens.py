"""The screens of a remote seat (`wargame join` on the full screen), built from the server's
snapshots rather than from a Game: the situation room with a line for the connection and who is
still deciding, and the delegation deciding. They are the table's own widgets and screens
(wargame.tui.room, wargame.tui.screens) fed with data: same layout, same keys.

Every text here came over the network: it goes into rich `Text` (or is rebuilt from plain
pieces by wargame.serve.panes.from_wire), never into markup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from wargame.serve.panes import from_wire
from wargame.tui.remote_data import RemoteClock, Snapshot, clock_of, room_of, seat_of, text
from wargame.tui.remote_talk import negotiation_of
from wargame.tui.room import MORE, Pane, Scrolling, SituationRoom
from wargame.tui.screens import DETAIL_KEYS, DecideScreen, Tab, clock_text
from wargame.view.wrap import Hanging

PANES = ("ladder", "tracks", "nations", "outcomes", "this_turn", "results")
TITLES = {"ladder": "Escalation ladder", "tracks": "Tracks", "nations": "Nations", "outcomes": "How it ends",
          "this_turn": "This turn", "results": "Last turn's results"}
NO_HISTORY = [b for b in DETAIL_KEYS if b.key != "h"]  # a remote seat has no track-history tab


def option_detail(option: Mapping[str, Any]) -> RenderableType:
    """One option in full, as heading: text rows (the table's option_text, from the wire)."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True, justify="right", style="bold")
    grid.add_column(ratio=1, overflow="fold")
    rows = option.get("detail")
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, list) and len(row) == 2:
            heading, body = text(row[0]), text(row[1])
            grid.add_row(Text(heading), Text(body, style="" if option.get("ok") or heading != "Now" else "bold"))
    return grid


def tabs_for(snapshot: Snapshot, board: str) -> list[Tab]:
    """The details tabs of a remote seat: the room, its options in full, its brief, how it
    ends, its event log and the whole board."""
    seat = seat_of(snapshot)
    room = room_of(snapshot)
    panes = [Panel(from_wire(room.get(p)), title=Text(TITLES[p], style="bold"), title_align="left")
             for p in PANES]
    options = [o for o in seat.get("options") or [] if isinstance(o, Mapping)]
    shown: list[RenderableType] = []
    for option in sorted(options, key=lambda o: (not o.get("ok"), o.get("n") or 0)):
        shown += [option_detail(option), Text("")]
    brief = Group(Text(f"Private brief — {text(seat.get('name'))}", style="bold"),
                  Text(text(seat.get("private_brief")) or "No private brief."), Text(""),
                  Text("Your role", style="bold"), Text(text(seat.get("role")) or "Not yet defined."), Text(""),
                  Text("Public brief", style="bold"), Text(text(seat.get("public_brief"))))
    return [Tab("room", "Situation", Group(*panes)),
            Tab("options", "Options", Group(*shown) if shown else Text("No decision is due now.", style="dim")),
            Tab("brief", "Brief", brief),
            Tab("outcomes", "How it ends", from_wire(room.get("outcomes"))),
            *([Tab("messages", "Messages", from_wire(room.get("messages")))] if "messages" in room else []),
            Tab("log", "Event log", from_wire(room.get("log"))),
            Tab("board", "Whole board", Text(board or "The board has not arrived yet."))]


def header(snapshot: Snapshot, seat_line: str, clock: RemoteClock | None = None) -> Text:
    """The room's two header lines from the server, with this seat and the clock added: `clock`,
    the host's clock as last told and counting down since (default: as the snapshot tells it)."""
    room = room_of(snapshot)
    rendered = from_wire(room.get("header"))
    out = rendered.copy() if isinstance(rendered, Text) else Text(text(snapshot.get("scenario")), style="bold")
    clock = clock if clock is not None else clock_of(snapshot)
    if clock is not None and snapshot.get("phase") == "deciding":  # before the seat: kept at 80 columns
        out.append("  · ")
        out.append_text(clock_text(clock))  # type: ignore[arg-type]
    out.append(f"  · {seat_line}", style="bold")
    return out


class RemoteRoom(SituationRoom):
    """The situation room (the table's own widget) drawn from a seat's snapshot. The nations and
    outcomes panes do not scroll: cut to their height, they say how many more rows there are
    and where to read them (wargame.tui.room.fitted)."""

    DEFAULT_CSS = """
    RemoteRoom #header { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self) -> None:
        super().__init__(more=MORE)

    def show_snapshot(self, snapshot: Snapshot, seat_line: str, clock: RemoteClock | None = None) -> None:
        room = room_of(snapshot)
        self.query_one("#header", Static).update(header(snapshot, seat_line, clock))
        for name in PANES:
            self.put(name.replace("_", "-"), from_wire(room.get(name)))
        self.fit()
        title = text(room.get("results_title")) or "Last turn's results"
        self.query_one("#results", Pane).border_title = title


class RemoteRoomScreen(Screen[None]):
    """A remote seat's situation room, a line saying whether it is connected, who is still
    deciding and what the server last replied, and the details on a key."""

    BINDINGS = [*NO_HISTORY[1:], Binding("enter", "app.next", "Go on", show=False),
                Binding("q", "app.quit_game", "Quit")]
    DEFAULT_CSS = """
    RemoteRoomScreen #connection { height: auto; max-height: 3; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield RemoteRoom()
        yield Static("", id="connection")
        yield Footer()

    def show(self, snapshot: Snapshot | None, seat_line: str, status: Text,
             clock: RemoteClock | None = None) -> None:
        """Draw `snapshot` (None: the last one stays); `clock`: the host's clock as last told,
        counting down here (wargame.tui.remote_data.RemoteClock)."""
        if not self.is_mounted or not self.app.is_running:  # the app is closing: nothing to draw on
            return
        try:
            if snapshot is not None:
                self.query_one(RemoteRoom).show_snapshot(snapshot, seat_line, clock)
            self.query_one("#connection", Static).update(status)
        except NoMatches:  # its widgets were taken down a moment ago (the clock's tick came late)
            return

    def action_details(self, tab: str) -> None:
        self.app.open_details(tab)  # type: ignore[attr-defined]


class RemoteNumberEntry(Input):
    """The remote decide screen's line for an option's number (the table's NumberEntry): while it
    takes a number it leaves the letter `m` to the screen, which opens the messages; in the note
    for a chosen option `m` is a letter like any other."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        screen = self.screen
        if key == "m" and isinstance(screen, RemoteDecideScreen) and screen.check_action("messages", ()):
            return False
        return super().check_consume_key(key, character)


class RemoteDecideScreen(Screen[object]):
    """The table's decide screen (same layout, CSS and keys as wargame.tui.screens.DecideScreen)
    over a seat's snapshot: every option under its game-long number (closed ones dimmed, with the
    reason), the highlighted one in full, a line to type a number into, the host's clock.
    Returns {"option", "note", "n", "name"}, or is closed by the app when the decision stops
    being due."""

    BINDINGS = [Binding("m", "messages", "Messages", priority=True), *NO_HISTORY[:1], *NO_HISTORY[2:],
                Binding("escape", "back", "Back to the list"), Binding("q", "app.quit_game", "Quit")]
    DEFAULT_CSS = DecideScreen.DEFAULT_CSS.replace("DecideScreen", "RemoteDecideScreen") + """
    RemoteDecideScreen #talk { height: 20%; min-height: 4; max-height: 7; border: round $primary; padding: 0 1;
                               border-title-align: left; border-title-style: bold; }
    """
    PROMPT = "Type an option's number and Enter — or pick with ↑ ↓ and Enter"

    def __init__(self, snapshot: Snapshot, *, brief_first: bool = False,
                 details: Callable[[str], None] | None = None) -> None:
        super().__init__()
        self.snapshot = snapshot
        seat = seat_of(snapshot)
        self.nation = text(seat.get("nation"))
        self.turn = snapshot.get("turn")
        self.choices: list[Mapping[str, Any]] = [o for o in seat.get("options") or []
                                                 if isinstance(o, Mapping) and isinstance(o.get("id"), str)]
        self.by_id = {str(o["id"]): o for o in self.choices}
        self.clock = clock_of(snapshot)
        self.brief_first = brief_first
        self.details = details
        self.picked: Mapping[str, Any] | None = None

    @property
    def nation_name(self) -> str:
        return text(seat_of(self.snapshot).get("name")) or self.nation

    def compose(self) -> ComposeResult:
        self.head = Static("", id="head")
        self.options = OptionList(*self._options(), id="options")
        self.detail = Scrolling(Text(""), id="detail")
        self.status = Static("", id="status")
        self.entry = RemoteNumberEntry(placeholder=self.PROMPT, id="entry")
        yield self.head
        with Horizontal(id="choice"):
            yield self.options
            yield self.detail
        if "talk" in room_of(self.snapshot):
            yield Scrolling(Text(""), id="talk")
        yield self.status
        yield self.entry
        yield Footer()

    def _talk(self) -> None:
        """The table's messages strip: what this delegation may see of this turn and the last,
        the newest at the foot (drawn on the host, wargame.serve.panes)."""
        room = room_of(self.snapshot)
        if "talk" not in room:
            return
        pane = self.query_one("#talk", Scrolling)
        talk = negotiation_of(self.snapshot) or {}
        left = not isinstance(talk.get("left"), int) or talk.get("left", 0) > 0
        pane.border_title = text(room.get("talk_title")) + (
            ("; m: read all and send" if left else "; m: read all") if self._can_send() else "")
        pane.update(from_wire(room.get("talk")))
        self.set_timer(0.1, lambda: pane.scroll_end(animate=False, immediate=True))  # once laid out: newest at the foot

    def _can_send(self) -> bool:
        talk = negotiation_of(self.snapshot)
        return talk is not None and talk.get("open") is True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`m` is there only while the delegation may send messages, and not while it writes the
        note for its chosen option (there `m` is a letter of the note). `m` is a priority key, so
        it opens the messages even when the number entry has focus (see RemoteNumberEntry)."""
        return (self._can_send() and self.picked is None) if action == "messages" else True

    def action_messages(self) -> None:
        self.app.open_messages()  # type: ignore[attr-defined]

    def _options(self) -> list[Option]:
        out = []
        for option in self.choices:
            n = option.get("n") if isinstance(option.get("n"), int) else 0
            if option.get("ok"):
                prompt = Text.assemble((f"{n:>2} ", "bold"), text(option.get("name")))
            else:
                prompt = Text.assemble(f"{n:>2} — ", (text(option.get("name")), "dim"), style="dim")
            # a wrapped name hangs under the name, never led by a number ("1951 treaty")
            out.append(Option(Hanging(prompt, hang=len(str(n).rjust(2)) + 1), id=str(option["id"])))
        return out

    def on_mount(self) -> None:
        self.options.border_title = "Options (— cannot be chosen now)"
        self.detail.border_title = "The option in full"
        self._head()
        first = next((i for i, o in enumerate(self.choices) if o.get("ok")), 0)
        self.options.highlighted = first
        self.options.focus()
        if self.choices:
            self._show_detail(self.choices[first])
        self.set_interval(0.5, self._head)
        self._talk()
        if self.brief_first and self.details is not None:
            self.call_after_refresh(self._brief)

    def _brief(self) -> None:
        """The private brief over the options, at the delegation's first decision."""
        if self.details is not None and self.app.screen is self:
            self.details("brief")

    def update(self, snapshot: Snapshot) -> None:
        """A newer snapshot of the same decision: the clock as the server has it now."""
        self.snapshot = snapshot
        self.clock = clock_of(snapshot)
        if self.is_mounted:
            self._head()
            self._talk()

    def _head(self) -> None:
        s = self.snapshot
        line = Text.assemble((self.nation_name, "bold"), f" decides — {text(s.get('label'))}, "
                             f"turn {s.get('turn')} of {s.get('turns')}")
        if self.clock is not None:
            line.append("   ")
            line.append_text(clock_text(self.clock))  # type: ignore[arg-type]
        offline = getattr(self.app, "offline", "")
        if offline:  # the connection dropped: said where the eye is
            line.append("   ")
            line.append(f" ⟳ {offline} ", style="bold reverse")
        keys = "m: messages  b: your brief  g: how it ends  s: the room" if self._can_send() else \
            "s: the situation room  b: your brief  g: how it ends"
        hint = Text(f"Numbers stay all game. {keys}", style="dim")  # fits 80 columns
        self.head.update(Text("\n").join([line, hint]))

    def _status(self, said: str, bold: bool = False) -> None:
        self.status.update(Text(said, style="bold" if bold else ""))

    def _show_detail(self, choice: Mapping[str, Any]) -> None:
        self.detail.update(option_detail(choice))

    def _pick(self, choice: Mapping[str, Any]) -> None:
        n, name = choice.get("n"), text(choice.get("name"))
        if not choice.get("ok"):
            self._show_detail(choice)
            self._status(f"{n}. {name} cannot be chosen now: {text(choice.get('why_not'))}.", bold=True)
            return
        self.picked = choice
        self.refresh_bindings()  # no `m` while the note is written
        self.entry.value = ""
        self.entry.placeholder = "Why, in a line, for the record? (Enter to skip; Escape to choose again)"
        self._status(f"Chosen: {n}. {name}", bold=True)
        self.entry.focus()

    def on_key(self, event: events.Key) -> None:
        """A digit typed anywhere goes into the line (as at the table)."""
        key = event.character
        if key is not None and key.isdecimal() and not self.entry.has_focus and self.picked is None:
            self.entry.focus()
            self.entry.insert_text_at_cursor(key)
            event.stop()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        typed = event.value.strip()
        if self.picked is not None:
            note = " ".join(typed.split())[:500]
            self.dismiss({"option": self.picked["id"], "note": note, "n": self.picked.get("n"),
                          "name": self.picked.get("name")})
            return
        self.entry.value = ""
        number = typed[2:].strip() if typed.lower().startswith("i ") else typed
        found = next((o for o in self.choices if number.isdecimal() and o.get("n") == int(number)), None)
        if found is None:
            self._status(f"Not an option's number: {typed!r}. Type a number from the list, or pick with ↑ ↓.")
            return
        self.options.highlighted = self.choices.index(found)
        self._show_detail(found)
        if not typed.lower().startswith("i "):
            self._pick(found)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id in self.by_id:
            self._show_detail(self.by_id[event.option.id])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id in self.by_id:
            self._pick(self.by_id[event.option.id])

    def action_back(self) -> None:
        self.picked = None
        self.refresh_bindings()
        self.entry.value = ""
        self.entry.placeholder = self.PROMPT
        self._status("")
        self.options.focus()

    def action_details(self, tab: str) -> None:
        if self.details is not None:
            self.details(tab)
