"""`wargame join URL --code CODE`: a delegation's seat at its own terminal, in plain lines.

It speaks the same protocol as the browser page: say hello with the code, then print each new
snapshot (the board when it changes, the reveal, this delegation's options when its decision
is due, each message of the negotiation phase as it arrives) and send the number typed, or a
message typed as at the table's prompt: `say TEXT`, `tell NATION[,NATION] TEXT`,
`offer NATION THEIR_OPTION OUR_OPTION [TEXT]`, `signal ID [TEXT]`. A dropped connection is
retried with the same code, and the snapshot that follows shows where the game stands.
Everything from the server is printed as plain text (rich `Text`), never as markup.
"""

from __future__ import annotations

import json
import queue
import sys
import threading
import time
from collections import deque
from typing import Any

from rich.console import Console
from rich.text import Text
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from wargame.errors import UsageError
from wargame.serve.joining import (
    FIRST_TRIES,
    HELD,
    RECONNECT_FOR,
    TALK_HELP,
    VERBS,
    nation_id,
    server_frame,
    socket_url,
    talk_frame,
    untrusted,
    why_not,
)
from wargame.serve.protocol import MAX_NOTE
from wargame.serve.wire import Wire
from wargame.view.wrap import Hanging

BOARD_WAIT = 2.0  # seconds the news of a new situation waits for its board (see _session)



