"""Networked seats: a real `wargame serve` on 127.0.0.1 (a free port), delegations over WebSockets.

A whole flagship game with three remote delegations and a room view: wrong codes refused,
malformed and out-of-turn messages answered with an error while the game goes on, a delegation
dropped mid-turn and back with its code, no frame carrying another nation's private brief,
private role or options, and a record that verifies. Then a server killed mid-game, resumed
from its record with the same codes, and the result verifying.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import flagship_scenario
from tests.serving import ROOT, Delegate, Server, Watcher, first_open, hello, preferring, self_signed
from wargame.scenario.scenario import Scenario
from wargame.serve.codes import FREE_TRIES, Codes, Throttle, codes_path, new_code, normal
from wargame.serve.protocol import ProtocolError, parse

HUMANS = ("us", "japan", "china")


def _verify(log: Path, *scenario: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wargame", "replay", "--verify", str(log), "--json",
                           *(("--scenario", *scenario) if scenario else ())], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)


def _serve_args(log: Path, *extra: str, nations: tuple[str, ...] = HUMANS) -> list[str]:
    return ["serve", "defining-roles", *(a for n in nations for a in ("--human", n)), "--seed", "7",
            "--log", str(log), "--linger", "5", *extra]


def _join(server: Server, nations: tuple[str, ...] = HUMANS, **drops: int) -> dict[str, Delegate]:
    policies = {"us": preferring("us.request_roles"), "japan": preferring("japan.colby_private_intelligence"),
                "australia": _another_at_turn_3()}
    delegates = {n: Delegate(server.ws_url, server.code(n), policies.get(n, first_open), drop_at=drops.get(n),
                             note=f"{n}-note-turn-{{turn}}-end") for n in nations}
    for d in delegates.values():
        d.start()
    return delegates


def _another_at_turn_3() -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The first open option, but at the third decision the last open one: a choice no one has
    made before, so its name on a screen before the reveal could only come from the sealed choice."""
    made = [0]

    def choose(seat: dict[str, Any]) -> dict[str, Any]:
        made[0] += 1
        open_ = [o for o in seat["options"] if o["ok"]]
        return open_[-1] if made[0] == 3 else open_[0]
    return choose


def _finish(*threads: Delegate | Watcher) -> None:
    for t in threads:
        t.join(90)
        assert not t.is_alive(), "a client did not see the game end"
        assert t.failure is None, repr(t.failure)


# ------------------------------------------------------------------ the protocol and the codes


def test_every_malformed_message_is_refused_without_echoing_it() -> None:
    for frame, why in [("{}", "a message needs its 'type': one of hello, decide, send, white"),
                       ('{"type": "decide", "turn": "1", "option": "a"}', "integer"),
                       ('{"type": "hello", "code": "X", "admin": true}', "Extra inputs"),
                       ('{"type": "decide", "turn": 1, "option": "<script>"}', "pattern"),
                       ('{"type": "decide", "turn": 1, "option": "a", "note": "\\u001b[2J"}', "control"),
                       ('{"type": "white", "action": "fly"}', "White cell command: unknown action 'fly'; expected"),
                       ('{"type": "<script>"}', "unknown message type; expected"),
                       ("[]", "object"), ("not json", "JSON"), ("x" * 5000, "too long")]:
        with pytest.raises(ProtocolError, match=why) as info:
            parse(frame)
        assert "<script>" not in str(info.value)
    assert parse('{"type": "decide", "turn": 2, "option": "us.hold", "note": "  two\\n lines "}').note == "two lines"
    with pytest.raises(ProtocolError) as info:
        parse('{"type": "bogus"}')
    assert str(info.value) == "unknown message type 'bogus'; expected one of hello, decide, send, white"
    with pytest.raises(ProtocolError) as info:
        parse('{"type": "white"}')
    assert str(info.value).startswith("invalid message: White cell command: it needs its 'action': one of pause")


