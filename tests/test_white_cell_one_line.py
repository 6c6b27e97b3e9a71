"""The White cell console in a real terminal (pexpect) takes a command whole on one line, as the
full-screen table does (`adjust cohesion += 1 -- allies reassured`, `inject han_kuang -- brought
forward`, read by wargame.tui.commands.parse), and says what is wrong with a malformed one; on
`play --plain --facilitator` and on the host's terminal of `serve --facilitator`."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect

from tests.serving import ROOT

TIMEOUT = 60  # generous: a loaded CI machine starts Python slowly


def _spawn(cwd: Path, *args: str) -> pexpect.spawn:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "160"}
    return pexpect.spawn(sys.executable, ["-m", "wargame", *args], cwd=str(cwd), env=env, encoding="utf-8",
                         timeout=TIMEOUT, dimensions=(50, 160))


def _one_line_commands(child: pexpect.spawn) -> None:
    """The two one-line forms the README shows, carried out; malformed ones refused in words."""
    child.expect("white cell>")
    child.sendline("adjust cohesion += 1 -- allies reassured")
    child.expect("Facilitator adjusts Coalition cohesion \\+1 — allies reassured")
    child.expect("white cell>")
    child.sendline("inject han_kuang -- brought forward")
    child.expect("Facilitator fires an inject early: Han Kuang drills begin .*— brought forward")
    child.expect("white cell>")
    child.sendline("adjust cohesion += 1")  # no reason
    child.expect("Not understood:.*?an adjustment needs a reason after -- — usage: adjust EFFECTS -- why")
    child.expect("white cell>")
    child.sendline("inject no_such_inject -- why not")
    child.expect("Not understood:.*?no inject 'no_such_inject' — usage: inject ID \\[-- why\\]")
    child.expect("white cell>")
    child.sendline("end Talks resume : both capitals talk -- time is up")
    child.expect("Facilitator ends the game: Talks resume — time is up")


def _facilitator_actions(log: Path) -> list[dict[str, object]]:
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    return [r for r in rows if r["kind"] == "facilitator"]


def test_the_plain_console_takes_one_line_commands(tmp_path: Path) -> None:
    log = tmp_path / "game.jsonl"
    child = _spawn(tmp_path, "play", "defining-roles", "--auto", "--plain", "--facilitator", "--seed", "2",
                   "--log", str(log))
    try:
        _one_line_commands(child)
        child.expect("white cell>")  # the console again, over the ended game
        child.sendline("")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    actions = _facilitator_actions(log)
    assert [a["action"] for a in actions] == ["adjust", "inject", "end"]  # the malformed lines did nothing
    assert actions[0]["reason"] == "allies reassured" and actions[1]["inject"] == "han_kuang"


def test_the_serve_hosts_console_takes_one_line_commands(tmp_path: Path) -> None:
    log = tmp_path / "hosted.jsonl"
    child = _spawn(tmp_path, "serve", "defining-roles", "--human", "japan", "--unclaimed", "bot", "--facilitator",
                   "--port", "0", "--linger", "0", "--seed", "2", "--log", str(log))
    try:
        child.expect("WHITE CELL")
        _one_line_commands(child)
        child.expect("Game over")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    assert [a["action"] for a in _facilitator_actions(log)] == ["adjust", "inject", "end"]