class Seat:
    """One delegation's connection and what it has shown so far."""

    def __init__(self, out: Console, url: str, code: str) -> None:
        self.out = out
        self.url = url
        self.code = code
        self.inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.ws: Wire | None = None
        self.board = ""
        self.revealed: tuple[int, tuple[str, ...]] | None = None
        self.brief = ""
        self.asked: int | None = None  # the turn whose options were last shown
        self.options: list[dict[str, Any]] = []
        self.turn = 0
        self.over = False
        self.heard: list[dict[str, Any]] = []  # the messages already printed, in the snapshots' order
        self.negotiation: dict[str, Any] | None = None
        self.sent: deque[str] = deque()  # the kinds of frame awaiting their reply, in order
        self.held = False  # the game waits for the White cell (said once each time it starts)
        self.shown: int | None = None  # the situation whose board was printed last (None: after a reconnect)
        self.still: tuple[int, tuple[str, ...]] = (0, ())  # the "Still deciding" line last printed
        self.due = False  # this delegation's decision is due (the latest snapshot said so, no decision sent)
        self.decided: dict[str, Any] | None = None  # its sealed choice this turn, as the snapshot says
        self.sealed: int | None = None  # the turn whose decision the server took (its ack)
        self.left: float | None = None  # seconds left on the host's clock, as of the latest snapshot
        self.after_prompt = False  # something was printed after the prompt

    def say(self, text: str, style: str = "", hang: int | None = None) -> None:
        """Print a line; with `hang`, its wrapped lines hang that many columns in and none begins
        with a number (`wargame.view.wrap.Hanging`: the menu's lines)."""
        line = Text(text, style=style)
        self.out.print(line if hang is None else Hanging(line, hang=hang))
        self.after_prompt = True

    def reprompt(self) -> None:
        """The one-line prompt again, last, when anything was printed after it while the
        decision is still due (so the person always sees what to type)."""
        if self.due and self.asked == self.turn and self.after_prompt:
            self.say(self.prompt_line())
            self.after_prompt = False

    def prompt_line(self) -> str:
        left = f" ({self.left:.0f} s left)" if self.left is not None else ""
        return f"Type an option's number, optionally followed by a note{left}; b for your private brief."

    def hello(self, ws: Wire) -> None:
        """Say hello on a fresh connection; UsageError if the server refuses the code."""
        self.ws = ws
        ws.send(json.dumps({"type": "hello", "code": self.code}))
        welcome = server_frame(ws.recv(timeout=40))
        if welcome.get("type") == "error":
            raise UsageError(f"the server refused: {welcome.get('message')}")
        if welcome.get("kind") != "seat":
            raise UsageError("that code is not a delegation's seat (the White cell uses the browser page)")
        self.say(f"Joined as {welcome.get('name')}.", "bold")

    def listen(self) -> None:
        """Read messages into the inbox until the connection ends (then put None)."""
        assert self.ws is not None
        try:
            for raw in self.ws:
                self.inbox.put(server_frame(raw))
        except (ConnectionClosed, ValueError):  # an unreadable frame: as a dropped connection
            pass
        self.inbox.put(None)

    def show(self, message: dict[str, Any]) -> None:
        """Print what is new in a frame from the server: the board once per situation (a message
        changes the board's text, not its situation: the message is printed on its own), the
        reveal, each message, who is still deciding, the options when the decision is due."""
        kind = message.get("type")
        if kind in ("error", "ack"):
            self.say(("Refused: " if kind == "error" else "") + str(message.get("message")),
                     "bold" if kind == "error" else "")
            answered = self.sent.popleft() if self.sent else "decide"
            if kind == "error" and self.turn and answered == "decide":
                self.asked = None  # ask again
            elif answered == "decide":
                self.due, self.sealed = False, self.turn  # in: sealed until every delegation has decided
            return
        if kind != "state":
            return
        self.turn = int(message["turn"])
        self.show_board(message)
        reveal = message.get("reveal")
        if reveal and (reveal["turn"], tuple(reveal["decisions"])) != self.revealed:
            self.revealed = (reveal["turn"], tuple(reveal["decisions"]))
            self.say(f"Orders revealed — {reveal['label']}:", "bold")
            for line in reveal["decisions"]:
                self.say(f"  {line}")
        self.hear(message.get("messages") or [])
        if message.get("outcome"):
            self.say(f"Game over: {message['outcome']}", "bold")
            self.over = True
            return
        seat = message.get("seat") or {}
        self.negotiation = seat.get("negotiation")
        self.decided = seat.get("decided")
        self.due = bool(seat.get("due"))
        if self.due:
            self.sealed = None  # (the White cell took a turn back: decide again)
        clock = message.get("clock")
        self.left = float(clock["left"]) if clock and clock.get("left") is not None else None
        held = message.get("held") is True
        if held and not self.held:
            self.say(HELD, "bold")
        self.held = held
        still = (self.turn, tuple(message.get("waiting_for") or ()))
        if still[1] and not self.due and still != self.still:
            self.say("Still deciding: " + ", ".join(still[1]), "dim")
        self.still = still
        if self.due and self.asked != self.turn:
            self.asked = self.turn
            self.ask(message, seat)

    def show_board(self, message: dict[str, Any]) -> None:
        """Print the board when it shows a situation not printed yet (after a reconnect: when its
        text differs from the last printed)."""
        board, drawn = message.get("board"), message.get("board_situation")
        if board is None:  # unchanged since the last one sent
            return
        if self.shown is None and board == self.board:
            self.shown = drawn  # (a reconnect: the same board)
            return
        if drawn is not None and drawn == self.shown and self.board:
            self.board = board  # the same situation, a message more: the message is printed on its own
            return
        self.board, self.shown = board, drawn
        self.out.print(Text(board))
        self.after_prompt = True

    def ask(self, message: dict[str, Any], seat: dict[str, Any]) -> None:
        """The options, each under its game-long number, and the prompt."""
        self.options = list(seat["options"])
        self.say(f"{seat['name']} — your decision, {message['label']}:", "bold")
        for option in self.options:  # each under its game-long number, as at the local table
            number = f"  {option['n']}. "  # a wrapped line hangs under the name, never led by a number
            if option["ok"]:
                self.say(f"{number}{option['name']} · {option['category']}", hang=len(number))
                self.say(f"     → {option['does']}", "italic", hang=7)
            else:
                self.say(f"{number}— {option['name']} · {option['category']}"
                         f" — not now: {option['why_not'] or 'unavailable'}", "dim", hang=len(number))
        open_count = sum(1 for o in self.options if o["ok"])
        self.say(f"{open_count} of {len(self.options)} options open now; those marked — cannot be "
                 "chosen this turn. An option keeps its number all game.", "dim")
        talk = self.negotiation
        if talk and talk.get("open"):
            self.say(f"{TALK_HELP} ({talk['left']} of {talk['limit']} left this turn.)", "dim")
        self.say(self.prompt_line())
        self.after_prompt = False
        self.brief = seat["private_brief"]

    def hear(self, messages: list[dict[str, Any]]) -> None:
        """Print each message of the negotiation phase not printed yet. A snapshot carries every
        message so far, oldest first, so the new ones are those past the part already printed (two
        identical messages are two); a turn the White cell undid loses its messages, and what
        comes after the part still the same is new."""
        same = 0
        while same < min(len(messages), len(self.heard)) and messages[same] == self.heard[same]:
            same += 1
        for m in messages[same:]:
            self.tell(m)
        self.heard = list(messages)

    def tell(self, m: dict[str, Any]) -> None:
        mine = " (yours)" if m.get("mine") else ""
        self.say(f"Message, {m.get('label')}{mine}: {m.get('line')}", "italic" if m.get("mine") else "")

    def talk(self, line: str) -> dict[str, Any] | str:
        """The `send` frame for a message typed as at the table's prompt (see `talk_frame`)."""
        return talk_frame(line, self.turn, self.negotiation)

    def nation_id(self, word: str) -> str:
        return nation_id(word, self.negotiation)

    def explain_talk(self, nation: str = "") -> None:
        """What a message may name: the nations, the signals, and (with a nation) the options."""
        talk = self.negotiation
        if not talk:
            self.say("This game has no messages." if self.turn else "Not yet: the game has not begun.")
            return
        self.say(TALK_HELP)
        self.say("Nations: " + ", ".join(f"{n['id']} ({n['name']})" for n in talk["nations"]))
        for signal in talk["signals"]:
            why = "" if signal["ok"] else f" — not now: {signal['why_not']}"
            self.say(f"Signal {signal['id']}: {signal['name']} ({signal['lands']}){why}")
        self.say("Your options, for an offer: " + ", ".join(o["id"] for o in talk["options"]))
        named = next((n for n in talk["nations"] if nation and self.nation_id(nation) == n["id"]), None)
        if named is not None:
            self.say(f"{named['name']}'s options, for an offer: " + ", ".join(o["id"] for o in named["options"]))
        else:
            self.say("? NATION lists that delegation's options an offer may name.")

    def answer(self, line: str) -> None:
        line = line.strip()
        if not line or self.ws is None:
            return
        if line.lower() in ("b", "brief") and self.brief:
            self.say(self.brief)
            return
        if line == "?" or line.startswith("? "):
            self.explain_talk(line[1:].strip())
            return
        if line.partition(" ")[0].lower() in VERBS:
            frame = self.talk(line)
            if isinstance(frame, str):
                self.say(f"Not sent: {frame}.")
                return
            self.send(frame)
            return
        number, _, note = line.partition(" ")
        wanted = int(number) if number.isdecimal() and len(number) < 8 else None
        if wanted is not None and not self.due:
            revealed = self.revealed is not None and self.revealed[0] == self.turn
            if (self.decided is not None or self.sealed == self.turn) and not revealed:
                taken = f" ({self.decided['name']})" if self.decided else ""
                self.say(f"Your decision for this turn is already in{taken}; it stays sealed until every "
                         "delegation has decided. Only the White cell can take it back, by undoing the turn.")
            else:
                self.say("No decision is due now; your options are listed when it is.")
            return
        option = next((o for o in self.options if o["n"] == wanted), None)
        if option is None:
            self.say(f"Not an option's number: {line!r}. Type a number from the list.")
            return
        if not option["ok"]:
            self.say(f"Not now: {option['name']} — {option['why_not'] or 'unavailable'}.")
            return
        self.send({"type": "decide", "turn": self.turn, "option": option["id"], "note": note.strip()[:MAX_NOTE]})

    def send(self, frame: dict[str, Any]) -> None:
        assert self.ws is not None
        try:
            self.ws.send(json.dumps(frame))
            self.sent.append(str(frame["type"]))
        except ConnectionClosed:
            self.say("Not sent: the connection dropped; it is being restored.")


