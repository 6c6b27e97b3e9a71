"""A person at a real terminal (a pseudo-terminal, via pexpect): two turns as Japan, then Ctrl-C."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

ROOT = Path(__file__).resolve().parent.parent


def _spawn(*args: str, columns: int = 100) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    env["PYTHONPATH"] = str(ROOT)
    env["TERM"] = "xterm-256color"
    child = pexpect.spawn(sys.executable, ["-m", "wargame", *args], cwd=str(ROOT), env=env,
                          encoding="utf-8", timeout=30, dimensions=(50, columns))
    return child


def test_two_turns_as_japan_then_ctrl_c_keeps_the_log(tmp_path: Path) -> None:
    log = tmp_path / "game.jsonl"
    child = _spawn("play", "defining-roles", "--plain", "--human", "japan", "--seed", "3", "--log", str(log))
    for turn in (1, 2):
        child.expect(r"Japan.{0,40}your choice")
        child.sendline("1")
        child.expect("why, in a line")
        child.sendline("deterrence first" if turn == 1 else "")  # a rationale is offered, and skippable
        child.expect(rf"Week {turn + 1} — turn {turn + 1}")  # the next turn's board, with this one's results
    child.expect(r"Japan.{0,40}your choice")  # turn 3 is waiting for Japan
    child.sendintr()
    child.expect(rf"wargame resume {re.escape(str(log))}")  # Ctrl-C says how to play on
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["seats"]["japan"] == "human"
    japan = [e for e in rows[1:] if e["kind"] == "decision" and e["nation"] == "japan"]
    assert [e["by"] for e in japan] == ["human", "human"]
    assert japan[0]["note"] == "deterrence first" and "note" not in japan[1]
    assert [e["turn"] for e in rows[1:] if e["kind"] == "turn_end"] == [1, 2]


def test_newcomer_is_asked_which_nation_to_play(tmp_path: Path) -> None:
    child = _spawn("play", "defining-roles", "--plain", "--seed", "4")
    child.expect("Who is at the keyboard")
    child.expect(r"(\d+)\. Japan")
    japan_number = child.match.group(1)
    child.expect("Nation number")
    child.sendline(japan_number)
    child.expect(r"Japan.{0,40}your choice")
    child.sendline("b")  # the private brief, on request
    child.expect("Private brief")
    child.sendline("q")
    child.expect("Quit the game")  # q asks first
    child.sendline("n")
    child.expect(r"Japan.{0,40}your choice")
    child.sendline("q")
    child.expect("Quit the game")
    child.sendline("y")
    child.expect(r"wargame resume \S+\.jsonl")  # and says how to play on
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_a_sweep_at_a_terminal_shows_its_progress_and_ctrl_c_keeps_the_rows(tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    child = _spawn("sweep", "defining-roles", "--games", "4000", "--jobs", "1", "-o", str(rows))
    child.expect(r"games .* (\d+)/4000")  # the bar, drawn on the terminal (stderr), counting games
    child.expect(r"games .* ([1-9]\d*)/4000")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    kept = rows.read_bytes().split(b"\n")[:-1]  # whole rows (a kill mid-write may tear the last; --resume cuts it)
    assert kept and len(kept) < 4000 and all(json.loads(line)["seed"] >= 0 for line in kept)


def test_a_delegation_sends_messages_before_its_order(tmp_path: Path) -> None:
    log = tmp_path / "game.jsonl"
    child = _spawn("play", "defining-roles", "--human", "japan", "--seed", "3", "--log", str(log), "--plain")
    child.expect(r"Japan.{0,40}your choice")
    child.sendline("tell us,australia Quietly: logistics, within our limits.")
    child.expect("Sent.")
    child.sendline("offer australia colby_private_logistics yokota_cell If you define logistics, we expand Yokota.")
    child.expect("Sent.")  # and the bot's answer at once, before the order
    child.expect(r"Reply: Australia to Japan \(private\): \"We decline: 'Define a role privately: Rear-area")
    child.sendline("say One more is over the limit.")
    child.expect("has sent its 2 message")
    child.sendline("1")
    child.expect("why, in a line")
    child.sendline("")
    child.expect(r"Week 2 — turn 2")
    child.expect(r"Japan.{0,40}your choice")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    sent = [e for e in rows[1:] if e["kind"] == "message" and e["nation"] == "japan"]
    assert [(e["message"], e["to"]) for e in sent] == [("private", ["us", "australia"]), ("offer", ["australia"])]
    assert sent[1]["if_option"] == "australia.colby_private_logistics" and sent[1]["then_option"] == "japan.yokota_cell"
    assert rows[1:].index(sent[0]) < rows[1:].index(next(e for e in rows[1:] if e["kind"] == "decision"))
