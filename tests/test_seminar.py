"""The scripted six-delegation seminar games of both scenarios (tests/fixtures/seminar-*.txt):
negotiation messages and the live crisis, played through the CLI, verified and reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from wargame.cli.app import app
from wargame.game import Game, load_scenario
from wargame.game.views import view_for
from wargame.record.reader import read_record

GAMES = [("defining-roles", 220, "us_alone"), ("pacific-pact", 233, "pact_tested")]


def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "100"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module", params=GAMES, ids=[g[0] for g in GAMES])
def seminar(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, Path]:
    scenario_id, seed, outcome = request.param
    log = tmp_path_factory.mktemp(scenario_id) / "game.jsonl"
    script = ROOT / "tests" / "fixtures" / f"seminar-{scenario_id}.txt"
    code, _, err = _cli("play", scenario_id, "--seed", str(seed), "--script", str(script), "--log", str(log))
    assert code == 0, err
    return scenario_id, outcome, log


def test_the_seminar_game_ends_in_the_live_crisis_and_verifies(seminar: tuple[str, str, Path]) -> None:
    scenario_id, outcome, log = seminar
    record = read_record(log)
    kinds = [e.kind for t in record.turns for e in t.events]
    assert record.outcome().data["outcome"] == outcome
    assert "live_crisis" in kinds and "response" in kinds
    assert {e.data.get("message") for t in record.turns for e in t.events if e.kind == "message"} == {
        "statement", "private", "offer", "signal"}
    assert set(record.seats.values()) == {"script"} and len(record.seats) == 6
    code, out, err = _cli("replay", str(log), "--verify")
    assert code == 0, err
    assert "genuine" in out and "finished game" in out


def test_the_seminar_report_opens_with_the_summary_and_tells_the_negotiation(seminar: tuple[str, str, Path]) -> None:
    _, outcome, log = seminar
    code, md, err = _cli("report", str(log), "--format", "md")
    assert code == 0, err
    summary = md.split("## Summary", 1)[1].split("## Overview", 1)[0]
    assert "**Delegations' objectives**" in summary and "**Turning points:**" in summary
    assert "**Questions for the hot wash:**" in summary
    assert md.count("**Negotiation**") >= 4
    assert "(private):" in md and "(offer): if " in md and "signals publicly:" in md
    assert "acts at once: its" in md  # a role defined in advance, in the live crisis


def test_private_messages_reach_only_their_addressees(seminar: tuple[str, str, Path]) -> None:
    scenario_id, _, log = seminar
    record = read_record(log)
    scenario = load_scenario(scenario_id)
    game = Game(scenario, record.seed)
    game.history = [e for t in record.turns for e in t.events]
    private = [e for e in game.history if e.kind == "message" and e.data["message"] in ("private", "offer")]
    assert private
    for nation in scenario.nations:
        seen = {id(e) for e in view_for(game, nation.id).events}
        for event in private:
            party = nation.id == event.data["nation"] or nation.id in event.data["to"]
            assert (id(event) in seen) == party, (nation.id, event.text)
