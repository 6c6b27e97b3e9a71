"""The negotiation phase over the network: a real `wargame serve` on 127.0.0.1 (a free port).

Six delegations negotiate in a flagship game: public statements and costly signals reach every
screen, a private message and an offer only their sender and addressee, never another seat, the
room view or the White cell's page; over the limit, after the order, for another turn, from the
room or malformed, a message is refused in words and the game goes on; the record verifies and
its report has the messages. Then a costly signal that would close an option a delegation has
already chosen: it lands only at adjudication, so the sealed choice stands, the table still
waits for the same delegations, and no one is asked again.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import flagship_scenario
from tests.serving import ROOT, TIMEOUT, Delegate, Server, Watcher, hello
from wargame.engine.negotiation import Message
from wargame.serve.protocol import ProtocolError, Send, parse

SIX = ("us", "japan", "australia", "taiwan", "china", "philippines")
SECRET = "Yokota at dawn, tell no one"  # the United States to Japan, privately
OFFER = "hold and so do we"  # Japan's offer to the United States
LATER = "Taipei, a word in private"  # China to Taiwan, turn 2
PUBLIC = "We stand with our partners"  # the United States, publicly
SIGNAL = "No chariot"  # the words with Japan's costly signal


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wargame", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, check=False)


def _replies(ws: Any, count: int) -> list[dict[str, Any]]:
    """The next `count` error/ack replies on a connection, skipping snapshots."""
    out: list[dict[str, Any]] = []
    deadline = time.monotonic() + TIMEOUT
    while len(out) < count and time.monotonic() < deadline:
        message = json.loads(ws.recv(timeout=TIMEOUT))
        if message["type"] in ("error", "ack"):
            out.append(message)
    assert len(out) == count, out
    return out


def _snapshot(ws: Any, until: Any) -> dict[str, Any]:
    """The first snapshot on a connection for which `until(snapshot)` holds."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        message = json.loads(ws.recv(timeout=TIMEOUT))
        if message["type"] == "state" and until(message):
            return dict(message)
    raise AssertionError("no such snapshot")


def test_a_send_frame_is_validated_before_the_game_sees_it() -> None:
    for frame, why in [('{"type": "send", "turn": 1, "kind": "private", "text": "hi"}', "needs 'to'"),
                       ('{"type": "send", "turn": 1, "kind": "statement", "to": ["japan"], "text": "hi"}',
                        "takes no 'to'"),
                       ('{"type": "send", "turn": 1, "kind": "offer", "to": ["japan", "china"], '
                        '"if_option": "hold", "then_option": "hold"}', "exactly one"),
                       ('{"type": "send", "turn": 1, "kind": "signal"}', "needs 'signal'"),
                       ('{"type": "send", "turn": 1, "kind": "shout", "text": "hi"}', "Input should be"),
                       ('{"type": "send", "turn": 1, "kind": "private", "to": ["<b>"], "text": "hi"}', "pattern"),
                       ('{"type": "send", "turn": 1, "kind": "statement", "text": "\\u202eevil"}', "control"),
                       ('{"type": "send", "turn": 1, "kind": "statement", "text": "' + "x" * 301 + '"}', "at most"),
                       ('{"type": "send", "turn": 1, "kind": "private", "to": ' + json.dumps(["a"] * 11)
                        + ', "text": "hi"}', "at most 10")]:
        with pytest.raises(ProtocolError, match=why):
            parse(frame)
    offer = parse('{"type": "send", "turn": 2, "kind": "offer", "to": ["japan"], "if_option": "yokota_cell", '
                  '"then_option": "us.hold", "text": "  if you  do "}')
    assert isinstance(offer, Send)
    twice = parse('{"type": "send", "turn": 2, "kind": "private", "to": ["japan", "japan"], "text": "hi"}')
    assert isinstance(twice, Send) and twice.message("us").to == ("japan",)
    assert offer.message("us") == Message(
        "us", "offer", "if you do", ("japan",), if_option="japan.yokota_cell", then_option="us.hold")


