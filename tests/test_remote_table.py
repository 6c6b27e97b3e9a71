"""`wargame join` on the full screen (wargame.tui.remote), driven with Textual's pilot against a
real `wargame serve` on 127.0.0.1: a wrong code refused in words; joining shows the private
brief, the options with their game-long numbers and the clock; a wrong number, a decision, the
reveal; an out-of-turn decision answered with the server's error in words; the host killed
(the seat says it is reconnecting) and resumed on the same port from its record (the seat
rejoins by itself and plays on); q asks, then leaves. And the wire form of the room's panes:
plain pieces only, a style outside the set dropped, junk shown as "(unreadable)"."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text

from tests.serving import Server
from tests.tui_helpers import screen_text
from wargame.serve.panes import from_wire, to_wire
from wargame.tui.remote import RemoteApp
from wargame.tui.remote_data import seat_of
from wargame.tui.remote_screens import RemoteDecideScreen
from wargame.tui.screens import Confirm, DetailsScreen, Message

SIZE = (100, 30)


async def until(pilot: object, ready: object, what: str, seconds: float = 30.0) -> None:
    """Let the app and its connection run until `ready()`; fail after `seconds`."""
    for _ in range(int(seconds / 0.05)):
        if ready():  # type: ignore[operator]
            await pilot.pause()  # type: ignore[attr-defined]
            return
        await asyncio.sleep(0.05)
    app = pilot.app  # type: ignore[attr-defined]
    raise AssertionError(f"{what} never came; the screen ({type(app.screen).__name__}):\n{screen_text(app)}")


def showing(app: RemoteApp, words: str) -> object:
    return lambda: words in screen_text(app)


def on(app: RemoteApp, kind: type) -> object:
    return lambda: isinstance(app.screen, kind) and app.screen.is_mounted


def test_a_remote_seat_joins_decides_sees_the_reveal_and_survives_the_host_restarting(tmp_path: Path) -> None:
    log = tmp_path / "game.jsonl"
    server = Server(["serve", "defining-roles", "--human", "us", "--seed", "5", "--log", str(log),
                     "--linger", "5", "--clock", "600"], tmp_path)
    port = int(server.info["url"].rsplit(":", 1)[1].strip("/"))
    url, code = server.info["url"], server.code("us")
    resumed: list[Server] = []

    async def wrong_code() -> None:
        app = RemoteApp(url, "WRONG-CODES")
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.failure is not None, "the refusal")
        assert app.failure is not None and app.failure.startswith("the server refused:")

    async def seat() -> None:
        app = RemoteApp(url, code)
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, on(app, DetailsScreen), "the private brief, first")
            assert "just-in-case stockpiles" in screen_text(app)
            await pilot.press("escape")
            await until(pilot, on(app, RemoteDecideScreen), "the decision")
            shown = screen_text(app)
            assert "United States decides — Week 1, turn 1 of 10" in shown
            assert re.search(r"⏱ (10:00|9:[0-5]\d) left", shown), "the host's clock"
            assert "2 Ask partners to define their" in shown and "6 — Airlift munitions forward" in shown
            await pilot.press("0", "enter")
            await until(pilot, showing(app, "Not an option's number: '0'"), "the wrong number told")
            await pilot.press("6", "enter")  # closed: said why, still deciding
            await until(pilot, showing(app, "cannot be chosen now"), "why 6 is closed")
            await pilot.press("2", "enter", *"quiet", "enter")
            await until(pilot, lambda: isinstance(app.screen, Message) and "Orders revealed" in screen_text(app),
                        "the reveal")
            assert "United States: Ask partners to define their roles" in screen_text(app)
            await until(pilot, showing(app, "▲+1 Deterrence credibility"), "the reveal's results (with the panes)")
            await pilot.press("n")
            await until(pilot, on(app, RemoteDecideScreen), "Week 2's decision")
            assert "Week 2, turn 2 of 10" in screen_text(app)
            app.send({"type": "decide", "turn": 1, "option": "us.hold", "note": ""})  # stale: refused in words
            await until(pilot, lambda: "that decision was for turn 1" in app.reply.plain, "the error reply")

            stale = app.snapshot  # the dead host's last word
            server.kill()  # the host dies with Week 2 undecided
            await until(pilot, lambda: "reconnecting" in screen_text(app), "the reconnecting state")
            resumed.append(await asyncio.to_thread(
                Server, ["resume", str(log), "--serve", "--linger", "5"], tmp_path, port))
            # back online is not enough: the keys go to the decision the resumed host asks for (its
            # first snapshots may close the old one and open it again), not to the one left from before
            await until(pilot, lambda: app.online and app.snapshot is not None and app.snapshot is not stale
                        and bool(seat_of(app.snapshot).get("due")) and on(app, RemoteDecideScreen)()
                        and "reconnecting" not in screen_text(app), "the seat back, deciding Week 2")
            assert "Week 2, turn 2 of 10" in screen_text(app)
            await pilot.press("1", "enter", "enter")
            await until(pilot, lambda: isinstance(app.screen, Message) and "Week 2 are revealed" in screen_text(app),
                        "Week 2's reveal")
            await pilot.press("q")
            await until(pilot, on(app, Confirm), "the question before leaving")
            await pilot.press("y")
            await until(pilot, lambda: app.return_code is not None, "the app closing")
        assert app.failure is None and app.return_code == 0

    async def timed_out() -> None:  # a host with a clock of 2 seconds: the decision closes by itself
        quick = Server(["serve", "defining-roles", "--human", "japan", "--seed", "5", "--clock", "2",
                        "--linger", "1"], tmp_path)
        resumed.append(quick)
        app = RemoteApp(quick.info["url"], quick.code("japan"))
        app.briefed = True
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, on(app, RemoteDecideScreen), "the decision")
            await until(pilot, lambda: isinstance(app.screen, Message) and "Time ran out for Japan" in screen_text(app),
                        "the reveal after the clock ran out")
            assert "Japan: Hold" in screen_text(app)  # the scenario's default, taken for it

    try:
        asyncio.run(timed_out())
        asyncio.run(wrong_code())
        asyncio.run(seat())
    finally:
        server.kill()
        for s in resumed:
            s.kill()
    notes = log.read_text(encoding="utf-8")
    assert '"note": "quiet"' in notes or '"note":"quiet"' in notes


def test_panes_go_over_the_wire_as_plain_pieces_and_junk_is_unreadable() -> None:
    text = Text.assemble(("Deterrence ", "bold green"), ("[red]not markup[/red]", "link https://example.org"))
    wire = to_wire(text)
    assert wire == {"text": [["Deterrence ", "bold green"], ["[red]not markup[/red]", ""]], "nowrap": False}
    wire["text"].append(["!", "blink link https://x.org #zzzzzz color(999) reverse"])
    back = from_wire(wire)
    assert isinstance(back, Text) and back.plain == "Deterrence [red]not markup[/red]!"
    assert [str(span.style) for span in back.spans] == ["bold green", "reverse"]
    console = Console(width=40, file=None, color_system=None)
    for junk in (None, [], {"text": "x"}, {"rows": [[{"text": []}]], "ratios": "1"}, {"group": [{}] * 3},
                 {"group": [{"group": [{"group": [{"group": [{"group": [{"group": [{}]}]}]}]}]}]}):
        with console.capture() as seen:
            console.print(from_wire(junk))
        assert "(unreadable)" in seen.get()


def test_what_the_server_says_is_shown_as_it_is_never_as_markup() -> None:
    from tests.snapshot_apps import RemoteSeat, seat_frames

    async def run() -> None:
        app = RemoteSeat(seat_frames("us"))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.snapshot is not None, "the snapshot")
            app.receive({"type": "error", "message": "[bold]no[/bold] [link=https://example.org]such[/link] turn"})
            app.receive({"type": "nonsense"})
            app.receive(["not", "a", "frame"])
            await until(pilot, showing(app, "Refused: [bold]no[/bold] [link=https://example.org]such[/link] turn"),
                        "the refusal in the server's own words")
            assert "Still deciding: Japan" in screen_text(app)

    asyncio.run(run())


def test_a_remote_seat_sends_messages_and_sees_them_as_the_table_does(tmp_path: Path) -> None:
    from wargame.tui.remote_talk import RemoteMessagesScreen

    log = tmp_path / "talk.jsonl"
    server = Server(["serve", "defining-roles", "--human", "us", "--seed", "5", "--log", str(log),
                     "--linger", "1"], tmp_path)

    async def run() -> None:
        app = RemoteApp(server.info["url"], server.code("us"))
        app.briefed = True
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, on(app, RemoteDecideScreen), "the decision")
            await until(pilot, showing(app, "Messages — 2 of 2 messages left this turn; m: read all and send"),
                        "the messages strip")
            await pilot.press("m")
            await until(pilot, on(app, RemoteMessagesScreen), "the messages screen")
            assert "Nations: japan (Japan)" in screen_text(app)
            await pilot.press(*"tell nobody hello", "enter")
            await until(pilot, showing(app, "Refused:"), "the host's refusal in words")
            await pilot.press(*"say We stand with our partners", "enter")
            await until(pilot, showing(app, "1 of 2 messages left this turn"), "the statement taken")
            await until(pilot, showing(app, '"We stand with our partners"'), "the statement among the messages")
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, RemoteDecideScreen)
                        and "We stand with our partners" in screen_text(app), "the statement in the strip")
            await pilot.press("1", "enter", "enter")
            await until(pilot, lambda: isinstance(app.screen, Message) and "Week 1 are revealed" in screen_text(app),
                        "the reveal")

    try:
        asyncio.run(run())
    finally:
        server.kill()
    assert "We stand with our partners" in log.read_text(encoding="utf-8")


def test_m_opens_the_messages_from_the_number_entry_and_the_strip_says_read_all_with_none_left() -> None:
    """`m` is the screen's (priority, as at the table) while the entry takes a number, a letter of
    the note once an option is chosen; with no message left the strip offers only reading; the
    decide hint fits 80 columns."""
    import copy

    from tests.snapshot_apps import RemoteSeat, seat_frames
    from wargame.tui.remote_talk import RemoteMessagesScreen

    async def run() -> None:
        app = RemoteSeat(seat_frames("japan"))
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, on(app, RemoteDecideScreen), "the decision")
            shown = screen_text(app)
            assert "Numbers stay all game. m: messages b: your brief g: how it ends s: the room" in shown
            assert "m: read all and send" in shown
            decide = app.screen
            assert isinstance(decide, RemoteDecideScreen)
            decide.entry.focus()
            await pilot.press("m")
            await until(pilot, on(app, RemoteMessagesScreen), "the messages screen, from the entry")
            assert decide.entry.value == ""
            await pilot.press("escape")
            await until(pilot, on(app, RemoteDecideScreen), "back to the decision")
            await pilot.press("1", "enter", "m")  # chosen: m is a letter of the note
            await pilot.pause()
            assert isinstance(app.screen, RemoteDecideScreen) and decide.entry.value == "m"
            spent = copy.deepcopy(dict(app.snapshot or {}))
            spent["seat"]["negotiation"]["left"] = 0
            app.receive(spent)
            await pilot.pause()
            assert "m: read all" in screen_text(app) and "read all and send" not in screen_text(app)

    asyncio.run(run())


def test_a_decided_seat_keeps_the_host_clock_counting_and_the_sealed_reply_goes_with_the_turn(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The room's header clock counts down between snapshots (as the decide screen's does), and
    the server's "sealed" reply is not left under the room once the orders are revealed."""
    import copy
    from types import SimpleNamespace

    from tests.snapshot_apps import RemoteSeat, seat_frames
    from wargame.tui import remote_data

    now = [1000.0]  # the seat's own clock, moved by hand: no real time in the test
    monkeypatch.setattr(remote_data, "time", SimpleNamespace(monotonic=lambda: now[0]))

    async def run() -> None:
        frames = seat_frames("us")  # the United States has decided
        running = copy.deepcopy(frames[1])
        running["clock"] = {**running["clock"], "left": 69.4, "paused": False}
        app = RemoteSeat([frames[0], running])
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, showing(app, "⏱ 1:09 left"), "the host's clock")
            assert app.clock is not None
            now[0] += 10  # ten seconds later, no snapshot between
            app.refresh_room()
            await until(pilot, showing(app, "⏱ 0:59 left"), "the clock counted down")
            app.receive({"type": "ack", "message": "decision received; it stays sealed until every delegation "
                                                   "has decided"})
            await until(pilot, showing(app, "it stays sealed"), "the reply")
            between = copy.deepcopy(running)
            between["phase"], between["waiting_for"] = "between", []
            app.receive(between)
            await until(pilot, showing(app, "Between turns"), "the turn moving on")
            assert "it stays sealed" not in screen_text(app)

    asyncio.run(run())


