"""`wargame join` in a real terminal (pexpect): a delegation plays a served game from the command
line, the host is killed mid-game and brought back with `resume --serve` on the same port, and
the client reconnects by itself with its code and plays the game to its end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pexpect

from tests.serving import ROOT, Server

TIMEOUT = 30


def _join(url: str, code: str) -> pexpect.spawn:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "120", "TERM": "dumb"}
    return pexpect.spawn(sys.executable, ["-m", "wargame", "join", url, "--code", code], cwd=str(ROOT), env=env,
                         encoding="utf-8", timeout=TIMEOUT, dimensions=(50, 120))


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
        child.expect(r"Type a number \(1-(\d+)\)")
        child.sendline("0")
        child.expect("Not a choice")
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
        child.expect(r"your decision, Week 2")
        for _ in range(12):
            child.expect([r"Type a number", "Game over"])
            if "Game over" in child.after:
                break
            child.sendline("1")
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