def test_codes_are_random_bound_to_one_seat_and_kept_private(tmp_path: Path) -> None:
    codes = Codes.fresh(["us", "japan"], facilitator=True)
    assert len(set(codes.seats.values())) == 3
    assert all(len(normal(c)) == 10 for c in codes.seats.values())
    us = codes.seats["us"]
    assert codes.holder(us) == "us"
    assert codes.holder(us.lower().replace("-", " ")) == "us"
    assert codes.holder(us[:-1]) is None and codes.holder("") is None
    assert len({new_code() for _ in range(200)}) == 200

    path = codes_path(tmp_path / "game.jsonl")
    codes.save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Codes.load(path) == codes
    os.chmod(path, 0o644)
    with pytest.raises(Exception, match="chmod 600"):
        Codes.load(path)

    throttle = Throttle()
    delays = []
    for _ in range(FREE_TRIES + 4):
        delays.append(throttle.delay("10.0.0.9"))
        throttle.failed("10.0.0.9")
    assert delays == [0, 0, 0, 1, 2, 4, 8]
    assert throttle.delay("10.0.0.8") == 0


# ------------------------------------------------------------------ a whole game over the network


SIX = ("us", "japan", "australia", "taiwan", "china", "philippines")


def test_six_delegations_a_room_view_and_the_white_cell_play_the_flagship(tmp_path: Path) -> None:
    """The whole flagship over the network: six delegations (one dropped mid-turn and back), a
    room view, the White cell from its code; wrong codes, stray and out-of-turn messages."""
    log = tmp_path / "served.jsonl"
    server = Server(_serve_args(log, "--facilitator", nations=SIX), tmp_path)
    white_frames: list[str] = []
    try:
        assert stat.S_IMODE(codes_path(log).stat().st_mode) == 0o600
        with hello(server.ws_url, "WRONG-CODE1") as (_, answer):
            assert answer["type"] == "error" and answer["code"] == "bad-code"

        page = httpx.get(server.info["url"], timeout=10)
        assert page.status_code == 200
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert "<script>" not in page.text and "onclick" not in page.text
        assert "innerHTML" not in httpx.get(server.info["url"] + "static/app.js", timeout=10).text

        room = Watcher(server.ws_url)
        room.start()
        # a stray client: a room view that tries to decide, malformed frames; the game is not disturbed
        with hello(server.ws_url, None) as (stray, _):
            stray.send('{"type": "decide", "turn": 1, "option": "us.hold"}')
            assert "only a delegation" in json.loads(_next_reply(stray))["message"]
            stray.send('{"type": "decide"')
            assert "invalid message" in json.loads(_next_reply(stray))["message"]

        delegates = _join(server, SIX, japan=3)
        with hello(server.ws_url, server.info["white"]["code"]) as (white, welcome):
            assert welcome["kind"] == "white"
            white_frames.append(json.dumps(welcome))
            white.send(json.dumps({"type": "white", "action": "hold", "on": False}))  # the turns run on
            assert json.loads(_next_reply(white, white_frames))["type"] == "ack"
            white.send(json.dumps({"type": "white", "action": "comment", "note": "The room is watching"}))
            white_frames.append(_next_reply(white, white_frames))
            while not json.loads(white_frames[-1]).get("outcome"):
                white_frames.append(white.recv(timeout=30))
        # an out-of-turn decision from a real seat: answered with an error, nothing else happens
        with hello(server.ws_url, server.code("china")) as (spare, welcome):
            assert welcome["nation"] == "china"
            spare.send(json.dumps({"type": "decide", "turn": 99, "option": "china.hold"}))
            assert "turn 99" in json.loads(_next_reply(spare))["message"]
        _finish(room, *delegates.values())
        assert server.wait() == 0, server.stderr()
    finally:
        server.kill()
    err = server.stderr()
    assert "wrong join code from 127.0.0.1 (1 so far)" in err

    # the dropped delegation came back to the very decision it had left
    assert delegates["japan"].reconnected_due == 3 and 3 in delegates["japan"].decided
    assert "japan.colby_private_intelligence" in delegates["japan"].decided.values()

    # nothing private crossed: another nation's brief, role, options, choices or notes
    scenario = flagship_scenario()
    for nation, delegate in delegates.items():
        text = "\n".join(delegate.frames)
        assert _wire(scenario.nation(nation).private_brief) in text
        for other in scenario.nations:
            if other.id == nation:
                continue
            assert _wire(other.private_brief) not in text, f"{other.id}'s private brief reached {nation}"
            assert f'"{other.id}.' not in text, f"an option id of {other.id} reached {nation}"
            assert f"{other.id}-note" not in text, f"{other.id}'s note reached {nation}"
        assert '"digest"' not in text and '"rng"' not in text and '"seed"' not in text  # no key to the dice
        if nation in ("us", "china"):  # they have no such answer of their own
            assert "privately: Intelligence sharing" not in text and "private: intelligence" not in text
    text = "\n".join(room.frames)
    assert all(_wire(n.private_brief) not in text for n in scenario.nations)
    assert "privately: Intelligence sharing" not in text and "-note" not in text
    assert not any(f'"{n}.' in text for n in SIX)
    assert "defined (private)" in text  # the room sees that a role was defined, not which
    # the White cell sees the whole board (tests/test_serve_white.py), but never a sealed choice before the
    # reveal: `decided` names who has decided, never what; no chosen option's name or note is in the White
    # cell's, the room's or another seat's frames between the decision and the reveal
    sealed = [m["white"]["decided"] for m in map(json.loads, white_frames) if m["type"] == "state"]
    assert sealed and all(isinstance(names, list) and set(names) <= {n.name for n in scenario.nations}
                          for names in sealed)
    assert any(sealed)  # the White cell saw decisions sealed (names, not choices)
    checked = _sealed_until_the_reveal(scenario, white_frames, delegates)
    assert checked["names"] and checked["notes"], checked  # not vacuous: turn 1's choices were checked
    _sealed_until_the_reveal(scenario, room.frames, delegates)
    for nation, delegate in delegates.items():
        _sealed_until_the_reveal(scenario, delegate.frames, delegates, viewer=nation)

    # the record is a local game's: it verifies and replays
    result = _verify(log)
    assert result.returncode == 0, result.stderr
    verdict = json.loads(result.stdout)
    assert verdict["finished"] is True
    recorded = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert recorded[0]["table"] == {"facilitator": True, "served": True}
    assert recorded[0]["seats"] == dict.fromkeys(SIX, "human")
    decisions = [e for e in recorded[1:] if e["kind"] == "decision"]
    assert {e["by"] for e in decisions} == {"human"}
    assert any(e.get("note") == "us-note-turn-1-end" for e in decisions)
    assert any(e.get("note") == "The room is watching" for e in recorded)