def join(url: str, code: str | None, out: Console) -> bool:
    """Play one seat until the game ends (True) or input ends (False: the seat is left; the
    delegation may rejoin with the same code)."""
    ws_url, from_url = socket_url(url)
    code = code or from_url
    if not code:
        raise UsageError("give the join code with --code (the host printed one per delegation)")
    seat = Seat(out, ws_url, code)
    lines: queue.Queue[str | None] = queue.Queue()
    ended = threading.Event()  # input is over (its None is the last thing in `lines`)
    threading.Thread(target=_read_stdin, args=(lines, ended), daemon=True).start()
    attempt, joined, give_up = 0, False, 0.0
    while not seat.over:
        try:
            with Wire(seat.url, open_timeout=10, max_size=2**24) as ws:
                seat.hello(ws)
                attempt, joined = 0, True
                threading.Thread(target=seat.listen, daemon=True).start()
                if _session(seat, lines):
                    return seat.over
        except (OSError, InvalidHandshake, InvalidURI, TimeoutError, ConnectionClosed, ValueError) as err:
            attempt += 1
            if attempt == 1:
                give_up = time.monotonic() + RECONNECT_FOR
            if untrusted(err) or ((time.monotonic() > give_up) if joined else attempt > FIRST_TRIES):
                raise UsageError(f"cannot reach {url}: {why_not(err, url)}") from None
            seat.say(f"Cannot reach the server ({err or type(err).__name__}); trying again…", "dim")
            time.sleep(min(0.25 * 2 ** attempt, 5))
            continue
        if not seat.over and ended.is_set() and lines.qsize() <= 1:
            return False  # dropped after input ended, nothing typed left to send: leave, as at the end of input
        if not seat.over:
            seat.say("The connection dropped; reconnecting with your code…", "dim")
            seat.asked, seat.shown = None, None
            seat.sent.clear()
    return True


