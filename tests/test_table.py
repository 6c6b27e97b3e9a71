"""At the table, in a real (pseudo-)terminal: sealed hot-seat, the decision clock, the White cell.

What a person sees is read off a terminal emulator (pyte) fed with everything the game wrote,
so "the screen shows only …" is checked on the screen itself, after its clears.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")

ROOT = Path(__file__).resolve().parent.parent
COLUMNS, LINES = 100, 60


class Terminal:
    """A game in a pseudo-terminal, with the screen as a person would see it."""

    def __init__(self, *args: str) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES")}
        env |= {"PYTHONPATH": str(ROOT), "TERM": "xterm-256color"}
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.Stream(self.screen)
        self.child = pexpect.spawn(sys.executable, ["-m", "wargame", *args], cwd=str(ROOT), env=env,
                                   encoding="utf-8", timeout=30, dimensions=(LINES, COLUMNS))
        self.child.logfile_read = self

    # pexpect writes what it reads here
    def write(self, data: str) -> None:
        self.stream.feed(data)

    def flush(self) -> None:
        pass

    def expect(self, pattern: str) -> None:
        self.child.expect(pattern)

    def send(self, line: str) -> None:
        self.child.sendline(line)

    def shown(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        return int(self.child.exitstatus if self.child.exitstatus is not None else -1)


def _flagship_brief(nation: str) -> str:
    from wargame.scenario.loader import load

    scenario = load(ROOT / "scenarios" / "defining-roles.toml")
    return scenario.nation(nation).private_brief


def _fragment(text: str) -> str:
    """A stretch of a brief short enough to sit on one screen line."""
    words = text.split()
    return " ".join(words[:4])


def test_sealed_hot_seat_shows_no_delegation_another_ones_choice_or_brief(tmp_path: Path) -> None:
    log = tmp_path / "game.jsonl"
    term = Terminal("play", "defining-roles", "--plain", "--human", "japan", "--human", "australia", "--seed", "3",
                    "--log", str(log))
    japan_brief, australia_brief = _fragment(_flagship_brief("japan")), _fragment(_flagship_brief("australia"))

    term.expect("Pass to Japan")
    screen = term.shown()
    assert "Pass to Japan" in screen
    assert japan_brief not in screen and australia_brief not in screen
    assert "your choice" not in screen  # no menu while the keyboard changes hands
    term.send("")
    term.expect(r"Japan.{0,40}your choice")
    assert japan_brief in " ".join(term.shown().split())
    term.send("2")
    term.expect("why, in a line")
    term.send("")

    term.expect("Pass to Australia")
    screen = term.shown()
    japan_choice = "Expand the Yokota analysis cell"
    assert japan_choice not in screen and japan_brief not in screen
    visible = [line.strip() for line in screen.splitlines() if line.strip()]
    frame = set("╭╮╰╯─│ ")
    assert all("Pass to Australia" in line or set(line) <= frame for line in visible), visible
    term.send("")
    term.expect(r"Australia.{0,40}your choice")
    screen = " ".join(term.shown().split())
    assert australia_brief in screen and japan_brief not in screen and japan_choice not in screen
    term.send("1")
    term.expect("why, in a line")
    term.send("")

    term.expect("revealed together")
    term.expect("Press Enter when every delegation has seen the orders")
    revealed = " ".join(term.shown().split())
    assert japan_choice in revealed  # the reveal stays up until someone moves on
    term.send("")
    term.expect("Pass to Japan")  # turn 2 begins
    term.send("")
    term.expect(r"Japan.{0,40}your choice")
    board = " ".join(term.shown().split())
    assert "No decisions yet" not in board  # the board of turn 2 carries turn 1's orders and results
    term.send("s")  # and drawn again it is the same board
    term.expect(r"Japan.{0,40}your choice")
    term.child.sendintr()
    assert term.finish() == 130
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    decided = {e["nation"]: e for e in rows[1:] if e["kind"] == "decision" and e["turn"] == 1}
    assert decided["japan"]["by"] == decided["australia"]["by"] == "human"
    assert decided["japan"]["option"] == "japan.yokota_cell"


def test_the_clock_takes_the_default_when_time_runs_out(tmp_path: Path) -> None:
    log = tmp_path / "game.jsonl"
    term = Terminal("play", "defining-roles", "--plain", "--human", "japan", "--seed", "3", "--clock", "1.5",
                    "--log", str(log))
    term.expect(r"Japan.{0,40}your choice")
    term.expect("Time is up")  # nobody answers
    term.expect(r"Japan.{0,40}your choice")  # turn 2
    term.child.sendintr()
    assert term.finish() == 130
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    japan = next(e for e in rows[1:] if e["kind"] == "decision" and e["nation"] == "japan")
    assert japan["by"] == "clock" and japan["option"] == "japan.hold" and "timed out" in japan["note"]


def test_a_sealed_reveal_names_the_delegations_whose_time_ran_out(tmp_path: Path) -> None:
    """Two delegations at one keyboard let the clock run out: the reveal does not say every
    delegation decided; it names both (the board under it marks their orders "by clock")."""
    term = Terminal("play", "defining-roles", "--plain", "--human", "japan", "--human", "australia", "--seed", "3",
                    "--clock", "1")
    term.expect("Pass to Japan")
    term.send("")
    term.expect("Time is up")  # nobody answers
    term.expect("Press Enter to pass the keyboard on")
    term.send("")
    term.expect("Pass to Australia")
    term.send("")
    term.expect("Time is up")
    term.expect("Press Enter to pass the keyboard on")
    term.send("")
    term.expect("Time ran out for Japan and Australia: their default orders were taken. The orders of Week 1 are")
    term.expect("Press Enter when every delegation has seen the orders")
    term.child.sendintr()
    assert term.finish() == 130


def test_the_white_cell_at_a_terminal_is_recorded_and_verifies(tmp_path: Path) -> None:
    log = tmp_path / "game.jsonl"
    scenario = str(ROOT / "tests" / "fixtures" / "minimal.toml")
    term = Terminal("play", scenario, "--auto", "--facilitator", "--seed", "2", "--log", str(log))
    def command(lines: tuple[str, ...], done: str) -> None:
        term.expect("white cell>")
        for line in lines:
            term.send(line)
        term.expect(done)

    command(("comment", "Opening remarks"), "Facilitator's comment: Opening remarks")
    command(("adjust", "logistics += 1", "the stockpiles arrive"), "Logistics \\+1: facilitator: the stockpiles")
    command(("",), "Day 1 — turn 1 of 4")  # back to the game: day 1 is played
    command(("propose", "2", "Green offers a ceasefire", "60", "escalation -= 1", "", ""), "Green proposes")
    command(("board",), "Green proposes")  # the White cell sees the board, its own action on it
    command(("undo", "2", "let the delegations think again"), "takes back the last action")  # that action alone
    command(("end", "Talks resume", "Both capitals agree to talk", "time is up", "yes"), "The game is over")
    term.send("")
    assert term.finish() == 0
    actions = [json.loads(line).get("action") for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    assert [a for a in actions if a] == ["comment", "adjust", "adjudicate", "undo", "end"]
    verify = pexpect.run(f"{sys.executable} -m wargame replay {log} --verify --scenario {scenario}",
                         cwd=str(ROOT), env={**os.environ, "PYTHONPATH": str(ROOT)}, withexitstatus=True,
                         encoding="utf-8")
    assert verify[1] == 0, verify[0]
    assert "genuine" in verify[0]


def test_the_white_cell_takes_back_its_last_action_alone(tmp_path: Path) -> None:
    log = tmp_path / "game.jsonl"
    scenario = str(ROOT / "tests" / "fixtures" / "minimal.toml")
    term = Terminal("play", scenario, "--auto", "--facilitator", "--seed", "2", "--log", str(log))
    term.expect("white cell>")
    term.send("adjust")
    term.send("logistics += 3")
    term.send("a typo: meant 1")
    term.expect("Logistics \\+3: facilitator")
    term.send("undo")
    term.expect("take back only your last action: Facilitator adjusts Logistics \\+3")  # the track in words
    term.send("1")
    term.send("")
    term.expect("Facilitator takes back the last action")
    term.send("end")
    for line in ("Talks resume", "", "", "yes"):
        term.send(line)
    term.expect("The game is over")
    term.expect("white cell>")
    term.send("undo")
    term.expect("take back only your last action: Facilitator ends the game: Talks resume")
    term.send("1")
    term.send("played on after all")
    term.expect("Facilitator takes back the last action")
    term.send("")  # back to the game, which goes on to its own end: the console opens before each day
    while term.child.expect(["Before Day", "The game is over"]) == 0:
        term.expect("white cell>")
        term.send("")
    term.expect("white cell>")
    term.send("")
    assert term.finish() == 0
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    assert [r.get("action") for r in rows if r["kind"] == "facilitator"] == ["adjust", "undo", "end", "undo"]
    assert rows[-1]["kind"] == "game_end" and rows[-1]["outcome"] != "facilitator"
    verify = pexpect.run(f"{sys.executable} -m wargame replay {log} --verify --scenario {scenario}",
                         cwd=str(ROOT), env={**os.environ, "PYTHONPATH": str(ROOT)}, withexitstatus=True,
                         encoding="utf-8")
    assert verify[1] == 0, verify[0]


def test_the_revealed_board_shows_no_delegation_s_reasoning(tmp_path: Path) -> None:
    """The orders are revealed to the whole table; each delegation's "why" stays its own."""
    term = Terminal("play", "defining-roles", "--plain", "--human", "japan", "--human", "australia", "--seed", "3")
    for nation, note in (("Japan", "tokyo-keeps-this"), ("Australia", "canberra-keeps-this")):
        term.expect(f"Pass to {nation}")
        term.send("")
        term.expect(rf"{nation}.{{0,40}}your choice")
        term.send("1")
        term.expect("why, in a line")
        term.send(note)
    term.expect("revealed together")
    term.expect("Press Enter when every delegation has seen the orders")  # everything between: the board
    revealed = term.child.before
    term.send("")
    term.expect("Pass to Japan")
    assert "Hold: study the situation" in revealed or "Japan (by human)" in revealed, revealed
    assert "tokyo-keeps-this" not in revealed and "canberra-keeps-this" not in revealed
    assert "score " not in revealed  # nor a computer seat's reckoning of its interests
    term.child.sendintr()
    assert term.finish() == 130