def _sealed_until_the_reveal(scenario: Scenario, frames: list[str], delegates: dict[str, Delegate],
                             viewer: str | None = None) -> dict[str, int]:
    """Assert that no delegation's choice for a turn (its option's name, its note for that turn)
    is in a snapshot of `frames` (one client's, in the order received) taken during that turn
    before its reveal; `viewer`'s own choices excepted. An option's name that cannot tell (chosen
    by any delegation in an earlier turn and revealed since, or already in the client's frames
    before the turn began) is not checked. Returns how many (name, note) checks could tell."""
    checked = {"names": 0, "notes": 0}
    before: dict[int, str] = {}  # turn -> the text of every frame received before that turn began
    earlier = ""
    for raw in frames:
        message = json.loads(raw)
        if message.get("type") != "state":
            earlier += raw
            continue
        turn = int(message["turn"])
        before.setdefault(turn, earlier)
        earlier += raw
        reveal = message.get("reveal")
        if reveal is not None and reveal["turn"] >= turn:
            continue  # this turn's orders are revealed
        seat = message.get("seat") or {}
        if seat.get("negotiation"):  # a seat is shown every other nation's options, for its offers
            message = {**message, "seat": {**seat, "negotiation": {**seat["negotiation"], "nations": []}}}
        shown = json.dumps(message, ensure_ascii=False)
        for nation, delegate in delegates.items():
            if nation == viewer or turn not in delegate.decided:
                continue
            note = f"{nation}-note-turn-{turn}-end"
            assert note not in raw, f"{nation}'s sealed note for turn {turn} was in a frame before the reveal"
            checked["notes"] += 1
            name = _wire(scenario.options[delegate.decided[turn]].name)[:-1]
            earlier_choices = {_wire(scenario.options[o].name)[:-1] for d in delegates.values()
                               for t, o in d.decided.items() if t < turn}
            if name in before[turn] or name in earlier_choices:
                continue
            assert name not in shown, f"{nation}'s sealed choice ({name}) was in a frame before the reveal"
            checked["names"] += 1
    return checked


def _wire(text: str) -> str:
    """The start of `text` as it would appear inside a JSON frame (quotes and the like escaped)."""
    return json.dumps(text, ensure_ascii=False)[1:81]


