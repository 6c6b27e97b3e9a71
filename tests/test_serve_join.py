"""Served games in real terminals (pexpect): `wargame join` plays a delegation's seat from the
command line, the host is killed mid-game and brought back with `resume --serve` on the same
port, and the client reconnects by itself with its code and plays the game to its end; and the
White cell console on the host's terminal between turns, Ctrl-C ending the host with status 130."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pexpect

from tests.serving import ROOT, Server, self_signed

TIMEOUT = 60  # generous: a loaded CI machine starts Python slowly


def _join(url: str, code: str, *more: str, **env_: str) -> pexpect.spawn:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "120", "TERM": "dumb", **env_}
    return pexpect.spawn(sys.executable, ["-m", "wargame", "join", url, "--code", code, *more], cwd=str(ROOT),
                         env=env, encoding="utf-8", codec_errors="replace", timeout=TIMEOUT, dimensions=(50, 120))
    # (codec_errors: the terminal echoes what is typed in the middle of the output, maybe inside a character)


def _decide(ws: Any, frames: int = 50) -> None:
    """On a raw seat connection: wait for the decision to be due (at most `frames` frames, each
    within TIMEOUT), then take the first open option."""
    for _ in range(frames):
        message = json.loads(ws.recv(timeout=TIMEOUT))
        if message["type"] == "state" and message["seat"]["due"]:
            option = next(o for o in message["seat"]["options"] if o["ok"])
            ws.send(json.dumps({"type": "decide", "turn": message["turn"], "option": option["id"], "note": ""}))
            return
    raise AssertionError("the decision was never due")


def test_the_plain_seat_prints_each_thing_once_and_its_prompt_last(tmp_path: Path) -> None:
    """For a screen reader: while its decision is due, the board is printed once per situation (a
    message changes the board's text, not the situation: it is printed once, as a message line),
    each message once, "Still deciding" once per change, and whatever comes after the prompt is
    followed by the prompt again. A second number after deciding is told the decision is in."""
    from io import StringIO

    from tests.serving import hello

    server = Server(["serve", "defining-roles", "--human", "us", "--human", "japan", "--human", "china",
                     "--seed", "5", "--linger", "0", "--log", str(tmp_path / "game.jsonl")], tmp_path)
    child = _join(server.info["url"], server.code("us"), "--plain")
    seen = StringIO()
    child.logfile_read = seen
    prompt = "Type an option's number"
    try:
        with hello(server.ws_url, server.code("china")) as (china, _), \
                hello(server.ws_url, server.code("japan")) as (japan, _):
            child.expect(r"(?s)your decision, Week 1.*?" + prompt)
            china.send(json.dumps({"type": "send", "turn": 1, "kind": "statement", "text": "we watch"}))
            child.expect(r'China \(public statement\): "we watch"')
            child.expect(prompt)  # after the message, the prompt again
            child.sendline("2")  # Ask partners to define their roles
            child.expect("decision received")
            child.expect("Still deciding: United States, Japan, China|Still deciding: Japan, China")
            child.sendline("2")
            child.expect(r"(?s)already in \(Ask partners to define their roles\).*?White cell can")
            _decide(china)
            child.expect("Still deciding: Japan\r\n")
            _decide(japan)
            child.expect("Orders revealed — Week 1")
            child.expect(r"(?s)your decision, Week 2.*?" + prompt)
    finally:
        child.close(force=True)
        server.kill()
    week1 = seen.getvalue().split("Orders revealed — Week 1")[0]
    assert week1.count("Week 1 — turn 1 of 10") == 1, "the Week 1 board is printed once"
    assert week1.count('Message, Week 1: China (public statement): "we watch"') == 1
    assert week1.count("Message, Week 1: Australia signals publicly") == 1  # (the bot's, as the turn began)
    assert week1.count("Still deciding: Japan\r\n") == 1
    assert week1.count("Not an option's number") == 0


def test_join_plays_a_seat_over_tls(tmp_path: Path) -> None:
    """https:// and wss://: the line client trusts the host's certificate through SSL_CERT_FILE, as
    a delegation's machine would through its own store, decides and sees the reveal. (Its socket
    is read and written from one thread: see wargame.serve.wire.)"""
    cert, key = self_signed(tmp_path)
    server = Server(["serve", "defining-roles", "--human", "us", "--seed", "5", "--linger", "0",
                     "--certfile", str(cert), "--keyfile", str(key)], tmp_path)
    assert server.info["url"].startswith("https://")
    child = _join(server.info["url"], server.code("us"), SSL_CERT_FILE=str(cert))
    try:
        child.expect("Joined as United States")
        child.expect(r"your decision, Week 1.*?Type an option's number")
        child.sendline("2")  # Ask partners to define their roles
        child.expect("decision received")
        child.expect("Orders revealed — Week 1")
        child.expect(r"your decision, Week 2")
        child.sendeof()
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
        server.kill()
    assert child.exitstatus == 0, child.before


def test_join_plays_a_seat_from_the_terminal_and_survives_the_host_restarting(tmp_path: Path) -> None:
    log = tmp_path / "game.jsonl"
    server = Server(["serve", "defining-roles", "--human", "us", "--seed", "5", "--log", str(log),
                     "--linger", "5"], tmp_path)
    port = int(server.info["url"].rsplit(":", 1)[1].strip("/"))
    child = _join(server.info["url"], server.code("us"))
    resumed = None
    try:
        child.expect("Joined as United States")
        child.expect(r"your decision, Week 1")
        child.expect(r"6\. — Airlift munitions forward")  # a closed option, under its game-long number
        child.expect(r"\d+ of \d+ options open now")
        child.expect(r"Type an option's number")
        child.sendline("0")
        child.expect("Not an option's number")
        child.sendline("6")
        child.expect("Not now: Airlift munitions forward")
        child.sendline("b")
        child.expect("just-in-case stockpiles")
        child.sendline("2 ask them while it is quiet")  # Ask partners to define their roles
        child.expect("decision received")
        child.expect("Orders revealed — Week 1")
        child.expect("United States: Ask partners to define their roles")
        child.expect(r"your decision, Week 2")
        server.kill()  # the host dies with Week 2 undecided
        child.expect("reconnecting")
        resumed = Server(["resume", str(log), "--serve", "--linger", "5"], tmp_path, port=port)
        child.expect("Joined as United States")
        for week in range(2, 14):
            child.expect([r"your decision, Week (\d+).*?Type an option's number", "Game over"])
            if "Game over" in child.after:
                break
            assert week > 2 or child.match.group(1) == "2", "the seat rejoins at the undecided Week 2"
            child.sendline(re.search(r"^ +(\d+)\. (?!—)", child.after, re.M).group(1))  # the first open one
        else:
            raise AssertionError("the game did not end")
        child.expect(pexpect.EOF)
        assert resumed.wait() == 0
    finally:
        child.close(force=True)
        server.kill()
        if resumed is not None:
            resumed.kill()
    check = subprocess.run([sys.executable, "-m", "wargame", "replay", "--verify", str(log), "--json"], cwd=ROOT,
                           capture_output=True, text=True, timeout=60, check=False)
    assert check.returncode == 0, check.stderr
    assert json.loads(check.stdout)["finished"] is True
    notes = [json.loads(line).get("note") for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    assert "ask them while it is quiet" in notes


def test_the_plain_seat_says_on_stderr_that_input_ended_and_the_seat_is_left(tmp_path: Path) -> None:
    """`wargame join --plain </dev/null`: not a silent exit 0 but one line on stderr saying the seat
    is left and how to rejoin (status 0: leaving is not an error)."""
    server = Server(["serve", "defining-roles", "--human", "us", "--seed", "5", "--linger", "0"], tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    try:
        done = subprocess.run([sys.executable, "-m", "wargame", "join", server.info["url"], "--code",
                               server.code("us"), "--plain"], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=TIMEOUT, check=False)
    finally:
        server.kill()
    assert done.returncode == 0, done.stderr
    assert "Joined as United States" in done.stdout
    assert re.search(r"input ended, so you have left the seat.*rejoin with `wargame join \S+ --code CODE`",
                     done.stderr), done.stderr


def test_a_plain_seat_types_the_number_the_full_screen_shows(tmp_path: Path) -> None:
    """Japan, Week 2 of the flagship: the full screen shows "3 Share Yokota cell assessments"
    (tests/test_tui.py); in the plain client the same option is listed and taken as 3, even
    though two options under it are closed."""
    from wargame.game import load_scenario
    from wargame.view.options import option_number

    scenario = load_scenario("defining-roles")
    share = next(o for o in scenario.options_by_nation["japan"] if o.id == "japan.share_assessments")
    assert option_number(scenario, share) == 3  # the number every screen shows
    server = Server(["serve", "defining-roles", "--human", "japan", "--seed", "7",
                     "--log", str(tmp_path / "game.jsonl")], tmp_path)
    child = _join(server.info["url"], server.code("japan"))
    try:
        child.expect(r"your decision, Week 1")
        child.expect(r"3\. — Share Yokota cell assessments · \S.*not now")  # closed in Week 1
        child.expect(r"Type an option's number")
        child.sendline("2")  # Expand the Yokota analysis cell
        child.expect("Japan: Expand the Yokota analysis cell")
        child.expect(r"your decision, Week 2")
        child.expect(r"\n +3\. Share Yokota cell assessments")  # open now, the same number
        child.expect(r"Type an option's number")
        child.sendline("3 share what we see")
        child.expect("Orders revealed — Week 2")
        child.expect("Japan: Share Yokota cell assessments")
    finally:
        child.close(force=True)
        server.kill()


def test_the_white_cell_runs_on_the_hosts_terminal_between_turns_and_during_one(tmp_path: Path) -> None:
    from tests.serving import hello

    log = tmp_path / "hosted.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "120"}
    host = pexpect.spawn(sys.executable, ["-m", "wargame", "serve", str(ROOT / "tests" / "fixtures" / "minimal.toml"),
                                          "--human", "blue", "--facilitator", "--port", "0", "--log", str(log)],
                         cwd=str(tmp_path), env=env, encoding="utf-8", timeout=TIMEOUT, dimensions=(50, 120))
    try:
        host.expect(r"Blue\S*\s+code \S*?([A-Z0-9]{5}-[A-Z0-9]{5})\S*\s+browser:\s+(http://\S+)/#")
        code, url = host.match.group(1), host.match.group(2)
        host.expect("Waiting for 1 delegation")
        with hello(re.sub("^http", "ws", url) + "/ws", code) as (blue, welcome):
            assert welcome["nation"] == "blue"
            host.expect("WHITE CELL")  # before the first turn, once the delegation has joined
            host.sendline("board")  # the whole board, as the White cell sees it
            host.expect("Escalation")
            host.expect("white cell>")
            host.sendline("comment")
            host.expect("Comment:")
            host.sendline("Blue is on the line")
            host.expect("Blue is on the line")
            host.sendline("")  # back to the game: turn 1 begins, Blue decides on its own screen
            host.expect("the delegations are deciding")
            host.sendline("f")  # the console while Blue decides
            host.expect("WHITE CELL")
            host.expect("During")
            host.sendline("comment")
            host.expect("Comment:")
            host.sendline("Blue still thinking")
            host.expect("Blue still thinking")
            host.sendline("undo")  # back to the start of this turn: the turn is abandoned and begun again
            host.expect(r"Back to \(number\)")
            host.sendline("1")
            host.expect("Why")
            host.sendline("")
            host.expect("WHITE CELL")
            host.expect("Before")
            host.sendline("")
            host.expect("the delegations are deciding")
            blue.send(json.dumps({"type": "decide", "turn": 1, "option": "blue.hold", "note": "steady"}))
            host.expect("Blue.*by human")  # the board of turn 1, on the host's terminal
            host.expect("WHITE CELL")
            host.expect("white cell>")
            host.sendcontrol("c")  # one Ctrl-C, however soon after the prompt (wargame.cli.prompt.ctrl_c_heard)
            # where the record is and how to play on, as `play` says it
            host.expect(r"its record is in \S*hosted\.jsonl\. `wargame resume \S*hosted\.jsonl --serve`")
            host.expect("wargame: interrupted")
            host.expect(pexpect.EOF)
    finally:
        host.close(force=True)
    assert host.exitstatus == 130
    recorded = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    notes = [(e["turn"], e["note"]) for e in recorded if e.get("action") == "comment"]
    assert notes == [(0, "Blue is on the line"), (1, "Blue still thinking")]
    assert [e["to_turn"] for e in recorded if e.get("action") == "undo"] == [1]
    decisions = [(e["nation"], e["by"]) for e in recorded if e["kind"] == "decision"]
    assert decisions == [("blue", "human"), ("green", "bot")]
    check = subprocess.run([sys.executable, "-m", "wargame", "replay", "--verify", str(log), "--scenario",
                            str(ROOT / "tests" / "fixtures" / "minimal.toml")], cwd=ROOT, capture_output=True,
                           text=True, timeout=60, check=False)
    assert check.returncode == 0, check.stderr


def test_the_host_says_the_game_is_over_and_where_its_record_is(tmp_path: Path) -> None:
    from tests.serving import Delegate

    log = tmp_path / "over.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "200"}
    host = pexpect.spawn(sys.executable, ["-m", "wargame", "serve", str(ROOT / "tests" / "fixtures" / "minimal.toml"),
                                          "--human", "blue", "--port", "0", "--log", str(log), "--linger", "1"],
                         cwd=str(tmp_path), env=env, encoding="utf-8", timeout=TIMEOUT, dimensions=(50, 200))
    try:
        host.expect(r"Blue\S*\s+code \S*?([A-Z0-9]{5}-[A-Z0-9]{5})\S*\s+browser:\s+http://(\S+)/#")
        blue = Delegate(f"ws://{host.match.group(2)}/ws", host.match.group(1))
        blue.start()
        host.expect(r"Blue joined \(1 of 1 here\)\.")  # not only "Waiting for 1 delegation(s) to join…"
        host.expect(r"Game over after Day \d+: ")
        host.expect(r"The record is in \S*over\.jsonl; `wargame replay \S*over\.jsonl` shows it again")
        host.expect(pexpect.EOF)
        blue.join(TIMEOUT)
        assert blue.failure is None and blue.outcome
    finally:
        host.close(force=True)
    assert host.exitstatus == 0


def test_the_hosts_terminal_says_each_delegation_joining_and_leaving(tmp_path: Path) -> None:
    """Not only "Waiting for 2 delegation(s) to join…": a line as each joins, and as it leaves."""
    from tests.serving import hello

    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "200"}
    host = pexpect.spawn(sys.executable, ["-m", "wargame", "serve", "defining-roles", "--human", "us", "--human",
                                          "japan", "--port", "0", "--log", str(tmp_path / "game.jsonl")],
                         cwd=str(tmp_path), env=env, encoding="utf-8", timeout=TIMEOUT, dimensions=(50, 200))
    try:
        host.expect(r"United States\S*\s+code \S*?([A-Z0-9]{5}-[A-Z0-9]{5})\S*\s+browser:\s+(http://\S+)/#")
        code, url = host.match.group(1), host.match.group(2)
        host.expect(r"Waiting for 2 delegation\(s\) to join")
        with hello(re.sub("^http", "ws", url) + "/ws", code) as (_, welcome):
            assert welcome["nation"] == "us"
            host.expect(r"United States joined \(1 of 2 here\)\.")
        host.expect(r"United States left; it may rejoin with its code\.")
    finally:
        host.close(force=True)