def _session(seat: Seat, lines: queue.Queue[str | None]) -> bool:
    """Show messages and send answers until the connection ends (False) or input ends (True).

    A snapshot of a new situation whose board is still being drawn (the server sends the news
    first, the board a moment after) is held back until the board comes, for at most BOARD_WAIT
    seconds, so the board is printed before the news and the options, not after them."""
    held: dict[str, Any] | None = None
    until = 0.0
    while True:
        try:
            message = seat.inbox.get(timeout=0.1)
        except queue.Empty:
            message = {}
        if message is None:
            if held is not None:
                seat.show(held)
            return seat.over
        if message.get("type") == "state":
            if held is not None and message.get("board") is None:  # keep the board the held one carried
                message = {**message, "board": held.get("board"), "board_situation": held.get("board_situation")}
            if message.get("situation") != message.get("board_situation"):
                until = until if held is not None else time.monotonic() + BOARD_WAIT
                held, message = message, {}
            else:
                held = None
        if held is not None and time.monotonic() >= until:
            held, message = None, held
        if message:
            seat.show(message)
            if seat.over:
                assert seat.ws is not None
                seat.ws.close()
                return True
            seat.reprompt()
        try:
            line = lines.get_nowait()
        except queue.Empty:
            continue
        if line is None:
            if seat.ws is not None:
                seat.ws.close()
            return True
        seat.answer(line)
        seat.reprompt()


def _read_stdin(lines: queue.Queue[str | None], ended: threading.Event) -> None:
    for line in sys.stdin:
        lines.put(line)
    lines.put(None)
    ended.set()