def _next_reply(ws: object, keep: list[str] | None = None) -> str:
    """The next error/ack frame on a connection, skipping snapshots (kept in `keep`, if given)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        raw = ws.recv(timeout=30)  # type: ignore[attr-defined]
        if json.loads(raw)["type"] in ("error", "ack"):
            return str(raw)
        if keep is not None:
            keep.append(str(raw))
    raise AssertionError("no reply")


def test_a_server_killed_mid_game_resumes_from_its_record_and_the_seats_rejoin(tmp_path: Path) -> None:
    log = tmp_path / "served.jsonl"
    server = Server(_serve_args(log), tmp_path)
    codes = {n: server.code(n) for n in HUMANS}
    try:
        delegates = _join(server)
        deadline = time.monotonic() + 30
        while len(delegates["china"].decided) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(delegates["china"].decided) >= 3
    finally:
        server.kill()  # SIGKILL: no chance to tidy up
    for d in delegates.values():
        d.join(5)

    resumed = Server(["resume", str(log), "--serve", "--linger", "5"], tmp_path)
    try:
        assert {n: resumed.code(n) for n in HUMANS} == codes  # the same codes open the same seats
        twice = subprocess.run([sys.executable, "-m", "wargame", "resume", str(log), "--serve", "--port", "0"],
                               cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
        assert twice.returncode == 2 and "in use" in twice.stderr  # one host per record
        again = _join(resumed)
        _finish(*again.values())
        assert resumed.wait() == 0, resumed.stderr()
    finally:
        resumed.kill()
    assert all(d.outcome for d in again.values())
    assert min(min(d.decided) for d in again.values()) >= 3  # it went on from where the record stood
    result = _verify(log)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["finished"] is True


def test_serve_without_the_extra_names_it(tmp_path: Path) -> None:
    code = ("import sys; sys.modules['uvicorn'] = None; sys.argv = ['wargame', 'serve', 'defining-roles']; "
            "from wargame.cli.app import main; main()")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 2
    assert "pip install 'wargame[serve]'" in result.stderr and "Traceback" not in result.stderr


def test_serving_beyond_this_machine_warns_and_names_the_exposure(tmp_path: Path) -> None:
    server = Server(["serve", "defining-roles", "--human", "us", "--host", "127.0.0.2", "--linger", "0",
                     "--unclaimed", "bot"], tmp_path)
    try:
        assert server.info["url"].startswith("http://127.0.0.2:")
        assert server.wait() == 0
    finally:
        server.kill()
    err = server.stderr()
    assert "wargame: warning: serving on 127.0.0.2" in err and "unencrypted" in err


def test_a_page_of_another_site_cannot_open_the_socket_nor_rebind_a_name(tmp_path: Path) -> None:
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect
    from websockets.typing import Origin

    server = Server(["serve", "defining-roles", "--human", "us", "--linger", "0"], tmp_path)
    try:
        with pytest.raises(InvalidStatus), connect(server.ws_url, origin=Origin("http://evil.example")):
            pass
        rebound = httpx.get(server.info["url"], headers={"Host": "evil.example"}, timeout=10)
        assert rebound.status_code == 400  # a name pointed at 127.0.0.1 by another site is not this server's
        host = server.info["url"].removesuffix("/")
        with connect(server.ws_url, origin=Origin(host), open_timeout=10) as ws:
            ws.send('{"type": "hello"}')
            assert json.loads(ws.recv(timeout=10))["kind"] == "room"
    finally:
        server.kill()


def test_tls_serves_https_and_wss(tmp_path: Path) -> None:
    """The WebSocket side uses the asyncio client, as `wargame join` does: the sync client reads and
    writes one TLS socket from two threads, which OpenSSL does not allow, and hung about one
    connection in a few hundred."""
    import asyncio
    import ssl

    from websockets.asyncio.client import connect

    cert, key = self_signed(tmp_path)
    server = Server(["serve", "defining-roles", "--human", "us", "--linger", "0", "--certfile", str(cert),
                     "--keyfile", str(key)], tmp_path)

    async def hello(context: ssl.SSLContext) -> dict[str, Any]:
        url = server.info["url"].replace("https://", "wss://") + "ws"
        async with connect(url, ssl=context, open_timeout=10, close_timeout=5) as ws:
            await ws.send(json.dumps({"type": "hello", "code": server.code("us")}))
            answer: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 10))
            return answer

    try:
        assert server.info["url"].startswith("https://127.0.0.1:")
        context = ssl.create_default_context(cafile=str(cert))
        assert "Content-Security-Policy" in httpx.get(server.info["url"], verify=context, timeout=10).headers
        assert asyncio.run(asyncio.wait_for(hello(context), 30))["nation"] == "us"
    finally:
        server.kill()


MINIMAL = ROOT / "tests" / "fixtures" / "minimal.toml"


def test_the_clock_runs_on_the_host_and_the_white_cell_works_from_a_browser(tmp_path: Path) -> None:
    """Blue joins and never decides: each turn its clock runs out on the host and it holds. The White
    cell (its code, in a browser's place) sees who has decided, pauses and restarts the clock and
    leaves a comment in the record."""
    log = tmp_path / "clock.jsonl"
    server = Server(["serve", str(MINIMAL), "--human", "blue", "--clock", "0.5", "--facilitator", "--seed", "2",
                     "--log", str(log), "--linger", "0"], tmp_path)
    try:
        white_code = server.info["white"]["code"]
        with hello(server.ws_url, white_code) as (white, welcome), \
                hello(server.ws_url, server.code("blue")) as (blue, _):
            assert welcome["kind"] == "white"
            white.send(json.dumps({"type": "decide", "turn": 1, "option": "blue.hold"}))
            assert "only a delegation" in json.loads(_next_reply(white))["message"]
            blue.send(json.dumps({"type": "white", "action": "pause"}))
            assert "only the White cell" in json.loads(_next_reply(blue))["message"]
            white.send(json.dumps({"type": "white", "action": "comment", "note": "Blue is thinking hard"}))
            assert json.loads(_next_reply(white))["type"] == "ack"
            white.send(json.dumps({"type": "white", "action": "pause"}))
            assert json.loads(_next_reply(white))["type"] == "ack"
            white.send(json.dumps({"type": "white", "action": "resume"}))
            assert json.loads(_next_reply(white))["type"] == "ack"
            white.send(json.dumps({"type": "white", "action": "go"}))  # the first turn begins
            assert json.loads(_next_reply(white))["type"] == "ack"
            white.send(json.dumps({"type": "white", "action": "hold", "on": False}))  # and the others run on
            assert json.loads(_next_reply(white))["type"] == "ack"
            snapshots = []
            while not (snapshots and snapshots[-1].get("outcome")):
                message = json.loads(white.recv(timeout=30))
                if message["type"] == "state":
                    snapshots.append(message)
        assert server.wait() == 0, server.stderr()
    finally:
        server.kill()
    assert all("white" in s and "seat" not in s for s in snapshots)
    assert all(s["clock"]["seconds"] == 0.5 for s in snapshots)
    revealed = [s["reveal"] for s in snapshots if s.get("reveal")]  # the clock's decisions say so
    assert revealed and all(r["timed_out"] == ["Blue"] for r in revealed)
    assert all(line.endswith(" (time ran out)") for r in revealed for line in r["decisions"] if line.startswith("Blue"))
    assert any(line.startswith("Blue: ") and "(time ran out)" in line
               for s in snapshots for line in s["white"]["results"])
    recorded = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    blue_decisions = [e for e in recorded if e["kind"] == "decision" and e["nation"] == "blue"]
    assert blue_decisions and all(e["by"] == "clock" and e["option"] == "blue.hold" for e in blue_decisions)
    actions = [e.get("action") for e in recorded if e["kind"] == "facilitator"]
    assert actions[:3] == ["comment", "clock", "clock"]
    assert any(e.get("note") == "Blue is thinking hard" for e in recorded)
    assert _verify(log, str(MINIMAL)).returncode == 0
    report = subprocess.run([sys.executable, "-m", "wargame", "report", str(log), "--scenario", str(MINIMAL)],
                            cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert report.returncode == 0 and "Blue is thinking hard" in report.stdout


def test_unclaimed_seats_are_played_by_the_bot_when_asked(tmp_path: Path) -> None:
    log = tmp_path / "bots.jsonl"
    server = Server(["serve", str(MINIMAL), "--unclaimed", "bot", "--seed", "4", "--log", str(log),
                     "--linger", "0"], tmp_path)
    try:
        assert set(server.info["seats"]) == {"blue", "green"}  # every playable nation is a delegation's seat
        assert server.wait() == 0, server.stderr()
    finally:
        server.kill()
    recorded = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert recorded[0]["seats"] == {"blue": "human", "green": "human"}
    assert {e["by"] for e in recorded[1:] if e["kind"] == "decision"} == {"bot"}
    assert _verify(log, str(MINIMAL)).returncode == 0


def test_a_port_in_use_is_refused_before_any_file_is_written(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "wargame", "serve", "defining-roles", "--port", str(port),
                                 "--log", str(tmp_path / "game.jsonl")], cwd=ROOT, capture_output=True, text=True,
                                timeout=60, check=False)
    assert result.returncode == 2
    assert f"cannot serve on 127.0.0.1:{port}" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("pair", ["swapped", "key twice", "not pem"])
def test_a_certificate_and_key_that_do_not_load_are_refused_before_any_file_is_written(tmp_path: Path,
                                                                                     pair: str) -> None:
    certs = tmp_path / "certs"
    certs.mkdir()
    cert, key = self_signed(certs)
    junk = certs / "junk.pem"
    junk.write_text("not a certificate\n", encoding="utf-8")
    certfile, keyfile = {"swapped": (key, cert), "key twice": (key, key), "not pem": (junk, key)}[pair]
    game = tmp_path / "game"
    game.mkdir()
    result = subprocess.run([sys.executable, "-m", "wargame", "serve", "defining-roles", "--port", "0",
                             "--certfile", str(certfile), "--keyfile", str(keyfile), "--log", str(game / "g.jsonl")],
                            cwd=ROOT, capture_output=True, text=True, timeout=60, check=False, stdin=subprocess.DEVNULL)
    assert result.returncode == 2, result.stderr
    assert "not a PEM certificate and its unencrypted private key" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(game.iterdir()) == []


def test_a_served_game_under_a_variant_with_personas_records_and_verifies_them(tmp_path: Path) -> None:
    log = tmp_path / "variant.jsonl"
    server = Server(["serve", "defining-roles", "--human", "japan", "--variant", "stockpiles_in_place",
                     "--persona", "china=hawk", "--seed", "3", "--log", str(log), "--linger", "5"], tmp_path)
    try:
        japan = Delegate(server.ws_url, server.code("japan"))
        japan.start()
        _finish(japan)
        assert server.wait() == 0, server.stderr()
    finally:
        server.kill()
    head = json.loads(log.read_text(encoding="utf-8").splitlines()[0])
    assert head["variants"] == ["stockpiles_in_place"] and head["personas"] == {"china": "hawk"}
    assert _verify(log).returncode == 0
    refused = subprocess.run([sys.executable, "-m", "wargame", "serve", "defining-roles", "--persona", "china=owl"],
                             cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert refused.returncode == 2 and "owl" in refused.stderr


def test_a_seat_whose_delegation_left_shows_as_away_until_it_is_back(tmp_path: Path) -> None:
    """The room's `seats`: a delegation that joined and closed its screen is not `connected` (still
    `joined`: the game counts on it); back with its code, it is connected again."""
    server = Server(["serve", str(MINIMAL), "--human", "blue", "--seed", "2", "--log", str(tmp_path / "away.jsonl"),
                     "--linger", "0"], tmp_path)

    def seat(snapshot: dict[str, Any]) -> dict[str, Any]:
        return next(s for s in snapshot["seats"] if s["name"] == "Blue")

    def until(room: Any, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            message = json.loads(room.recv(timeout=30))
            if message["type"] == "state" and wanted(message):
                return message
        raise AssertionError("no such snapshot")

    try:
        with hello(server.ws_url, None) as (room, _):
            assert seat(until(room, lambda s: True)) == {"name": "Blue", "joined": False, "connected": False}
            with hello(server.ws_url, server.code("blue")) as (_, welcome):
                assert welcome["kind"] == "seat"
                until(room, lambda s: seat(s)["connected"])
            left = until(room, lambda s: not seat(s)["connected"])
            assert seat(left) == {"name": "Blue", "joined": True, "connected": False}
            with hello(server.ws_url, server.code("blue")), hello(server.ws_url, server.code("blue")):
                assert seat(until(room, lambda s: seat(s)["connected"]))["joined"]
            until(room, lambda s: not seat(s)["connected"])  # both screens closed
            room.send('{"type": "bogus"}')  # and a frame of no known type is answered in words
            assert json.loads(_next_reply(room))["message"] == (
                "unknown message type 'bogus'; expected one of hello, decide, send, white")
    finally:
        server.kill()