def test_six_delegations_negotiate_and_private_messages_reach_only_their_addressees(tmp_path: Path) -> None:
    log = tmp_path / "talk.jsonl"
    server = Server(["serve", "defining-roles", *(a for n in SIX for a in ("--human", n)), "--seed", "7",
                     "--facilitator", "--log", str(log), "--linger", "5"], tmp_path)
    talk: dict[str, dict[int, list[dict[str, Any]]]] = {
        "us": {1: [{"kind": "private", "to": ["japan"], "text": SECRET},
                   {"kind": "statement", "text": PUBLIC},
                   {"kind": "statement", "text": "And one more thing"}]},  # over the limit of two
        "japan": {1: [{"kind": "offer", "to": ["us"], "if_option": "hold", "then_option": "japan.hold", "text": OFFER},
                      {"kind": "signal", "signal": "not_a_bloc", "text": SIGNAL}]},
        "taiwan": {1: [{"kind": "offer", "to": ["china"], "if_option": "nosuch", "then_option": "hold"},
                       {"kind": "signal", "signal": "red_line"}]},  # not Taiwan's signal
        "china": {2: [{"kind": "private", "to": ["taiwan"], "text": LATER}]},
    }
    after = {"australia": {1: [{"kind": "statement", "text": "Too late to say"}]}}  # after its order
    try:
        room = Watcher(server.ws_url)
        white = Watcher(server.ws_url, server.info["white"]["code"])
        room.start()
        white.start()
        with hello(server.ws_url, None) as (stray, _):  # the room view cannot speak
            stray.send(json.dumps({"type": "send", "turn": 1, "kind": "statement", "text": "from the room"}))
            assert "only a delegation" in _replies(stray, 1)[0]["message"]
        delegates = {n: Delegate(server.ws_url, server.code(n), note=f"{n}-note", talk=talk.get(n),
                                 after=after.get(n)) for n in SIX}
        for d in delegates.values():
            d.start()
        with hello(server.ws_url, server.code("philippines")) as (spare, _):  # a stale page, a garbled frame
            spare.send(json.dumps({"type": "send", "turn": 99, "kind": "statement", "text": "from the future"}))
            spare.send('{"type": "send", "turn": 1, "kind": "statement", "text": 5}')
            stale, garbled = _replies(spare, 2)
        assert "turn 99" in stale["message"] and "invalid message: send.text" in garbled["message"]
        for t in (room, white, *delegates.values()):
            t.join(90)
            assert not t.is_alive(), "a client did not see the game end"
            assert t.failure is None, repr(t.failure)
        assert server.wait() == 0, server.stderr()
    finally:
        server.kill()

    # refusals in words, and the game went on
    assert any("has sent its 2 message(s) this turn" in e for e in delegates["us"].errors), delegates["us"].errors
    assert any("already decided" in e for e in delegates["australia"].errors), delegates["australia"].errors
    assert any("'china.nosuch' is not an option of china" in e for e in delegates["taiwan"].errors)
    assert any("only United States may send" in e for e in delegates["taiwan"].errors)

    # a private message and an offer: their sender and addressee only
    frames = {n: "\n".join(d.frames) for n, d in delegates.items()} | {
        "room": "\n".join(room.frames), "white": "\n".join(white.frames)}
    for text, parties in ((SECRET, {"us", "japan"}), (OFFER, {"us", "japan"}), (LATER, {"china", "taiwan"})):
        for who, seen in frames.items():  # the White cell sees every message
            assert (text in seen) == (who in parties | {"white"}), f"{text!r}: {who}"
    for who, seen in frames.items():  # public statements and signals: every screen
        assert PUBLIC in seen and SIGNAL in seen, who

    def last(frames: list[str]) -> dict[str, Any]:
        return next(m for m in map(json.loads, reversed(frames)) if m["type"] == "state")

    us, japan, room_last = last(delegates["us"].frames), last(delegates["japan"].frames), last(room.frames)
    told = next(m for m in us["messages"] if m["text"] == SECRET)
    assert told == {"turn": 1, "label": "Week 1", "from": "United States", "to": ["Japan"], "kind": "private",
                    "text": SECRET, "line": f'United States to Japan (private): "{SECRET}"', "mine": True}
    assert next(m for m in japan["messages"] if m["text"] == SECRET)["mine"] is False
    offer = next(m for m in us["messages"] if m["kind"] == "offer")
    assert (offer["from"], offer["to"], offer["if_option"], offer["then_option"]) == (
        "Japan", ["United States"], "Hold current posture", "Hold: study the situation")
    signal = next(m for m in room_last["messages"] if m["kind"] == "signal")
    assert signal["from"] == "Japan" and signal["text"] == SIGNAL and signal["signal"].startswith("Say Japan")
    assert {m["kind"] for m in room_last["messages"]} == {"statement", "signal"}
    assert {m["kind"] for m in last(white.frames)["messages"]} == {"statement", "signal", "private", "offer"}
    negotiation = us["seat"]["negotiation"]
    assert negotiation["limit"] == 2 and {s["id"] for s in negotiation["signals"]} == {"red_line"}
    assert {n["id"] for n in negotiation["nations"]} == set(SIX) - {"us"}

    # nothing else private crossed: another nation's brief or note, or its option ids but the
    # ones an offer may name, sent without their nation's prefix in `seat.negotiation.nations`
    # (never a private answer to a role request: its id would say which role)
    scenario = flagship_scenario()
    offerable = {n.id: {o.id.split(".", 1)[1] for o in scenario.options_by_nation[n.id]
                        if o.answer is None or o.answer.kind != "private"} for n in scenario.nations}
    private = {n.id: {o.id.split(".", 1)[1] for o in scenario.options_by_nation[n.id]} - offerable[n.id]
               for n in scenario.nations}
    assert private["japan"]  # the check below can fail: Japan has private answers
    for nation in SIX:
        for other in scenario.nations:
            if other.id != nation:
                assert f'"{other.id}.' not in frames[nation], f"an option id of {other.id} reached {nation}"
                assert f"{other.id}-note" not in frames[nation]
        snapshots = [m for m in map(json.loads, delegates[nation].frames) if m["type"] == "state"]
        listed = [n for m in snapshots if (m.get("seat") or {}).get("negotiation")
                  for n in m["seat"]["negotiation"]["nations"]]
        assert listed
        for entry in listed:
            assert {o["id"] for o in entry["options"]} == offerable[entry["id"]], (nation, entry["id"])
    assert "privately: Intelligence sharing" not in frames["us"]  # a private answer is not offered to others

    # the record: a local game's, the messages in it, verified, replayed and reported
    recorded = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    sent = [(e["nation"], e["message"], e["said"]) for e in recorded if e["kind"] == "message"]
    assert {("us", "private", SECRET), ("japan", "signal", SIGNAL), ("china", "private", LATER)} <= set(sent)
    assert len([s for s in sent if s[0] == "us" and s[2] != ""]) == 2
    verified = _run("replay", "--verify", str(log), "--json")
    assert verified.returncode == 0, verified.stderr
    assert json.loads(verified.stdout)["finished"] is True
    report = _run("report", str(log))
    assert report.returncode == 0, report.stderr
    assert SECRET in report.stdout and OFFER in report.stdout and SIGNAL in report.stdout