def test_the_remote_room_says_how_many_nations_and_outcomes_it_could_not_show() -> None:
    """At 80x24 the nations and outcomes panes cannot hold every row: the last line counts the
    rest and names the key that shows them; where every row fits, nothing is said."""
    from tests.snapshot_apps import RemoteSeat, seat_frames

    async def run(size: tuple[int, int]) -> str:
        app = RemoteSeat(seat_frames("us"))
        async with app.run_test(size=size) as pilot:
            await until(pilot, showing(app, "Still deciding"), "the room")
            await pilot.pause()
            return screen_text(app)

    small = asyncio.run(run((80, 24)))
    assert "… 4 more (d: whole board)" in small  # 2 of the 6 nations shown, and the line
    outcomes = len(seat_frames("us")[1]["seat"]["room"]["outcomes"]["rows"])
    assert f"… {outcomes - 2} more (g: how it ends)" in small
    tall = asyncio.run(run((100, 40)))
    assert "more (d: whole board)" not in tall and "Taiwan" in tall


def test_a_remote_seat_says_when_the_white_cell_holds_the_game_and_whose_order_the_clock_took(
        tmp_path: Path) -> None:
    """A real host with the White cell on its page (so it holds the game before each turn) and a
    one-second clock. The full-screen seat says the game is held and decisions wait; the White
    cell's `go` starts Day 1; Blue never decides, so the reveal says time ran out for it and its
    result line says "(time ran out)"; then the game is held again before Day 2. The line
    client, given the same snapshots, says both too."""
    import io
    import json

    from rich.console import Console

    from tests.serving import TIMEOUT, hello
    from wargame.serve.client import Seat
    from wargame.serve.joining import HELD

    server = Server(["serve", str(Path(__file__).parent / "fixtures" / "minimal.toml"), "--human", "blue",
                     "--facilitator", "--clock", "1", "--seed", "2", "--linger", "1"], tmp_path)
    seen: list[dict[str, object]] = []

    def go() -> str:
        """The White cell's page presses 'Start the next turn'; its answer."""
        with hello(server.ws_url, server.info["white"]["code"]) as (ws, welcome):
            assert welcome["kind"] == "white"
            ws.send(json.dumps({"type": "white", "action": "go"}))
            for _ in range(100):
                reply = json.loads(ws.recv(timeout=TIMEOUT))
                if reply["type"] in ("ack", "error"):
                    return str(reply["type"])
        return "no reply"

    async def seat() -> None:
        app = RemoteApp(server.info["url"], server.code("blue"))
        app.briefed = True  # no brief over the first decision
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: app.snapshot is not None and app.snapshot.get("held") is True
                        and "decisions wait" in screen_text(app), "the hold")
            assert HELD in app.status().plain and "Between turns" not in app.status().plain
            seen.append(dict(app.snapshot or {}))
            assert await asyncio.to_thread(go) == "ack"
            await until(pilot, lambda: isinstance(app.screen, Message) and "revealed" in screen_text(app),
                        "the reveal after the clock ran out")
            shown = " ".join(screen_text(app).replace("┃", " ").split())  # the lines inside the frame, joined
            assert "Time ran out for Blue: its default order was taken. The orders of Day 1 are revealed" in shown
            assert "Every delegation has decided" not in shown
            assert re.search(r"Blue: \S.* \(time ran out\)", shown), shown
            seen.append(dict(app.snapshot or {}))
            await pilot.press("n")
            await until(pilot, lambda: app.snapshot is not None and app.snapshot.get("held") is True
                        and app.snapshot.get("turn") == 1 and "decisions wait" in screen_text(app),
                        "the hold before Day 2")

    try:
        asyncio.run(seat())
    finally:
        server.kill()
    held, revealed = seen
    assert revealed["reveal"]["timed_out"] == ["Blue"]  # type: ignore[index]
    buffer = io.StringIO()
    line_seat = Seat(Console(file=buffer, width=100, color_system=None), server.ws_url, server.code("blue"))
    line_seat.show(held)
    line_seat.show(revealed)
    said = buffer.getvalue()
    assert HELD in said
    assert re.search(r"Orders revealed — Day 1:\n  Blue: \S.* \(time ran out\)", said), said


def test_a_frame_that_arrives_while_the_seat_closes_is_let_go() -> None:
    """The connection may deliver a snapshot while the app takes its screens down (a reveal's
    panes, say, a moment after `q`): it is ignored, never a crash on a screen already gone."""
    from tests.snapshot_apps import RemoteSeat, seat_frames

    frames = seat_frames("us")
    app = RemoteSeat(frames)

    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, showing(app, "United States"), "the room")
        last = app.snapshot
        app.receive(frames[1])  # after the app closed: its screens are gone
        assert last is not None and app.snapshot is last  # let go, not taken in

    asyncio.run(run())
