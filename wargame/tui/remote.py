"""`wargame join URL --code CODE` on the full screen: a delegation's seat at the table, remote.

The app is the table's look and keys over the server's snapshots (wargame.serve.view.seat_view):
the situation room as its nation sees it, its private brief, its options with reasons and
detail, the server's clock counting down, the orders revealed after each turn, who is still
deciding, the outcome at the end. The WebSocket runs in the app's own event loop (a Textual
worker over websockets' asyncio client): say hello with the code, then show each snapshot and
send the decision taken. A dropped connection is tried again with the same code, with the
state "reconnecting" on screen (the same rule as the line client, wargame.serve.joining); an
error reply from the server is shown in words; q asks, then leaves (the seat stays the
delegation's: joining again with the code takes it back).

Extending it: every inbound frame goes through `receive` (by its "type"), every outbound one
through `send`; a new kind of frame or snapshot field (messages between delegations, say) is a
branch there and a pane or screen of its own.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from wargame.serve.joining import FIRST_TRIES, HELD, RECONNECT_FOR, socket_url, untrusted, why_not
from wargame.serve.panes import from_wire
from wargame.serve.protocol import MAX_NOTE
from wargame.tui import screens
from wargame.tui.base import GuardedApp, run_guarded
from wargame.tui.remote_data import RemoteClock, Snapshot, clock_of, names, room_of, seat_of, text
from wargame.tui.remote_screens import RemoteDecideScreen, RemoteRoomScreen, tabs_for
from wargame.tui.remote_talk import RemoteMessagesScreen
from wargame.tui.screens import Confirm, DetailsScreen, Message

HELLO_WAIT = 40.0  # seconds for the server's answer to hello


class RemoteApp(GuardedApp[None]):
    """One delegation's seat over the network. `connect=False` starts no connection (frames are
    handed to `receive` by the caller: the snapshot tests). After `run`, `failure` says why the
    app could not go on (a refused code, a server never reached), or is None."""

    TITLE = "wargame"
    BINDINGS = [Binding("ctrl+c", "quit_game", "Quit", show=False)]

    def __init__(self, url: str, code: str | None, *, connect: bool = True) -> None:
        super().__init__()
        self.url = url
        self.ws_url, from_url = socket_url(url)
        self.code = code or from_url or ""
        self.live = connect
        self.ws: ClientConnection | None = None
        self.snapshot: Snapshot | None = None
        self.clock: RemoteClock | None = None  # the host's clock as last told, counting down here
        self.board = ""
        self.delegation = ""  # its name, from the welcome
        self.link = "Connecting…"  # the connection, in words
        self.online = False
        self.reply: Text = Text("")  # the server's last ack or error, in words
        self.failure: str | None = None
        self.revealed: tuple[object, ...] | None = None
        self.reveals: list[Snapshot] = []  # reveals not yet shown
        self.sent: object = None  # the turn whose decision was sent (until the server says otherwise)
        self.briefed = False
        self.over = False
        self.told_over = False
        self.panes: dict[str, Any] = {}  # the room's panes last sent (see wargame.serve.view)
        self.revealing: tuple[Message, Snapshot] | None = None  # a reveal waiting for its turn's panes
        self.room = RemoteRoomScreen()

    # ------------------------------------------------------------ the connection

    def on_mount(self) -> None:
        self.push_screen(self.room)
        self.call_after_refresh(self.refresh_room)
        self.set_interval(1.0, self.refresh_room)  # the clock counts down between snapshots
        if self.live:
            self.run_worker(self._connection(), name="connection", exclusive=True)

    async def _connection(self) -> None:
        """Hello, then every frame to `receive`, until the game is over; dropped connections are
        tried again with the same code (for RECONNECT_FOR seconds once joined)."""
        attempt, joined, give_up = 0, False, 0.0
        while not self.over:
            try:
                async with connect(self.ws_url, open_timeout=10, max_size=2**24) as ws:
                    await ws.send(json.dumps({"type": "hello", "code": self.code}))
                    welcome = json.loads(await asyncio.wait_for(ws.recv(), HELLO_WAIT))
                    if not self.welcomed(welcome):
                        return
                    self.ws, attempt, joined = ws, 0, True
                    async for raw in ws:
                        self.receive(json.loads(raw))
            except (OSError, InvalidHandshake, InvalidURI, TimeoutError, ConnectionClosed, ValueError) as err:
                self.ws = None
                attempt += 1
                if attempt == 1:
                    give_up = time.monotonic() + RECONNECT_FOR
                if untrusted(err) or ((time.monotonic() > give_up) if joined else attempt > FIRST_TRIES):
                    self.fail(f"cannot reach {self.url}: {why_not(err, self.url)}")
                    return
                self.connection(f"Cannot reach the server ({err or type(err).__name__}); trying again…", False)
                await asyncio.sleep(min(0.25 * 2 ** attempt, 5))
                continue
            self.ws = None
            if not self.over:
                self.connection("The connection dropped; reconnecting with your code…", False)

    def welcomed(self, welcome: Any) -> bool:
        """The server's answer to hello; False (and the app ends saying why) if it refused."""
        if not isinstance(welcome, dict) or welcome.get("type") == "error":
            said = text(welcome.get("message")) if isinstance(welcome, dict) else "no answer"
            self.fail(f"the server refused: {said}")
            return False
        if welcome.get("kind") != "seat":
            self.fail("that code is not a delegation's seat (the White cell uses the browser page)")
            return False
        self.delegation = text(welcome.get("name")) or "your delegation"
        self.connection(f"Connected as {self.delegation}.", True)
        return True

    def fail(self, why: str) -> None:
        self.failure = why
        self.exit()

    @property
    def offline(self) -> str:
        """"reconnecting…" while the connection is down after joining, else ""."""
        return "" if self.online or not self.delegation else "reconnecting…"

    def connection(self, state: str, online: bool) -> None:
        was = self.online
        self.link, self.online = state, online
        if not online:
            self.sent = None  # the next snapshot says whether the decision arrived
            if was:
                self.notify("Reconnecting with your code…", title="The connection dropped", severity="warning")
        elif self.delegation and not was and self.snapshot is not None:
            self.notify("Reconnected: the game as it stands now.", title="Connected")
        self.refresh_room()
        deciding = self._deciding()
        if deciding is not None and deciding.is_mounted:
            deciding._head()

    def send(self, frame: dict[str, Any]) -> None:
        """Send one frame to the server (from the app's loop); told on screen if it cannot go."""

        async def go() -> None:
            try:
                if self.ws is None:
                    raise ConnectionClosed(None, None)
                await self.ws.send(json.dumps(frame))
            except ConnectionClosed:
                self.sent = None
                self.say("Not sent: the connection dropped; it is being restored.", True)

        self.run_worker(go(), group="send")

    # ------------------------------------------------------------ what the server says

    def receive(self, message: Any) -> None:
        """One frame from the server: a snapshot, or a reply ("ack", "error") in words. Nothing
        once the app is closing: its screens are being taken down (the connection may still
        deliver a frame or two meanwhile)."""
        if not isinstance(message, dict) or not self.is_running:
            return
        kind = message.get("type")
        talking = self._talking()
        if kind in ("error", "ack") and talking is not None:  # the answer to a message sent from there
            said = text(message.get("message"))
            talking.say(Text(f"Refused: {said}" if kind == "error" else said, style="bold" if kind == "error" else ""))
            if kind == "error":
                self.notify(said or "refused", title="The server refused", severity="error", markup=False)
            return
        if kind == "error":
            self.sent = None  # a refused decision is asked again
            self.say(f"Refused: {text(message.get('message'))}", True)
            self.notify(text(message.get("message")) or "refused", title="The server refused", severity="error",
                        markup=False)  # the server's words, never markup
            self.next()
        elif kind == "ack":
            self.say(text(message.get("message")), False)
        elif kind == "state":
            self.show(message)

    def say(self, words: str, bad: bool) -> None:
        self.reply = Text(words, style="bold" if bad else "")
        self.refresh_room()

    def show(self, snapshot: Snapshot) -> None:
        board = snapshot.get("board")
        if isinstance(board, str):  # null: unchanged since the last one
            self.board = board
        seat = seat_of(snapshot)
        if isinstance(seat.get("room"), dict):
            self.panes = seat["room"]
        elif seat:  # null: unchanged, sent with the board
            snapshot = {**snapshot, "seat": {**seat, "room": self.panes}}
        if self.snapshot is not None and (snapshot.get("turn") != self.snapshot.get("turn") or snapshot.get("outcome")
                                          or snapshot.get("phase") != self.snapshot.get("phase")):
            self.reply = Text("")  # the last reply was about a phase or turn gone by (a sealed decision, revealed)
        self.snapshot = snapshot
        self.clock = clock_of(snapshot)
        seat = seat_of(snapshot)
        reveal = snapshot.get("reveal")
        if isinstance(reveal, dict):
            key = (reveal.get("turn"), tuple(names(reveal.get("decisions"))))
            if key != self.revealed:
                self.revealed = key
                self.reveals.append(snapshot)
        if snapshot.get("outcome"):
            self.over = True
        if not seat.get("due"):
            self.sent = None
        talking = self._talking()
        if talking is not None:
            talking.update(snapshot)
        deciding = self._deciding()
        if deciding is not None:
            if seat.get("due") and snapshot.get("turn") == deciding.turn and not self.over:
                deciding.update(snapshot)
            else:  # the clock ran out, the White cell went back, or the turn moved on
                self._close_decision()
                if not seat.get("decided") and not self.over:
                    self.notify("The decision is no longer due (the clock ran out, or the White cell went back).")
        self.refresh_room()
        self._fresh_reveal()
        self.next()

    # ------------------------------------------------------------ what comes on screen next

    def seat_line(self) -> str:
        seat = seat_of(self.snapshot or {})
        decided = seat.get("decided")
        if isinstance(decided, dict) and self.snapshot and self.snapshot.get("phase") == "deciding":
            return f"{self.delegation or text(seat.get('name'))}: decided ({text(decided.get('name'))}), sealed"
        return self.delegation or text(seat.get("name")) or "joining"

    def status(self) -> Text:
        """The line under the room: the connection, who is still deciding (or that the White cell
        holds the game), the last reply."""
        out = Text()
        if self.online:
            out.append(f"● {self.link}", style="bold")
        else:
            out.append(f" ⟳ {self.link} ", style="bold reverse")
        snapshot = self.snapshot or {}
        waiting = names(snapshot.get("waiting_for"))
        if waiting:
            out.append("   Still deciding: ", style="bold")
            out.append(", ".join(waiting))
        elif snapshot.get("phase") == "joining":
            seats = [s for s in snapshot.get("seats") or [] if isinstance(s, dict) and not s.get("joined")]
            out.append("   Waiting for every delegation to join", style="bold")
            if seats:
                out.append(": " + ", ".join(text(s.get("name")) for s in seats))
        elif snapshot.get("held") is True and not snapshot.get("outcome"):
            out.append(f"   {HELD}", style="bold")
        elif snapshot.get("phase") == "between":
            out.append("   Between turns", style="bold")
        if snapshot.get("outcome"):
            out.append("   Game over: ", style="bold")
            out.append(text(snapshot.get("outcome")))
        if self.reply.plain:
            out.append("   ")
            out.append_text(self.reply)
        return out

    def refresh_room(self) -> None:
        self.room.show(self.snapshot, self.seat_line(), self.status(), self.clock)

    def _deciding(self) -> RemoteDecideScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, RemoteDecideScreen)), None)

    def _talking(self) -> RemoteMessagesScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, RemoteMessagesScreen)), None)

    def open_messages(self) -> None:
        """The messages screen over the decision (key m)."""
        if self.snapshot is not None and self._talking() is None:
            self.push_screen(RemoteMessagesScreen(self.snapshot))

    def _close_decision(self) -> None:
        while self._deciding() is not None and len(self.screen_stack) > 2:
            self.pop_screen()

    def next(self) -> None:
        """Open what the seat should see now, when only the room is up: a reveal not yet seen,
        then the decision if it is due, or the outcome."""
        if self.screen is not self.room or self.snapshot is None:
            return
        if self.reveals:
            reveal = self.reveals.pop(0).get("reveal") or {}
            body, fresh = self._reveal_body(reveal)
            opened = screens.reveal_screen(self._reveal_headline(reveal), body)
            self.revealing = None if fresh else (opened, reveal)

            def closed(_: object) -> None:
                self.revealing = None
                self.next()

            self.push_screen(opened, closed)
            return
        seat = seat_of(self.snapshot)
        if self.over:
            if not self.told_over:
                self.told_over = True
                label, outcome = text(self.snapshot.get("label")), text(self.snapshot.get("outcome"))
                said = Text(f"Game over after {label}: {outcome}.", style="bold")
                keys = {"enter": ("go", "Finish"), "s": ("room", "The situation room")}
                self.push_screen(Message(said, keys, title="The game is over"),
                                 lambda answer: self.exit() if answer == "go" else None)
            return
        if seat.get("due") and not seat.get("decided") and self.sent != self.snapshot.get("turn"):
            first = not self.briefed
            self.briefed = True
            self.push_screen(RemoteDecideScreen(self.snapshot, brief_first=first, details=self.open_details),
                             self._decided)

    @staticmethod
    def _reveal_headline(reveal: Snapshot) -> str:
        """Every delegation decided, or whose order the host's clock took (`timed_out`)."""
        return screens.reveal_headline(text(reveal.get("label")), names(reveal.get("timed_out")))

    def _reveal_body(self, reveal: Snapshot) -> tuple[RenderableType, bool]:
        """The revealed turn's results from the room's pane, and True; or, while the host has not
        yet sent the panes of that turn (they follow the news by a moment), the orders as the
        host words them, and False."""
        room = room_of(self.snapshot or {})
        if text(room.get("results_title")) == f"Results of {text(reveal.get('label'))}":
            return from_wire(room.get("results")), True
        return Text("\n".join(names(reveal.get("decisions")))), False

    def _fresh_reveal(self) -> None:
        """The reveal on screen, given the results once the panes of its turn arrive."""
        if self.revealing is None:
            return
        if not self.is_running or self.revealing[0] not in self.screen_stack:  # closing: nothing to fill in
            self.revealing = None
            return
        opened, reveal = self.revealing
        body, fresh = self._reveal_body(reveal)
        if fresh and not opened.is_mounted:  # pushed a moment ago: fill it in once it is up
            self.set_timer(0.05, self._fresh_reveal)
        elif fresh:
            opened.query_one("#body", Static).update(
                screens.reveal_screen(self._reveal_headline(reveal), body).body)
            self.revealing = None

    def _decided(self, answer: Any) -> None:
        if isinstance(answer, dict) and self.snapshot is not None:
            turn = self.snapshot.get("turn")
            self.sent = turn
            self.send({"type": "decide", "turn": turn, "option": answer["option"],
                       "note": str(answer.get("note", ""))[:MAX_NOTE]})
            self.say(f"Sent: {answer.get('n')}. {text(answer.get('name'))} — sealed until every delegation "
                     "has decided.", False)
        self.next()

    # ------------------------------------------------------------ keys from any screen

    def open_details(self, tab: str) -> None:
        if self.snapshot is not None:
            self.push_screen(DetailsScreen(tabs_for(self.snapshot, self.board), tab))

    def action_next(self) -> None:
        if self.over and self.told_over:
            self.exit()
        else:
            self.next()

    def action_quit_game(self) -> None:
        if self.over:
            self.exit()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(Confirm("Leave the game? Your seat stays your delegation's: `wargame join` with the same "
                                 "code takes it back."), answered)


def run_remote(url: str, code: str | None) -> None:
    """Play one seat on the full screen until the game ends or the delegation leaves.
    UsageError when the server refuses the code or cannot be reached."""
    from wargame.errors import UsageError

    app = RemoteApp(url, code)
    if not app.code:
        raise UsageError("give the join code with --code (the host printed one per delegation)")
    run_guarded(app)  # an unexpected error: raised here, never drawn with its locals (the join code)
    if app.failure is not None:
        raise UsageError(app.failure)


__all__ = ["RemoteApp", "run_remote"]
