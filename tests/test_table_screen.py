"""The full-screen table in a real (pseudo-)terminal, read back through a terminal emulator
(pexpect + pyte), as a person at a 100x30 terminal would see it: a whole game as Japan, and a
two-seat hot-seat turn with a White cell inject."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")

ROOT = Path(__file__).resolve().parent.parent
COLUMNS, LINES = 100, 30
ENTER = "\r"


class Screen:
    """`wargame ARGS` in a pseudo-terminal of COLUMNS x LINES, with the screen as it is drawn."""

    def __init__(self, *args: str) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES")}
        env |= {"PYTHONPATH": str(ROOT), "TERM": "xterm-256color"}
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        self.child = pexpect.spawn(sys.executable, ["-m", "wargame", *args], cwd=str(ROOT), env=env,
                                   timeout=30, dimensions=(LINES, COLUMNS))
        self.said = b""

    def _read(self) -> None:
        try:
            data = self.child.read_nonblocking(65536, timeout=0.05)
        except pexpect.TIMEOUT:
            return
        self.said += data
        self.stream.feed(data)

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait(self, *words: str, seconds: float = 30, every: bool = False) -> str:
        """Read until one of `words` (`every`: all of them) is on the screen; the screen's text.
        A frame can reach the terminal in pieces (a loaded machine draws the footer later)."""
        deadline = time.monotonic() + seconds
        found = all if every else any
        while time.monotonic() < deadline:
            self._read()
            if found(w in self.text() for w in words):
                settle = time.monotonic() + 0.3  # the rest of the frame being drawn
                while time.monotonic() < settle:
                    self._read()
                return self.text()
            if not self.child.isalive():
                self._read()
                break
        raise AssertionError(f"{words!r} never appeared; the screen:\n{self.text()}")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.child.send(key)
            time.sleep(0.05)

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.said += self.child.before or b""
        self.child.close()
        return int(self.child.exitstatus if self.child.exitstatus is not None else -1)


def test_a_whole_game_as_japan_on_the_full_screen(tmp_path: Path) -> None:
    log = tmp_path / "game.jsonl"
    term = Screen("play", "defining-roles", "--human", "japan", "--seed", "3", "--log", str(log))
    turns = 0
    screen = term.wait("Japan decides")
    while "The game is over" not in screen:
        assert "Japan decides" in screen and "1 Hold: study the situation" in screen
        turns += 1
        term.keys("1", ENTER)  # an option's number
        term.wait("Why, in a line")
        term.keys(ENTER)  # no reason given
        screen = term.wait("revealed together", "The game is over")
        if "The game is over" not in screen:  # the orders revealed, and what changed, until n
            assert "What changed" in screen
            term.keys("n")
            screen = term.wait(f"turn {turns + 1} of", "The game is over")
    assert "Game over after" in screen
    term.keys(ENTER)
    assert term.finish() == 0
    said = "".join(term.said.decode("utf-8", "replace").split())
    assert f"Therecordisin{log}" in said  # said again on the terminal once the screen closes
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    japan = [r for r in rows[1:] if r["kind"] == "decision" and r["nation"] == "japan"]
    assert len(japan) == turns >= 1 and all(r["by"] == "human" and r["option"] == "japan.hold" for r in japan)
    assert rows[-1]["kind"] == "game_end"


def test_two_delegations_and_a_white_cell_inject_on_the_full_screen(tmp_path: Path) -> None:
    log = tmp_path / "game.jsonl"
    term = Screen("play", "defining-roles", "--human", "japan", "--human", "australia", "--facilitator",
                  "--seed", "3", "--log", str(log))
    screen = term.wait("WHITE CELL")
    assert "han_kuang" in screen  # the inject list, by id
    term.keys(*"inject han", "\x1b[C", ENTER)  # → takes the completed name
    term.wait("Done: Facilitator fires an inject")
    term.keys("\x1b")  # Escape: back to the game
    screen = term.wait("Pass the keyboard to Japan")
    assert "Han Kuang" not in screen and "Options" not in screen  # only the hand-over on screen
    term.keys(ENTER)
    term.wait("Private brief — Japan")
    term.keys("\x1b")
    term.wait("Japan decides")
    term.keys("2", ENTER, ENTER)
    screen = term.wait("Pass the keyboard to Australia")
    assert "Yokota" not in screen  # Japan's order is sealed
    term.keys(ENTER)
    term.wait("Private brief — Australia")
    term.keys("\x1b")
    term.wait("Australia decides")
    term.keys("1", ENTER, ENTER)
    screen = term.wait("revealed together")
    assert "Japan: Expand the Yokota analysis cell" in screen
    time.sleep(0.5)
    term._read()
    assert "revealed together" in term.text()  # the reveal stays up
    term.keys("n")
    term.wait("WHITE CELL")
    term.keys("q")  # typed into the command line, not a quit: the White cell's line takes letters
    term.keys("\x7f", "\x1b")  # rub it out; back to the game
    term.wait("Pass the keyboard to Japan")
    term.keys("q")
    term.wait("Quit the game?")
    term.keys("y")
    assert term.finish() == 0
    said = " ".join(term.said.decode("utf-8", "replace").split())
    assert "wargame resume" in said
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    events = rows[1:]  # after the header
    assert [r.get("inject") for r in events if r["kind"] == "facilitator"] == ["han_kuang"]
    assert {r["nation"]: r["option"] for r in events if r["kind"] == "decision" and r["turn"] == 1}["japan"] == \
        "japan.yokota_cell"


def test_a_delegation_negotiates_on_the_full_screen_and_the_record_verifies(tmp_path: Path) -> None:
    log = tmp_path / "talk.jsonl"
    term = Screen("play", "defining-roles", "--human", "japan", "--seed", "3", "--log", str(log))
    term.wait("2 of 2 messages left this turn; m", "Japan decides", "m Messages", every=True)  # the footer too
    term.keys("m")
    term.wait("Japan — messages", "Australia signals publicly", every=True)  # a bot's costly signal, with its effects
    term.keys("\t", *"Hold the line", ENTER)  # Tab: from the kinds to the words; Enter sends
    term.wait("Sent: Japan (public statement)", "1 of 2 messages left this turn", every=True)
    term.keys("\x1b")  # Escape: back to the options
    term.wait("1 of 2 messages left this turn; m", 'Japan (public statement): "Hold the line"', every=True)
    term.keys("1", ENTER)
    term.wait("Why, in a line")
    term.keys(ENTER)
    term.wait("revealed together")
    term.keys("n")
    term.wait("turn 2 of")
    term.keys("q")
    term.wait("Quit the game?")
    term.keys("y")
    assert term.finish() == 0
    result = subprocess.run([sys.executable, "-m", "wargame", "replay", "--verify", str(log)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "genuine — 1 turn(s)" in result.stdout, result.stderr
    said = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()][1:]
    assert [(r["message"], r["said"]) for r in said if r["kind"] == "message" and r["nation"] == "japan"] == [
        ("statement", "Hold the line")]
