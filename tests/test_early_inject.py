"""A scheduled inject the White cell fires before its turn is spent: it does not fire again at its
turn (effects once, and the record says why), at every console; a triggered inject keeps its own
rule (once, or again whenever its condition holds if it repeats). A record made before this rule,
in which such an inject fired twice, still replays and verifies as it was played.

The fixture scenario tests/fixtures/injects.toml has a scheduled inject for certain (`summit`,
Day 3: logistics +1), one by chance (`rumour`, Day 2, 50%), one triggered once (`scare`, when
`alert`) and one triggered repeatable (`protest`, when escalation >= 3).
`early-inject-refired.jsonl` was written by `wargame play tests/fixtures/injects.toml --auto
--facilitator --plain --seed 5` before the rule, the White cell firing `summit` before Day 1.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, ROOT, typed_answers
from tests.serving import TIMEOUT, Server, hello
from wargame.engine.events import Decision, Event
from wargame.engine.facilitator import FacilitatorError
from wargame.game import Game
from wargame.record.log import LogWriter, header
from wargame.record.reader import read_record
from wargame.record.verify import partial_timeline, verify
from wargame.scenario.loader import load
from wargame.scenario.scenario import Scenario
from wargame.view.injects import done, standing

SCENARIO = FIXTURES / "injects.toml"
LEGACY = FIXTURES / "early-inject-refired.jsonl"
HOLD = {"blue": Decision("blue", "blue.hold"), "green": Decision("green", "green.hold")}


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load(SCENARIO)


def _value(scenario: Scenario, game: Game, name: str) -> float:
    return game.state.values[scenario.names[name].index]


def _play(game: Game, turns: int) -> list[Event]:
    events: list[Event] = []
    for _ in range(turns):
        events += game.begin_turn()
        events += game.adjudicate(HOLD)
    return events


def _of(events: list[Event], inject: str) -> list[tuple[int, str]]:
    """(turn, kind) of the events caused by `inject` (the White cell's action naming it left out)."""
    return [(e.turn, e.kind) for e in events if e.data.get("inject") == inject and e.kind != "facilitator"]


def _inject(scenario: Scenario, inject_id: str) -> Any:
    return next(i for i in scenario.injects if i.id == inject_id)


def test_a_scheduled_inject_fired_early_applies_once_and_the_log_says_why(scenario: Scenario) -> None:
    game = Game(scenario, 5)
    summit = _inject(scenario, "summit")
    assert standing(scenario, game.state, summit) == "due Day 3" and not done(game.state, summit)
    fired = game.facilitate({"action": "inject", "inject": "summit", "reason": "leaders meet early"})
    assert fired[0].data["early"] is True
    assert fired[0].text == ("Facilitator fires an inject early: A summit (due Day 3; it will not fire again then) "
                             "— leaders meet early")
    assert _value(scenario, game, "logistics") == 3
    assert standing(scenario, game.state, summit) == "fired early: it will not fire again in Day 3"
    assert done(game.state, summit)

    events = fired + _play(game, 4)
    assert _of(events, "summit") == [(0, "inject"), (0, "effect"), (3, "inject_spent")]
    spent = next(e for e in events if e.kind == "inject_spent")
    assert spent.text == "A summit: due now, but the White cell fired it early, so it does not fire again"
    assert _value(scenario, game, "logistics") == 3  # once: 2 at the start, +1, and nothing at Day 3
    assert standing(scenario, game.state, summit) == "fired early (was due Day 3)"

    # the same game without the early firing: the inject fires at its turn, once
    plain = Game(scenario, 5)
    assert _of(_play(plain, 4), "summit") == [(3, "inject"), (3, "effect")]
    assert _value(scenario, plain, "logistics") == 3


def test_an_inject_fired_early_by_chance_draws_nothing_at_its_turn(scenario: Scenario) -> None:
    game = Game(scenario, 5)
    game.facilitate({"action": "inject", "inject": "rumour"})
    events = _play(game, 2)
    assert _of(events, "rumour") == [(2, "inject_spent")]  # no roll: the draws that follow are not moved
    assert not [e for e in events if e.kind == "chance"]


def test_early_is_until_the_turn_begins_and_a_later_firing_is_the_white_cells_own(scenario: Scenario) -> None:
    game = Game(scenario, 5)
    _play(game, 2)  # Day 3 has not begun: firing the Day 3 inject now is early
    assert game.facilitate({"action": "inject", "inject": "summit"})[0].data["early"] is True
    assert _of(_play(game, 1), "summit") == [(3, "inject_spent")]

    late = Game(scenario, 5)
    _play(late, 3)  # after Day 3 the inject fired on schedule; firing it again is the White cell's choice
    again = late.facilitate({"action": "inject", "inject": "summit"})
    assert "early" not in again[0].data and again[0].text == "Facilitator fires an inject: A summit"
    assert _value(scenario, late, "logistics") == 4
    assert standing(scenario, late.state, _inject(scenario, "summit")) == "fired"


def test_triggered_injects_keep_their_own_rule(scenario: Scenario) -> None:
    game = Game(scenario, 5)
    game.facilitate({"action": "adjust", "effects": ["escalation = 3", "alert = true"], "reason": "a crisis"})
    for inject in ("scare", "protest"):
        assert "early" not in game.facilitate({"action": "inject", "inject": inject})[0].data
    assert game.state.spent_injects == ()
    assert standing(scenario, game.state, _inject(scenario, "scare")) == "fired (once only)"
    assert standing(scenario, game.state, _inject(scenario, "protest")) == \
        "fired; may fire again when its condition holds"
    assert not done(game.state, _inject(scenario, "protest"))
    first = game.begin_turn()
    assert _of(first, "scare") == []  # fires once: the White cell's firing was its once
    assert ("inject" in {k for _, k in _of(first, "protest")})  # repeats while escalation >= 3


def test_undoing_the_early_firing_puts_the_inject_back_on_schedule(scenario: Scenario) -> None:
    game = Game(scenario, 5)
    game.facilitate({"action": "inject", "inject": "summit"})
    game.undo_last_action("too soon")
    assert game.state.spent_injects == () and _value(scenario, game, "logistics") == 2
    assert _of(_play(game, 3), "summit") == [(3, "inject"), (3, "effect")]


def test_early_is_wargames_to_say_and_a_forged_one_does_not_replay(scenario: Scenario, tmp_path: Path) -> None:
    game = Game(scenario, 5)
    with pytest.raises(FacilitatorError, match="wargame's own field"):
        game.facilitate({"action": "inject", "inject": "summit", "early": False})
    _play(game, 3)
    with pytest.raises(FacilitatorError, match="wargame's own field"):
        game.facilitate({"action": "inject", "inject": "summit", "early": True})

    # a record claiming an inject whose turn has passed was fired early is refused where it stands
    played = Game(scenario, 5)
    events = _play(played, 3) + played.facilitate({"action": "inject", "inject": "summit"}) + _play(played, 1)
    forged = [Event(e.kind, e.turn, e.text, {**e.data, "early": True}) if e.kind == "facilitator" else e
              for e in events]
    path = tmp_path / "forged.jsonl"
    writer = LogWriter.create(path, header(scenario, 5, {"blue": "bot", "green": "bot"}))
    writer.write(forged)
    writer.close()
    _, _, divergence = verify(scenario, read_record(path))
    assert divergence is not None and "not scheduled for a turn still to come" in str(divergence)


def test_a_record_made_before_the_rule_replays_as_it_was_played(scenario: Scenario) -> None:
    record = read_record(LEGACY)
    turns, checked, divergence = verify(scenario, record)
    assert divergence is None and turns == 4 and checked == len(record.events)
    facilitator = next(e for e in record.events if e.kind == "facilitator")
    assert "early" not in facilitator.data  # made before the rule: the inject was not spent...
    assert _of(list(record.events), "summit") == [(0, "inject"), (0, "effect"), (3, "inject"), (3, "effect")]
    played, _ = partial_timeline(scenario, record)  # ...and fired again at Day 3: replayed as it went
    assert played[2].state.values[scenario.names["logistics"].index] == 4
    after_day1 = played[0].state
    assert after_day1.spent_injects == ()
    assert standing(scenario, after_day1, _inject(scenario, "summit")) == "fired; due again Day 3"
    result = subprocess.run([sys.executable, "-m", "wargame", "replay", "--verify", str(LEGACY), "--scenario",
                             str(SCENARIO)], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0 and "genuine" in result.stdout, result.stderr


def test_the_served_white_cell_fires_early_and_sees_it_spent(tmp_path: Path) -> None:
    """The browser White cell's path over a real server on 127.0.0.1: the page's inject list says
    where the inject stands before and after, its board tells the spent turn, the record has the
    effect once and verifies."""
    log = tmp_path / "served.jsonl"
    server = Server(["serve", str(SCENARIO), "--human", "blue", "--facilitator", "--unclaimed", "bot", "--seed", "5",
                     "--log", str(log), "--linger", "0"], tmp_path)
    try:
        with hello(server.ws_url, server.info["white"]["code"]) as (ws, _):
            latest: dict[str, Any] = {}  # the last snapshot received (one may come before an ack)

            def reply() -> dict[str, Any]:
                for _ in range(200):  # snapshots in between are kept; each recv bounded
                    message = json.loads(ws.recv(timeout=TIMEOUT))
                    if message["type"] != "state":
                        return dict(message)
                    latest.update(message)
                raise AssertionError("no reply")

            def until(holding: str, board: str = "") -> dict[str, Any]:
                """The first snapshot, the latest one included, held at `holding` whose board
                (drawn in the background, so it may come a snapshot later) has `board` in it."""
                def wanted(snapshot: dict[str, Any]) -> bool:
                    return snapshot.get("type") == "state" and snapshot["white"]["holding"] == holding \
                        and board in snapshot["board"]
                if wanted(latest):
                    return dict(latest)
                for _ in range(200):
                    message = json.loads(ws.recv(timeout=TIMEOUT))
                    if message["type"] == "state":
                        latest.update(message)
                        if wanted(message):
                            return dict(message)
                raise AssertionError(f"never held {holding!r} showing {board!r}; last: {latest.get('white')}")

            def summit(snapshot: dict[str, Any]) -> dict[str, Any]:
                return dict(next(i for i in snapshot["white"]["injects"] if i["id"] == "summit"))

            before = summit(until("Before Day 1"))
            assert (before["status"], before["done"], before["fired"]) == ("due Day 3", False, False)
            ws.send(json.dumps({"type": "white", "action": "inject", "inject": "summit", "reason": "early"}))
            answer = reply()
            assert answer["type"] == "ack" and "fires an inject early: A summit (due Day 3" in answer["message"]
            for day in (1, 2, 3):  # as a person does: each go once the game waits for it again
                until(f"Before Day {day}")
                ws.send(json.dumps({"type": "white", "action": "go"}))
                assert reply()["type"] == "ack"
            after = until("Before Day 4", "Injects — Day 3")
            assert summit(after) | {"effects": ""} == {"id": "summit", "title": "A summit", "effects": "",
                                                       "fired": True, "done": True,
                                                       "status": "fired early (was due Day 3)"}
            assert "Due, but fired early by the White cell, so not again: A summit" in after["board"]
            ws.send(json.dumps({"type": "white", "action": "hold", "on": False}))
            assert reply()["type"] == "ack"
        assert server.wait() == 0
    finally:
        server.kill()
    recorded = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    assert [(e["turn"], e["kind"]) for e in recorded if e.get("inject") == "summit" and e["kind"] != "facilitator"
            ] == [(0, "inject"), (0, "effect"), (3, "inject_spent")]
    assert next(e for e in recorded if e["kind"] == "facilitator")["early"] is True
    result = subprocess.run([sys.executable, "-m", "wargame", "replay", "--verify", str(log), "--scenario",
                             str(SCENARIO)], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    report = subprocess.run([sys.executable, "-m", "wargame", "report", str(log), "--scenario", str(SCENARIO)],
                            cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert report.returncode == 0, report.stderr
    assert "- Facilitator fires an inject early: A summit (due Day 3; it will not fire again then) — early" \
        in report.stdout
    assert "- A summit: due now, but the White cell fired it early, so it does not fire again" in report.stdout


def test_the_terminal_and_full_screen_white_cells_list_it_as_fired_early(scenario: Scenario,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The host terminal's White cell console (its inject command, then its list again) and the
    full-screen table's White cell pane say where the inject stands, one rule for both."""
    import io
    from types import SimpleNamespace

    from rich.console import Console

    from wargame.players.white_cell import run_console
    from wargame.tui.whitecell import inject_list

    game = Game(scenario, 5)

    class Host(SimpleNamespace):  # what the console asks of the table: the game's state, and act
        @property
        def state(self) -> Any:
            return game.state

    host = Host(scenario=scenario, act=game.facilitate)
    # the second inject is left at its question
    typed_answers(monkeypatch, ["inject", "1", "leaders meet early", "inject"])
    buffer = io.StringIO()
    out = Console(file=buffer, width=120, color_system=None)
    run_console(out, host, where="Before Day 1")
    said = buffer.getvalue()
    first, second = said.split("Which inject", 2)[:2]
    assert " 1. A summit — due Day 3" in first and " 2. A rumour — due Day 2" in first
    assert " 3. A scare — fires once, when its condition holds" in first
    assert " 1. A summit — fired early: it will not fire again in Day 3" in second
    assert game.state.spent_injects == ("summit",)

    pane = Console(file=io.StringIO(), width=120, color_system=None)
    pane.print(inject_list(game))
    lines = pane.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert lines[0] == "✓ summit A summit — fired early: it will not fire again in Day 3"
    assert lines[2] == "  rumour A rumour — due Day 2"
