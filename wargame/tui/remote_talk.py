"""The negotiation phase for a remote seat (`wargame join` on the full screen): the messages
its delegation may see, and a line to send one, typed as at the table's prompt.

Everything comes from the seat's snapshot (docs/serve.md, "The protocol"): the messages it may
see, drawn on the host as the table draws them (the room's `messages` pane; which ones is
decided by wargame.game.views) and the seat's `negotiation` (the limit, what is left, the
nations, options and signals a message may name). A line typed
here becomes a `send` frame; the host judges it (the limit, the nations, the options, the
signal) and answers in words, shown under the line. Every text from the host goes into rich
`Text`, never markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from wargame.serve.joining import talk_frame
from wargame.serve.panes import from_wire
from wargame.tui.remote_data import Snapshot, clock_of, room_of, seat_of, text
from wargame.tui.room import Scrolling
from wargame.tui.screens import clock_text


def negotiation_of(snapshot: Snapshot) -> Mapping[str, Any] | None:
    talk = seat_of(snapshot).get("negotiation")
    return talk if isinstance(talk, Mapping) else None


def left_line(snapshot: Snapshot) -> str:
    talk = negotiation_of(snapshot)
    if talk is None:
        return "This game has no messages."
    return f"{talk.get('left')} of {talk.get('limit')} messages left this turn"


def what_to_name(talk: Mapping[str, Any] | None) -> RenderableType:
    """The nations, signals and options a message may name, by the ids to type."""
    if talk is None:
        return Text("This game has no messages.", style="dim")
    rows = [Text("say TEXT (public) · tell NATION[,NATION] TEXT (private) · offer NATION THEIR_OPTION OUR_OPTION "
                 "[TEXT] · signal ID [TEXT]", style="dim")]
    nations = [n for n in talk.get("nations") or [] if isinstance(n, Mapping)]
    rows.append(Text.assemble(("Nations: ", "bold"), ", ".join(f"{text(n.get('id'))} ({text(n.get('name'))})"
                                                                for n in nations)))
    for signal in talk.get("signals") or []:
        if isinstance(signal, Mapping):
            why = "" if signal.get("ok") else f" — not now: {text(signal.get('why_not'))}"
            said = f": {text(signal.get('name'))}{why}"
            rows.append(Text.assemble(("Signal ", "bold"), text(signal.get("id")), said))
    ours = [text(o.get("id")) for o in talk.get("options") or [] if isinstance(o, Mapping)]
    rows.append(Text.assemble(("Your options, for an offer: ", "bold"), ", ".join(ours)))
    for n in nations:
        theirs = [text(o.get("id")) for o in n.get("options") or [] if isinstance(o, Mapping)]
        rows.append(Text.assemble((f"{text(n.get('name'))}'s options: ", "bold"), ", ".join(theirs)))
    return Group(*rows)


class RemoteMessagesScreen(Screen[int]):
    """The messages this seat may see, what a message may name, and a line to send one. Escape
    goes back; returns how many were sent."""

    BINDINGS = [Binding("escape", "close", "Back to the options")]
    DEFAULT_CSS = """
    RemoteMessagesScreen #head { height: 1; padding: 0 1; }
    RemoteMessagesScreen #seen { height: 1fr; min-height: 4; border: round $primary; padding: 0 1; }
    RemoteMessagesScreen #names { height: 2fr; min-height: 4; border: round $primary; padding: 0 1; }
    RemoteMessagesScreen #status { height: auto; padding: 0 1; }
    RemoteMessagesScreen Input { height: 3; }
    """

    def __init__(self, snapshot: Snapshot) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.clock = clock_of(snapshot)  # told once per snapshot, counting down here between them
        self.sent = 0

    def compose(self) -> ComposeResult:
        yield Static("", id="head")
        yield Scrolling(Text(""), id="seen")
        yield Scrolling(Text(""), id="names")
        yield Static("", id="status")
        yield Input(placeholder="say … / tell NATION … / offer NATION THEIRS OURS … / signal ID … — Enter sends",
                    id="line")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#seen", Scrolling).border_title = "Messages you may see"
        self.query_one("#names", Scrolling).border_title = "What a message may name"
        self._show()
        self.set_interval(0.5, self._head)
        self.query_one(Input).focus()

    def update(self, snapshot: Snapshot) -> None:
        """A newer snapshot: the messages, what is left, the clock."""
        self.snapshot = snapshot
        self.clock = clock_of(snapshot)
        if self.is_mounted:
            self._show()

    def _show(self) -> None:
        snapshot = self.snapshot
        self._head()
        seen = self.query_one("#seen", Scrolling)
        seen.update(from_wire(room_of(snapshot).get("messages")))
        self.set_timer(0.1, lambda: seen.scroll_end(animate=False, immediate=True))  # once laid out
        self.query_one("#names", Scrolling).update(what_to_name(negotiation_of(snapshot)))

    def _head(self) -> None:
        line = Text.assemble((text(seat_of(self.snapshot).get("name")), "bold"),
                             f" — messages, {text(self.snapshot.get('label'))}: {left_line(self.snapshot)}")
        clock = self.clock
        if clock is not None:
            line.append("   ")
            line.append_text(clock_text(clock))  # type: ignore[arg-type]
        self.query_one("#head", Static).update(line)

    def say(self, said: Text) -> None:
        if self.is_mounted:
            self.query_one("#status", Static).update(said)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        talk = negotiation_of(self.snapshot)
        frame = talk_frame(event.value, self.snapshot.get("turn"), talk)
        if isinstance(frame, str):
            self.say(Text(f"Not sent: {frame}.", style="bold"))
            return
        if talk is None or not talk.get("open"):
            self.say(Text("Not sent: no message may be sent now (your order is in, or none are left).", style="bold"))
            return
        event.input.value = ""
        self.sent += 1
        self.app.send(frame)  # type: ignore[attr-defined]
        self.say(Text("Sent; the host's answer follows."))

    def action_close(self) -> None:
        self.dismiss(self.sent)
