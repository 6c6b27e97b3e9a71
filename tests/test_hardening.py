"""Hostile and careless input found in review: each gets a clear error, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import MINIMAL_PATH
from wargame.cli.app import app
from wargame.engine.rules import adjudicate, begin_turn, possessive
from wargame.engine.state import initial_state
from wargame.errors import RecordError, ScenarioError
from wargame.record.reader import parse_record
from wargame.record.verify import scenario_for
from wargame.scenario.expr import Slot, compile_expression
from wargame.scenario.loader import load

MINIMAL = MINIMAL_PATH.read_text(encoding="utf-8")


def _scenario(tmp_path: Path, text: str, name: str = "s.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_escape_sequence_in_scenario_text_is_refused(tmp_path: Path) -> None:
    path = _scenario(tmp_path, MINIMAL.replace('title = "Minimal"', 'title = "Min\\u001b]0;pwned\\u0007imal"'))
    with pytest.raises(ScenarioError) as caught:
        load(path)
    assert "control character" in caught.value.problems[0].message


def test_a_device_is_not_read_as_a_scenario() -> None:
    result = CliRunner().invoke(app, ["validate", "/dev/zero"])
    assert result.exit_code == 1 and "not a regular file" in result.stderr


def test_a_track_range_a_person_cannot_read_is_refused(tmp_path: Path) -> None:
    path = _scenario(tmp_path, MINIMAL.replace("max = 5\nstart = 2", "max = 1000000000\nstart = 2"))
    with pytest.raises(ScenarioError) as caught:
        load(path)
    assert caught.value.problems[0].key == "tracks[1].max"


def test_a_default_that_pledges_is_refused(tmp_path: Path) -> None:
    path = _scenario(tmp_path, MINIMAL.replace('default = "blue.hold"', 'default = "blue.promise"'))
    with pytest.raises(ScenarioError, match="must always be available"):
        load(path)


def test_a_scenario_title_with_markup_is_listed_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "scenarios").mkdir()
    _scenario(tmp_path / "scenarios", MINIMAL.replace('title = "Minimal"', 'title = "[/oops] [blink]x"'), "m.toml")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["list"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "[/oops] [blink]x" in result.stdout


def test_play_finds_a_scenario_by_the_id_it_declares(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "scenarios").mkdir()
    _scenario(tmp_path / "scenarios", MINIMAL, "my-copy.toml")  # its id is "minimal"
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["play", "minimal", "--auto", "--seed", "1"])
    assert result.exit_code == 0, result.stderr


def _log(tmp_path: Path) -> list[dict[str, object]]:
    log = tmp_path / "game.jsonl"
    played = CliRunner().invoke(app, ["play", str(MINIMAL_PATH), "--auto", "--seed", "1", "--log", str(log)])
    assert played.exit_code == 0
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def _bytes(rows: list[dict[str, object]]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in rows).encode("utf-8")


def test_an_escape_sequence_in_a_log_is_refused(tmp_path: Path) -> None:
    rows = _log(tmp_path)
    rows[1]["text"] = "Day 1 \x1b[2J begins"
    with pytest.raises(RecordError, match="control character"):
        parse_record(_bytes(rows), "game.jsonl")


def test_a_log_cannot_point_wargame_at_any_file(tmp_path: Path) -> None:
    rows = _log(tmp_path)
    rows[0]["scenario"] = "/dev/zero"
    with pytest.raises(RecordError, match="not a scenario id"):
        scenario_for(parse_record(_bytes(rows), "game.jsonl"))


def test_verify_names_the_field_that_was_edited(tmp_path: Path) -> None:
    rows = _log(tmp_path)
    effect = next(r for r in rows[1:] if r["kind"] == "effect")
    effect["after"] = 99
    path = tmp_path / "edited.jsonl"
    path.write_bytes(_bytes(rows))
    result = CliRunner().invoke(app, ["replay", str(path), "--verify", "--scenario", str(MINIMAL_PATH)])
    assert result.exit_code == 1
    assert "after: the record says 99, replaying gives" in result.stderr


def test_a_bug_is_reported_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import wargame.cli.commands as commands

    def broken(json_out: bool) -> None:
        raise ZeroDivisionError("a deliberate bug")

    monkeypatch.setattr(commands, "list_scenarios", broken)
    monkeypatch.delenv("WARGAME_DEBUG", raising=False)
    result = CliRunner().invoke(app, ["list"])
    assert result.exit_code == 70
    assert "internal error: ZeroDivisionError: a deliberate bug" in result.stderr
    assert "Traceback" not in result.output


def test_parenthesised_comparisons_can_be_compared() -> None:
    names = {"a": Slot(0, "num", 0, 5), "b": Slot(1, "num", 0, 5)}
    assert compile_expression("(a < 2) == (b > 1)", names).evaluate([1, 3])


def test_possessives_read_naturally() -> None:
    assert possessive("Japan") == "Japan's"
    assert possessive("Philippines") == "Philippines'"


def test_a_change_the_limit_absorbs_is_still_explained(tmp_path: Path) -> None:
    # blue.provoke raises escalation by 1; at the top of the ladder nothing moves, and the board says why
    scenario = load(MINIMAL_PATH)
    state, _ = begin_turn(scenario, initial_state(scenario, 1))
    values = list(state.values)
    values[scenario.names["escalation"].index] = 5
    from wargame.engine.events import Decision

    _, events = adjudicate(scenario, state.evolve(values=tuple(values)), {"blue": Decision("blue", "blue.provoke")})
    held = [e for e in events if e.kind == "effect" and e.data["target"] == "escalation"]
    assert held and held[0].data["before"] == held[0].data["after"] == 5
    assert "held at max 5" in held[0].text