TALK = """
[negotiation]
messages = 1

[[signals]]
id = "cut"
nation = "green"
name = "Cut the supply line"
text = "Green will cut the line."
effects = ["logistics -= 1"]

[[options]]
id = "blue.supply"
nation = "blue"
name = "Run supplies"
category = "logistics"
available = "logistics >= 2"
"""


def test_a_signal_leaves_sealed_choices_and_who_is_deciding_alone_until_adjudication(tmp_path: Path) -> None:
    scenario = tmp_path / "talk.toml"
    scenario.write_text((ROOT / "tests" / "fixtures" / "minimal.toml").read_text(encoding="utf-8") + TALK,
                        encoding="utf-8")
    log = tmp_path / "sealed.jsonl"
    server = Server(["serve", str(scenario), "--human", "blue", "--human", "green", "--seed", "2",
                     "--log", str(log), "--linger", "3"], tmp_path)
    try:
        with hello(server.ws_url, server.code("blue")) as (blue, _), \
                hello(server.ws_url, server.code("green")) as (green, _):
            seat = _snapshot(blue, lambda s: s["seat"]["due"])["seat"]
            assert {o["id"]: o["ok"] for o in seat["options"]}["blue.supply"] is True
            assert seat["negotiation"]["left"] == 1 and seat["negotiation"]["signals"] == []  # green's, not blue's
            blue.send(json.dumps({"type": "decide", "turn": 1, "option": "blue.supply"}))
            assert _replies(blue, 1)[0]["type"] == "ack"
            blue.send(json.dumps({"type": "send", "turn": 1, "kind": "statement", "text": "after my order"}))
            assert "already decided" in _replies(blue, 1)[0]["message"]

            due = _snapshot(green, lambda s: s["seat"]["due"] and s["waiting_for"] == ["Green"])
            assert due["seat"]["negotiation"]["signals"][0]["lands"] == \
                "Logistics -1 — lands when the turn is adjudicated"
            green.send(json.dumps({"type": "send", "turn": 1, "kind": "signal", "signal": "cut"}))
            assert _replies(green, 1)[0]["type"] == "ack"
            green.send(json.dumps({"type": "send", "turn": 1, "kind": "private", "to": ["blue"], "text": "and more"}))
            assert "has sent its 1 message(s) this turn" in _replies(green, 1)[0]["message"]
            after = _snapshot(green, lambda s: s["seat"]["negotiation"]["left"] == 0)
            left = after["seat"]["negotiation"]
            assert left["open"] is False and left["signals"][0]["ok"] is False
            assert after["waiting_for"] == ["Green"]  # the table learns nothing of blue's sealed choice

            heard = _snapshot(blue, lambda s: any(m["kind"] == "signal" for m in s["messages"]))
            assert heard["waiting_for"] == ["Green"] and not heard["seat"]["due"]
            assert heard["seat"]["decided"]["option"] == "blue.supply"  # still sealed, still open
            assert "notice" not in heard["seat"]
            green.send(json.dumps({"type": "decide", "turn": 1, "option": "green.hold"}))
            _snapshot(blue, lambda s: s["turn"] == 2 and s["seat"]["due"])
        for nation in ("blue", "green"):  # the rest of the game: bots' pace
            Delegate(server.ws_url, server.code(nation)).start()
        assert server.wait() == 0, server.stderr()
    finally:
        server.kill()
    recorded = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    first = [e for e in recorded if e["turn"] == 1 and e["kind"] in ("decision", "effect")]
    assert [(e["nation"], e["option"]) for e in first if e["kind"] == "decision"] == \
        [("blue", "blue.supply"), ("green", "green.hold")]
    landed = first[2]  # the signal lands first, before the orders
    assert landed["signal"] == "cut" and landed["reason"] == "Green signalled: Cut the supply line"
    assert _run("replay", "--verify", str(log), "--scenario", str(scenario)).returncode == 0


