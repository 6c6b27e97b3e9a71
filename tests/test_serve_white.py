"""The White cell from a browser's place: a real `wargame serve` on 127.0.0.1 (a free port), the
facilitator code's connection sending the White cell's commands over the wire.

The facilitator fires an inject and adjusts a track between turns and the delegations and the
room see the effect; a seat's code cannot send White cell commands; an unknown inject, a value
beyond a track's limits and a command out of its moment get an error reply in words and leave
the game as it was; an undo to the start of a turn in play makes the delegations decide again;
the White cell ends the game, and the record replays and verifies with its actions in it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.serving import ROOT, TIMEOUT, Server, Watcher, hello
from wargame.serve.protocol import ProtocolError, parse


def _verify(log: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wargame", "replay", "--verify", str(log), "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)


class Link:
    """One connection: the frames it has received, and waiting for one that matters."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.latest: dict[str, Any] = {}

    def send(self, **message: Any) -> None:
        self.ws.send(json.dumps(message))

    def reply(self) -> dict[str, Any]:
        """The next ack or error (snapshots meanwhile kept as the latest)."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            message = json.loads(self.ws.recv(timeout=TIMEOUT))
            if message["type"] == "state":
                self.latest = message
            elif message["type"] in ("ack", "error"):
                return dict(message)
        raise AssertionError("no reply")

    def until(self, test: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """The first snapshot (the latest one included) for which `test` holds."""
        if self.latest and test(self.latest):
            return self.latest
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            message = json.loads(self.ws.recv(timeout=TIMEOUT))
            if message["type"] == "state":
                self.latest = message
                if test(message):
                    return message
        raise AssertionError(f"never saw it; last snapshot: {self.latest}")

    def command(self, **fields: Any) -> dict[str, Any]:
        self.send(type="white", **fields)
        return self.reply()


def _track(snapshot: dict[str, Any], title: str) -> float:
    return float(next(t["value"] for t in snapshot["tracks"] if t["title"] == title))


def _decide(seat: Link, turn: int, since: int) -> None:
    """Decide `turn` on the first snapshot of game version `since` or later that asks for it."""
    snapshot = seat.until(lambda s: s["version"] >= since and s["turn"] == turn and s["seat"]["due"])
    option = next(o for o in snapshot["seat"]["options"] if o["ok"])
    seat.send(type="decide", turn=turn, option=option["id"])
    assert seat.reply()["type"] == "ack"


def test_the_white_cell_fires_an_inject_adjusts_undoes_and_ends_the_game_from_a_browser(tmp_path: Path) -> None:
    log = tmp_path / "white.jsonl"
    server = Server(["serve", "defining-roles", "--human", "us", "--human", "japan", "--facilitator", "--seed", "5",
                     "--log", str(log), "--linger", "0"], tmp_path)
    room = Watcher(server.ws_url)
    try:
        room.start()
        with hello(server.ws_url, server.info["white"]["code"]) as (white_ws, welcome), \
                hello(server.ws_url, server.code("us")) as (us_ws, _), \
                hello(server.ws_url, server.code("japan")) as (japan_ws, _):
            assert welcome["kind"] == "white"
            white, us, japan = Link(white_ws), Link(us_ws), Link(japan_ws)

            # every delegation has joined: the game waits for the White cell before the first turn
            first = white.until(lambda s: s["white"]["holding"] == "Before Week 1")
            w = first["white"]
            assert w["between"] and w["hold"] and not w["console"]
            aspen = next(i for i in w["injects"] if i["id"] == "aspen_meeting")
            assert aspen["effects"] == "Crisis channel +1" and not aspen["fired"]
            cohesion = next(n for n in w["names"] if n["name"] == "cohesion")
            assert (cohesion["kind"], cohesion["lo"], cohesion["hi"]) == ("track", 0, 10)
            assert next(n for n in w["names"] if n["name"] == "quarantine")["kind"] == "flag"
            assert not any(n["name"] == "turn" for n in w["names"])  # kept by the engine: not offered
            assert {n["id"] for n in w["nations"]} == {"us", "japan", "australia", "taiwan", "china", "philippines"}
            assert us.until(lambda s: s["held"])["phase"] == "between"  # the seats are told who they wait for

            # a seat's code cannot send White cell commands; nothing happens
            us.send(type="white", action="inject", inject="aspen_meeting")
            assert us.reply() == {"type": "error", "message": "only the White cell can do that"}

            # invalid commands: error replies in words, the game as it was
            bad = white.command(action="inject", inject="no_such_inject")
            assert bad["type"] == "error" and "not one of this scenario's injects" in bad["message"]
            bad = white.command(action="adjust", changes=[{"name": "cohesion", "op": "=", "value": 11}], reason="x")
            assert bad["type"] == "error" and "cohesion runs from 0 to 10" in bad["message"]
            bad = white.command(action="adjust", changes=[{"name": "turn", "op": "+=", "value": 1}], reason="x")
            assert bad["type"] == "error" and "may set" in bad["message"]
            bad = white.command(action="adjust", changes=[{"name": "cohesion", "op": "-=", "value": 1}], reason="")
            assert bad["type"] == "error" and "reason" in bad["message"]
            bad = white.command(action="undo", last_action=True)
            assert bad["type"] == "error" and "no facilitator action to take back" in bad["message"]
            bad = white.command(action="pause")
            assert bad["type"] == "error" and "no decision clock" in bad["message"]

            # the inject and an adjustment, between turns: everyone sees the effect
            channel = _track(first, "Crisis channel")
            cohesion_before = _track(first, "Coalition cohesion")
            done = white.command(action="inject", inject="aspen_meeting", reason="The channel needs a push")
            assert done["type"] == "ack" and "Aspen Strategy Group meets" in done["message"]
            assert "Crisis channel +1: " in done["message"]  # the track's title, not its name in expressions
            done = white.command(action="adjust", changes=[{"name": "cohesion", "op": "-=", "value": 2}],
                                 reason="Allies are rattled")
            assert done["type"] == "ack" and "Coalition cohesion -2: facilitator: Allies are rattled" in done["message"]
            assert "cohesion -2" not in done["message"].replace("Coalition cohesion", "")
            for link in (us, japan, white):
                seen = link.until(lambda s: _track(s, "Coalition cohesion") == cohesion_before - 2)
                assert _track(seen, "Crisis channel") == channel + 1
            seen = white.until(lambda s: s["white"]["undo"]["last_action"] is not None)
            assert next(i for i in seen["white"]["injects"] if i["id"] == "aspen_meeting")["fired"]
            assert "Aspen Strategy Group meets" in white.until(lambda s: "Aspen" in s["board"])["board"]
            # undo the last action alone: cohesion is back, the inject stays fired
            assert white.command(action="undo", last_action=True)["type"] == "ack"
            us.until(lambda s: _track(s, "Coalition cohesion") == cohesion_before)

            assert white.command(action="go")["type"] == "ack"
            again = white.command(action="go")  # at once, before the game has moved on: refused, not merged
            assert again["type"] == "error" and "not waiting for you" in again["message"]
            since = white.until(lambda s: s["phase"] == "deciding")["version"]
            # while the delegations decide, the situation stands still
            bad = white.command(action="inject", inject="summit")
            assert bad["type"] == "error" and "between turns" in bad["message"]
            bad = white.command(action="go")
            assert bad["type"] == "error" and "not waiting for you" in bad["message"]
            # one delegation decides; the White cell goes back to the start of the turn: both decide again
            _decide(us, 1, since)
            white.until(lambda s: s["white"]["decided"] == ["United States"])
            assert white.command(action="undo", to_turn=1)["type"] == "ack"
            white.until(lambda s: s["white"]["holding"] == "Before Week 1")
            assert white.command(action="go")["type"] == "ack"
            since = white.until(lambda s: s["phase"] == "deciding")["version"]
            _decide(us, 1, since)
            _decide(japan, 1, since)
            after = white.until(lambda s: s["white"]["holding"] == "Before Week 2")
            assert after["reveal"]["turn"] == 1 and after["white"]["results"]
            assert any(line.startswith("United States: ") for line in after["white"]["results"])

            # the White cell ends the game; once over, the game waits for it to close
            done = white.command(action="end", title="Talks resume", detail="Both sides step back")
            assert done["type"] == "ack"
            over = us.until(lambda s: s["outcome"] is not None)
            assert over["outcome"] == "Talks resume"
            white.until(lambda s: s["phase"] == "over" and s["white"]["holding"])
            assert white.command(action="go")["type"] == "ack"
        room.join(TIMEOUT)
        assert room.failure is None and room.outcome == "Talks resume"
        assert server.wait() == 0
    finally:
        server.kill()
    # no console here (--json): each wait for the page is said once on stderr, where and how to go on
    notes = [line for line in server.stderr().splitlines() if "waiting for the White cell's page" in line]
    assert [line.split(": waiting")[0] for line in notes] == [
        "wargame: note: Before Week 1", "wargame: note: Before Week 1", "wargame: note: Before Week 2",
        "wargame: note: The game is over"], notes
    assert all(server.info["url"] in line and "facilitator code" in line for line in notes)
    room_text = "\n".join(room.frames)
    assert "Aspen Strategy Group meets" in room_text and '"white"' not in room_text

    result = _verify(log)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["finished"] is True
    recorded = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    actions = [(e["action"], e.get("inject") or e.get("to_turn") or e.get("title"))
               for e in recorded if e["kind"] == "facilitator"]
    assert actions == [("inject", "aspen_meeting"), ("adjust", None), ("undo", None), ("undo", 1),
                       ("end", "Talks resume")]
    assert any(e.get("reason") == "Allies are rattled" for e in recorded)


def test_a_white_cell_that_lets_the_game_run_on(tmp_path: Path) -> None:
    """With the hold off the turns run on, as without a White cell; a proposal and a comment go
    into the record, and the game ends by itself."""
    log = tmp_path / "run.jsonl"
    server = Server(["serve", str(ROOT / "tests" / "fixtures" / "minimal.toml"), "--human", "blue", "--facilitator",
                     "--unclaimed", "bot", "--seed", "3", "--log", str(log), "--linger", "0"], tmp_path)
    try:
        with hello(server.ws_url, server.info["white"]["code"]) as (ws, _):
            white = Link(ws)
            white.until(lambda s: s["white"]["holding"] == "Before Day 1")
            done = white.command(action="propose", nation="green", proposal="A hotline", percent=100,
                                 on_success=[{"name": "escalation", "op": "-=", "value": 1}],
                                 on_failure=[{"name": "alert", "op": "=", "value": True}])
            assert done["type"] == "ack" and "Green proposes: A hotline" in done["message"]
            assert white.command(action="comment", note="Green moves first")["type"] == "ack"
            assert white.command(action="hold", on=False)["type"] == "ack"
            white.until(lambda s: s["outcome"] is not None)
        assert server.wait() == 0
    finally:
        server.kill()
    assert server.stderr().count("waiting for the White cell's page") == 1  # the one wait, before the hold went off
    recorded = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    kinds = [e["action"] for e in recorded if e["kind"] == "facilitator"]
    assert kinds == ["adjudicate", "comment"]
    assert next(e for e in recorded if e["kind"] == "facilitator")["chance"] == 1.0
    verified = subprocess.run([sys.executable, "-m", "wargame", "replay", "--verify", str(log), "--json",
                               "--scenario", str(ROOT / "tests" / "fixtures" / "minimal.toml")], cwd=ROOT,
                              capture_output=True, text=True, timeout=60, check=False)
    assert verified.returncode == 0, verified.stderr


def test_no_hold_lets_a_scripted_game_with_a_white_cell_run_on(tmp_path: Path) -> None:
    """`--facilitator --json --no-hold`: the turns run on by themselves, as such scripts did before
    the page could hold the game, and nothing says it waits."""
    server = Server(["serve", str(ROOT / "tests" / "fixtures" / "minimal.toml"), "--human", "blue", "--facilitator",
                     "--no-hold", "--unclaimed", "bot", "--seed", "3", "--linger", "0"], tmp_path)
    try:
        assert server.info["white"]["code"]
        assert server.wait() == 0
    finally:
        server.kill()
    assert "waiting for the White cell" not in server.stderr()


def test_resume_serve_takes_no_hold_as_serve_does(tmp_path: Path) -> None:
    """A game served with its White cell on the page holds before each turn; killed after Day 1
    and brought back with `resume --serve --no-hold`, its turns run on to the end by themselves
    (nothing says it waits), and the record verifies. Without --serve, --no-hold is refused."""
    log = tmp_path / "held.jsonl"
    minimal = str(ROOT / "tests" / "fixtures" / "minimal.toml")
    server = Server(["serve", minimal, "--human", "blue", "--facilitator", "--unclaimed", "bot", "--seed", "3",
                     "--log", str(log), "--linger", "0"], tmp_path)
    try:
        with hello(server.ws_url, server.info["white"]["code"]) as (ws, _):
            white = Link(ws)
            assert white.until(lambda s: s["held"] is True and s["turn"] == 0)["white"]["hold"] is True
            assert white.command(action="go")["type"] == "ack"
            white.until(lambda s: s["held"] is True and s["turn"] == 1)  # Day 1 played; held before Day 2
    finally:
        server.kill()
    resumed = Server(["resume", str(log), "--serve", "--no-hold", "--scenario", minimal, "--unclaimed", "bot",
                      "--linger", "0"], tmp_path)
    try:
        assert resumed.wait() == 0
    finally:
        resumed.kill()
    assert "waiting for the White cell" not in resumed.stderr()
    result = subprocess.run([sys.executable, "-m", "wargame", "replay", "--verify", str(log), "--json", "--scenario",
                             minimal], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["finished"] is True
    refused = subprocess.run([sys.executable, "-m", "wargame", "resume", str(log), "--no-hold"], cwd=ROOT,
                             capture_output=True, text=True, timeout=60, check=False)
    assert refused.returncode == 2 and "use it with --serve" in refused.stderr


def test_white_cell_frames_are_checked_against_the_scenario() -> None:
    from tests.conftest import flagship_scenario

    scenario = flagship_scenario()
    command = parse('{"type": "white", "action": "adjust", "reason": "drift", '
                    '"changes": [{"name": "japan.support", "op": "+=", "value": 2}, '
                    '{"name": "cohesion", "op": "=", "value": 5.0}, '
                    '{"name": "quarantine", "op": "=", "value": false}]}', scenario)
    assert command.to_action() == {"action": "adjust", "reason": "drift",
                                   "effects": ["japan.support += 2", "cohesion = 5", "quarantine = false"]}
    assert parse('{"type": "white", "action": "undo", "to_turn": 2}', scenario).to_action() == {
        "action": "undo", "to_turn": 2}
    assert parse('{"type": "white", "action": "go"}', scenario).to_action() is None
    for frame, why in [
        ('{"type": "white", "action": "inject", "inject": "nope"}', "not one of this scenario's injects"),
        ('{"type": "white", "action": "inject", "inject": "<b>"}', "pattern"),
        ('{"type": "white", "action": "propose", "nation": "mars", "proposal": "x", "percent": 5}', "nations"),
        ('{"type": "white", "action": "propose", "nation": "us", "proposal": "x", "percent": 101}', "100"),
        ('{"type": "white", "action": "propose", "nation": "us", "proposal": "x"}', "percent: Field required"),
        ('{"type": "white", "action": "adjust", "reason": "r", "changes": []}', "at least 1"),
        ('{"type": "white", "action": "adjust", "reason": "r", "changes": '
         '[{"name": "quarantine", "op": "+=", "value": 1}]}', "flag"),
        ('{"type": "white", "action": "adjust", "reason": "r", "changes": '
         '[{"name": "escalation", "op": "+=", "value": true}]}', "number"),
        ('{"type": "white", "action": "adjust", "reason": "r", "changes": '
         '[{"name": "escalation", "op": "+=", "value": 11}]}', "0 to 10 at a time"),
        ('{"type": "white", "action": "adjust", "reason": "r", "changes": '
         '[{"name": "escalation", "op": "*=", "value": 1}]}', "Input should be"),
        ('{"type": "white", "action": "adjust", "reason": "r", "changes": '
         '[{"name": "cohesion", "op": "=", "value": 5.5}]}', "cohesion holds whole numbers"),
        ('{"type": "white", "action": "new", "title": "t", "changes": '
         '[{"name": "escalation", "op": "+=", "value": 0.00001}]}', "escalation holds whole numbers"),
        ('{"type": "white", "action": "propose", "nation": "us", "proposal": "x", "percent": 5, "on_failure": '
         '[{"name": "escalation", "op": "-=", "value": 1e-9}]}', "escalation holds whole numbers"),
        ('{"type": "white", "action": "undo"}', "either last_action"),
        ('{"type": "white", "action": "undo", "last_action": true, "to_turn": 1}', "either last_action"),
        ('{"type": "white", "action": "undo", "to_turn": 11}', "10 turns"),
        ('{"type": "white", "action": "end", "title": ""}', "at least 1"),
        ('{"type": "white", "action": "comment", "note": "\\u202e"}', "control"),
        ('{"type": "white", "action": "hold", "on": "yes"}', "boolean"),
        ('{"type": "white", "action": "fly"}', "unknown action 'fly'; expected one of pause, resume, comment"),
        ('{"type": "white"}', "it needs its 'action': one of pause"),
        ('{"type": "white", "action": "go", "admin": true}', "Extra inputs"),
    ]:
        with pytest.raises(ProtocolError, match=why) as info:
            parse(frame, scenario)
        assert "<b>" not in str(info.value) and "mars" not in str(info.value)
        assert str(info.value).startswith("invalid message: White cell")


def test_a_track_amount_is_a_whole_number_at_every_white_cell_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """One rule for what a facilitator types for a track (tracks hold whole numbers; the engine
    would round a fraction, recording "= 5.5" and applying 6): the browser's frame, the
    full-screen table's command line and the terminal's White cell refuse a fraction alike, and
    a whole amount is written so the effect language reads it back (never `1e-05`)."""
    import io
    from types import SimpleNamespace

    from rich.console import Console

    from tests.conftest import flagship_scenario
    from wargame.engine.facilitator import FacilitatorError, compile_effects
    from wargame.players import white_cell
    from wargame.tui import commands

    scenario = flagship_scenario()
    with pytest.raises(FacilitatorError, match="cohesion holds whole numbers"):
        commands.parse(scenario, "adjust cohesion = 5.5 -- drift")
    with pytest.raises(FacilitatorError, match="escalation holds whole numbers"):
        commands.parse(scenario, "propose us 40 talks : escalation -= 0.00001")
    assert commands.parse(scenario, "adjust cohesion = 5; escalation += cohesion / 2 -- drift")["effects"] == [
        "cohesion = 5", "escalation += cohesion / 2"]  # an amount worked out from the tracks is rounded

    answers = iter(["japan.support += 1.5", "japan.support += 1"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    buffer = io.StringIO()
    out = Console(file=buffer, width=100, color_system=None)
    host = SimpleNamespace(scenario=scenario)
    assert white_cell._effects(out, host, "Change") == ["japan.support += 1"]  # type: ignore[arg-type]
    assert "japan.support holds whole numbers" in buffer.getvalue()

    for value, written in [("1e6", "escalation += 1000000"), ("3.0", "escalation += 3")]:
        frame = f'{{"type": "white", "action": "new", "title": "t", "changes": ' \
                f'[{{"name": "escalation", "op": "+=", "value": {value}}}]}}'
        effects = parse(frame).to_action()["effects"]  # type: ignore[union-attr]
        assert effects == [written]
        compile_effects(scenario, effects)  # the effect language reads it


def test_the_line_client_tells_its_delegation_the_game_waits_for_the_white_cell(tmp_path: Path) -> None:
    """`wargame join --plain`'s Seat, given the host's real snapshots while the White cell's page
    holds the game before the first turn: it says so once (not for every snapshot), and again
    when a later wait begins."""
    import io

    from rich.console import Console

    from wargame.serve.client import Seat
    from wargame.serve.joining import HELD

    server = Server(["serve", str(ROOT / "tests" / "fixtures" / "minimal.toml"), "--human", "blue", "--facilitator",
                     "--seed", "3", "--linger", "0"], tmp_path)
    try:
        with hello(server.ws_url, server.code("blue")) as (ws, _):
            seat_link = Link(ws)
            held = seat_link.until(lambda s: s["held"] is True)
        buffer = io.StringIO()
        seat = Seat(Console(file=buffer, width=100, color_system=None), server.ws_url, server.code("blue"))
        for snapshot in (held, held, {**held, "held": False}, held):
            seat.show(snapshot)
        assert buffer.getvalue().count(HELD) == 2, buffer.getvalue()
    finally:
        server.kill()


def test_a_game_at_the_hosts_white_cell_console_is_waiting_for_the_white_cell(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every seat joined, the game held by the host's White cell console (before Week 1, or after
    `resume --serve`): the snapshots say the game waits for the White cell, never for joining."""
    import io

    from rich.console import Console

    import wargame.players.white_cell as white_cell
    from tests.conftest import minimal_scenario
    from wargame.game import Game
    from wargame.serve.host import ServedGame
    from wargame.serve.view import public_view
    from wargame.serve.white import white_cell_view

    game = Game(minimal_scenario(), seed=1)
    served = ServedGame(game, {n.id: "human" for n in game.scenario.nations}, facilitator=True,
                        out=Console(file=io.StringIO()))
    for nation in served.humans:
        served.claim(nation)
    seen: list[tuple[dict[str, Any], dict[str, Any]]] = []

    def console(out: Any, host: Any, *, where: str) -> None:
        with served.lock:
            room = public_view(served, draw=False)
            seen.append((room, white_cell_view(served, room, draw=False)))

    monkeypatch.setattr(white_cell, "run_console", console)
    assert served.between_turns(game) is False
    room, white = seen[0]
    assert room["phase"] == "between" and room["held"] is True and room["waiting_for"] == []
    assert white["white"]["holding"] == "Before Day 1, at the White cell's console on the host's terminal"
    after = public_view(served, draw=False)
    assert after["held"] is False  # the console closed: the game goes on


