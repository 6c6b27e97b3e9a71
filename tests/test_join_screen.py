"""`wargame join` in a real (pseudo-)terminal, read back through a terminal emulator (pexpect +
pyte) as a person at a 100x30 terminal would see it: against a real `wargame serve` on
127.0.0.1 it opens the full screen (not the line client), shows the private brief, takes one
decision, shows the reveal, and q asks before leaving with status 0; then `--plain` on the same
terminal takes the seat back in plain lines. (The line client's own tests, by TERM=dumb, are in
tests/test_serve_join.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.serving import Server

pytest.importorskip("pexpect")
pytest.importorskip("pyte")

from tests.test_table_screen import ENTER, Screen  # noqa: E402 - after the skips

ESCAPE = "\x1b"


def test_join_opens_the_full_screen_and_plays_a_decision(tmp_path: Path) -> None:
    log = tmp_path / "game.jsonl"
    server = Server(["serve", "defining-roles", "--human", "us", "--seed", "5", "--log", str(log),
                     "--linger", "5"], tmp_path)
    term = Screen("join", server.info["url"], "--code", server.code("us"))
    try:
        screen = term.wait("Private brief — United States")
        assert "Logistics is your critical vulnerability" in screen
        term.keys(ESCAPE)
        screen = term.wait("United States decides — Week 1")
        assert " 2 Ask partners to define their" in screen and "Type an option's number" in screen
        term.keys("2", ENTER)
        term.wait("Why, in a line, for the record?")
        term.keys(*"from the terminal", ENTER)
        screen = term.wait("Orders revealed")
        assert "United States: Ask partners to define their roles" in screen
        term.keys("q")
        term.wait("Leave the game?")
        term.keys("y")
        assert term.finish() == 0
        plain = Screen("join", server.info["url"], "--code", server.code("us"), "--plain")  # the seat taken back
        plain.wait("Type an option's number")  # the listing above it may scroll the heading off the screen
        assert b"Joined as United States." in plain.said and b"your decision, Week 2" in plain.said
        plain.keys("\x04")  # end of input: the line client leaves
        assert plain.finish() == 0
    finally:
        if term.child.isalive():
            term.child.close(force=True)
        server.kill()
    decisions = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    assert any(d.get("note") == "from the terminal" for d in decisions)