def test_join_in_a_terminal_sends_messages_as_at_the_table_and_shows_them_as_they_arrive(tmp_path: Path) -> None:
    import pexpect

    from tests.test_serve_join import _join

    log = tmp_path / "join.jsonl"
    server = Server(["serve", "defining-roles", "--human", "us", "--human", "japan", "--seed", "3",
                     "--log", str(log), "--linger", "3"], tmp_path)
    japan = Delegate(server.ws_url, server.code("japan"),
                     talk={1: [{"kind": "private", "to": ["us"], "text": "Quiet word from Tokyo"}]})
    child = _join(server.info["url"], server.code("us"))
    try:
        japan.start()
        child.expect("Joined as United States")
        child.expect(r'Message, Week 1: Japan to United States \(private\): "Quiet word from Tokyo"')
        child.sendline("?")
        child.expect(r"Signal red_line: Draw a public red line")
        child.sendline("? japan")
        child.expect(r"Japan's options, for an offer: hold, yokota_cell")
        child.sendline("tell japan,nowhere hello")
        child.expect(r"Refused: 'nowhere' is not another delegation")
        child.sendline("offer")
        child.expect(r"Not sent: expected offer NATION THEIR_OPTION OUR_OPTION")
        child.sendline("say We listen")
        child.expect("message sent")
        child.expect(r'Message, Week 1 \(yours\): United States \(public statement\): "We listen"')
        child.sendline("offer Japan hold hold if you hold, we hold")
        child.expect("message sent")
        child.sendline("say one more")
        child.expect(r"Refused: United States has sent its 2 message\(s\) this turn")
        child.sendline("1")
        child.expect("decision received")
        child.expect("Orders revealed — Week 1")
        child.expect(r"your decision, Week 2")
        deadline = time.monotonic() + TIMEOUT  # Japan's thread reads its frames at its own pace (bounded)
        while time.monotonic() < deadline and not all(
                words in "\n".join(japan.frames) for words in ("We listen", "if you hold, we hold")):
            time.sleep(0.05)
        child.sendeof()  # the delegation leaves; the host keeps the whole turn in its record
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
        server.kill()
    seen = "\n".join(japan.frames)
    assert "We listen" in seen and "if you hold, we hold" in seen
    verified = _run("replay", "--verify", str(log), "--json")
    assert verified.returncode == 0, verified.stderr
    assert json.loads(verified.stdout)["turns"] >= 1
    said = [json.loads(line).get("said") for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    assert "We listen" in said and "if you hold, we hold" in said


def test_the_messages_of_a_turn_the_white_cell_undoes_leave_every_screen() -> None:
    """Without a server: the served game's snapshots follow the Game (a message sent, then the
    turn undone: it is no longer on the room's or a seat's screen; the record keeps both)."""
    from wargame.game import Game
    from wargame.serve.host import ServedGame
    from wargame.serve.view import public_view, seat_view

    game = Game(flagship_scenario(), seed=5)
    served = ServedGame(game, dict.fromkeys(SIX, "human"))
    game.begin_turn()
    game.send(Message("us", "statement", "Before the undo"))
    game.send(Message("us", "private", "Only Japan", ("japan",)))
    game.adjudicate({})
    game.begin_turn()
    game.send(Message("china", "statement", "Turn two"))
    with served.lock:
        room = public_view(served, draw=False)
        japan, taiwan = (seat_view(served, n, room)["messages"] for n in ("japan", "taiwan"))
    assert [m["text"] for m in room["messages"]] == ["Before the undo", "Turn two"]
    assert [m["text"] for m in japan] == ["Before the undo", "Only Japan", "Turn two"]
    assert [m["text"] for m in taiwan] == ["Before the undo", "Turn two"]
    game.undo(1, "start again")
    with served.lock:
        assert public_view(served, draw=False)["messages"] == []
        assert seat_view(served, "japan", public_view(served, draw=False))["messages"] == []
    assert sum(e.kind == "message" for e in game.history) == 3


def _seat(nations: list[dict[str, Any]] | None = None) -> tuple[Any, Any]:
    import io

    from rich.console import Console

    from wargame.serve.client import Seat
    out = io.StringIO()
    seat = Seat(Console(file=out, width=100, color_system=None), "ws://127.0.0.1:9/ws", "CODE")
    seat.turn = 1
    seat.negotiation = {"nations": nations or [{"id": "japan", "name": "Japan", "options": []},
                                               {"id": "australia", "name": "Australia", "options": []}]}
    return seat, out


def test_join_reads_tell_as_the_table_does_and_says_what_is_too_long_before_sending() -> None:
    from wargame.engine.negotiation import MAX_TEXT
    from wargame.players.script import parse_message
    from wargame.serve.protocol import MAX_FRAME
    seat, _ = _seat()
    frame = seat.talk("tell japan, australia Meet at noon")
    assert isinstance(frame, dict) and frame["to"] == ["japan", "australia"] and frame["text"] == "Meet at noon"
    assert parse_message(flagship_scenario(), 1, "us", "tell japan, australia Meet at noon") == Message(
        "us", "private", "Meet at noon", ("japan", "australia"))  # the same rule at the table
    assert seat.talk("tell Japan,Australia Hi")["to"] == ["japan", "australia"]  # type: ignore[index]
    long = seat.talk("say " + "x" * (MAX_TEXT + 1))
    assert long == f"a message is at most {MAX_TEXT} characters; yours is {MAX_TEXT + 1}"
    oversize = seat.talk(f"offer japan {'h' * MAX_FRAME} hold")
    assert isinstance(oversize, str) and f"over the server's {MAX_FRAME}" in oversize
    assert not seat.sent  # nothing went out


def test_join_shows_a_message_under_the_board_that_follows_it_and_identical_messages_twice() -> None:
    from wargame.game import Game
    from wargame.serve.host import ServedGame
    from wargame.serve.view import public_view, seat_view

    game = Game(flagship_scenario(), seed=5)
    served = ServedGame(game, dict.fromkeys(SIX, "human"))
    game.begin_turn()
    seat, out = _seat()

    def snapshot(draw: bool) -> dict[str, Any]:
        with served.lock:
            return {"type": "state", **seat_view(served, "us", public_view(served, draw=draw))}

    seat.show(snapshot(True))
    game.send(Message("japan", "private", "Same words", ("us",)))
    game.send(Message("japan", "private", "Same words", ("us",)))
    seat.show(snapshot(False))  # news first, the old board
    assert out.getvalue().count('"Same words"') == 2  # two messages, not one
    seat.show(snapshot(True))  # the board drawn again
    text = out.getvalue()
    board_start = text.rindex(seat.board.splitlines()[0])
    assert text.count('"Same words"', board_start) == 2  # still under the last board printed