def test_the_hosts_console_names_tracks_and_flags_in_words() -> None:
    """A White cell action's effects on the host's terminal name the tracks and flags as the board
    does ("Domestic support (Japan) +1"), never by their names in expressions."""
    import io

    from rich.console import Console

    from tests.conftest import flagship_scenario
    from wargame.game import Game
    from wargame.serve.host import ServedGame

    out = io.StringIO()
    game = Game(flagship_scenario(), seed=1)
    served = ServedGame(game, dict.fromkeys(("us", "japan"), "human"), facilitator=True,
                        out=Console(file=out, width=200, color_system=None))
    served.carry_out({"action": "adjust", "effects": ["japan.support += 1", "quarantine = true"], "reason": "drift"})
    said = out.getvalue()
    assert "Domestic support (Japan) +1: facilitator: drift" in said, said
    assert "Quarantine of Taiwan declared set: facilitator: drift" in said
    assert "\n  japan.support" not in said and "\n  quarantine set" not in said


def test_a_second_go_before_the_game_moves_on_is_refused_not_merged() -> None:
    """Two `go`s from the White cell's page before the game's loop wakes from its wait: the first
    begins the turn, the second is refused in words ("not waiting for you"), never acknowledged
    and silently merged into the first."""
    import threading
    import time

    from tests.conftest import minimal_scenario
    from wargame.game import Game
    from wargame.serve.host import ServedGame
    from wargame.serve.white import carry_out
    from wargame.serve.white_commands import WhiteGo

    game = Game(minimal_scenario(), seed=1)
    served = ServedGame(game, {n.id: "human" for n in game.scenario.nations}, white_code=True)
    waiting = threading.Thread(target=served.between_turns, args=(game,), daemon=True)
    waiting.start()
    deadline = time.monotonic() + TIMEOUT
    while served.holding is None:
        assert time.monotonic() < deadline and waiting.is_alive(), "the game never waited for the White cell"
        time.sleep(0.01)
    with served.lock:  # the loop cannot wake while this is held: both commands land in the same wait
        first = carry_out(served, WhiteGo(type="white", action="go"))
        second = carry_out(served, WhiteGo(type="white", action="go"))
    assert first == (None, "The game goes on.")
    assert second[0] is not None and "not waiting for you" in second[0], second
    waiting.join(TIMEOUT)
    assert not waiting.is_alive()
