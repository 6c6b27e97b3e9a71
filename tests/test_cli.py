"""Every command through typer's CliRunner: what a person sees, and the exit status."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wargame import __version__
from wargame.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "scenarios" / "defining-roles.toml"
MINIMAL = ROOT / "tests" / "fixtures" / "minimal.toml"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"wargame {__version__}"


def test_help_lists_commands_and_exit_statuses(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("list", "show", "validate", "play"):
        assert command in result.stdout
    assert "130  interrupted" in result.stdout


def test_every_command_has_help_text(runner: CliRunner) -> None:
    for command in ("list", "show", "validate", "play"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, command
        assert "Usage:" in result.stdout


def test_unknown_command_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["fly"])
    assert result.exit_code == 2


def test_list_finds_the_flagship_from_any_folder(runner: CliRunner, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["list", "--json"])
    assert result.exit_code == 0
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    assert "defining-roles" in rows
    assert rows["defining-roles"]["turns"] >= 8
    assert {"us", "japan", "australia", "taiwan", "china", "philippines"} <= set(rows["defining-roles"]["nations"])


def test_list_includes_scenarios_in_the_current_folder(runner: CliRunner, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "scenarios").mkdir()
    shutil.copy(MINIMAL, tmp_path / "scenarios" / "minimal.toml")
    monkeypatch.chdir(tmp_path)
    table = runner.invoke(app, ["list"])
    assert table.exit_code == 0
    assert "minimal" in table.stdout and "defining-roles" in table.stdout
    rows = json.loads(runner.invoke(app, ["list", "--json"]).stdout)
    assert {"minimal", "defining-roles"} <= {row["id"] for row in rows}


def test_show_prints_nations_and_options(runner: CliRunner) -> None:
    result = runner.invoke(app, ["show", "defining-roles"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    for name in ("Japan", "Australia", "United States", "Taiwan", "China", "Philippines"):
        assert name in result.stdout


def test_show_json_is_the_validated_scenario(runner: CliRunner) -> None:
    result = runner.invoke(app, ["show", str(FLAGSHIP), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["id"] == "defining-roles"
    assert data["format"] == 1
    japan = next(n for n in data["nations"] if n["id"] == "japan")
    assert japan["non_combat"] is True
    assert all("from" in r for r in data["requests"])


def test_show_unknown_scenario_exits_3_with_a_hint(runner: CliRunner) -> None:
    result = runner.invoke(app, ["show", "defining-role"])
    assert result.exit_code == 3
    assert "defining-roles" in result.stderr
    assert result.stdout == ""


def test_validate_valid_files(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", str(FLAGSHIP), str(MINIMAL)])
    assert result.exit_code == 0
    assert "ok (defining-roles)" in result.stdout
    assert "ok (minimal)" in result.stdout


def _broken_copy(tmp_path: Path) -> Path:
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace('effects = ["escalation += 1"]', 'effects = ["escalaton += 1"]')
    text = text.replace('name = "Hold"\ncategory = "diplomacy"', 'name = "Hold"\ncatgory = "diplomacy"', 1)
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_validate_reports_every_problem_with_file_line_and_key(runner: CliRunner, tmp_path: Path) -> None:
    path = _broken_copy(tmp_path)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    lines = path.read_text(encoding="utf-8").splitlines()
    typo_line = next(i for i, line in enumerate(lines, start=1) if line.startswith("catgory"))
    assert f"{path}:{typo_line}: options[0].catgory: unknown key" in result.stderr
    assert "options[0].category: required key is missing" in result.stderr


def test_validate_reports_a_misspelt_track_in_an_expression(runner: CliRunner, tmp_path: Path) -> None:
    text = MINIMAL.read_text(encoding="utf-8").replace('effects = ["escalation += 1"]',
                                                       'effects = ["escalaton += 1"]')
    path = tmp_path / "typo.toml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if "escalaton" in row)
    assert f"{path}:{line}: options[2].effects[0]: unknown name 'escalaton'" in result.stderr
    assert "did you mean 'escalation'" in result.stderr


def test_validate_json_and_mixed_results(runner: CliRunner, tmp_path: Path) -> None:
    broken = _broken_copy(tmp_path)
    result = runner.invoke(app, ["validate", str(MINIMAL), str(broken), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [r["valid"] for r in data] == [True, False]
    assert any(p["key"] == "options[0].catgory" and p["line"] for p in data[1]["problems"])


def test_validate_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.toml")])
    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_play_auto_plays_a_whole_game(runner: CliRunner, tmp_path: Path) -> None:
    log = tmp_path / "game.jsonl"
    result = runner.invoke(app, ["play", "defining-roles", "--auto", "--seed", "7", "--log", str(log)],
                           env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.stderr
    assert "Defining Roles" in result.stdout
    end = json.loads(log.read_text(encoding="utf-8").splitlines()[-1])
    assert end["kind"] == "game_end"
    assert end["title"] in " ".join(result.stdout.split())  # the board names the outcome
    assert "\x1b" not in result.stdout  # not a terminal: no control codes


def test_play_auto_is_deterministic(runner: CliRunner) -> None:
    args = ["play", str(MINIMAL), "--auto", "--seed", "11"]
    first = runner.invoke(app, args, env={"COLUMNS": "100"})
    second = runner.invoke(app, args, env={"COLUMNS": "100"})
    assert first.exit_code == second.exit_code == 0
    # the record's path, said at the end, may be folded across lines: compare with every space taken out
    squeezed = ["".join(r.stdout.split()) for r in (first, second)]
    kept = [re.search(r"Therecordisin(\S+?\.jsonl)", text).group(1) for text in squeezed]  # type: ignore[union-attr]
    assert kept[0] != kept[1]  # each game its own record, even without --log
    words = [text.replace(path, "LOG") for text, path in zip(squeezed, kept, strict=True)]
    assert words[0] == words[1]


def test_play_log_is_json_lines_and_reproducible(runner: CliRunner, tmp_path: Path) -> None:
    logs = []
    for name in ("a.jsonl", "b.jsonl"):
        path = tmp_path / name
        result = runner.invoke(app, ["play", "defining-roles", "--auto", "--seed", "5", "--log", str(path)])
        assert result.exit_code == 0, result.stderr
        logs.append([json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()])
    first, second = logs
    head = first[0]
    assert head["record"] == "wargame-log" and head["format"] == 1
    assert head["scenario"] == "defining-roles" and head["seed"] == 5
    assert set(head["seats"].values()) == {"bot"}
    assert len(head["scenario_sha256"]) == 64
    assert first[-1]["kind"] == "game_end"
    assert sum(1 for e in first[1:] if e["kind"] == "turn_end") == first[-1]["turn"]
    for row in (first[0], second[0]):
        row.pop("started")
    assert first == second


def test_play_without_seats_and_without_a_terminal_exits_2(runner: CliRunner) -> None:
    result = runner.invoke(app, ["play", "defining-roles"], input="")
    assert result.exit_code == 2
    assert "--auto" in result.stderr and "--script" in result.stderr
    assert "Traceback" not in result.output


def test_play_human_seat_without_a_terminal_exits_2_before_writing_a_log(runner: CliRunner, tmp_path: Path) -> None:
    log = tmp_path / "game.jsonl"
    result = runner.invoke(app, ["play", "defining-roles", "--human", "japan", "--log", str(log)], input="1\n")
    assert result.exit_code == 2
    assert "Japan" in result.stderr
    assert not log.exists()


def test_play_unknown_nation_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["play", "defining-roles", "--human", "atlantis"])
    assert result.exit_code == 2
    assert "atlantis" in result.stderr and "japan" in result.stderr


def test_play_auto_with_human_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["play", "defining-roles", "--auto", "--human", "japan"])
    assert result.exit_code == 2


def test_play_unknown_scenario_exits_3(runner: CliRunner) -> None:
    result = runner.invoke(app, ["play", "no-such-crisis", "--auto"])
    assert result.exit_code == 3
    assert "no scenario 'no-such-crisis'" in result.stderr


def test_play_invalid_scenario_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["play", str(_broken_copy(tmp_path)), "--auto"])
    assert result.exit_code == 1
    assert "problems found" in result.stderr


def _script(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "decisions.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_play_script_supplies_decisions(runner: CliRunner, tmp_path: Path) -> None:
    script = _script(tmp_path, "# turn nation option\n"
                               "1 blue ask -- ask early\n2 blue hold\n3 blue blue.hold\n4 blue hold\n")
    log = tmp_path / "game.jsonl"
    result = runner.invoke(app, ["play", str(MINIMAL), "--script", str(script), "--seed", "1", "--log", str(log)])
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["seats"] == {"blue": "script", "green": "bot"}
    blue = [e for e in rows if e.get("kind") == "decision" and e["nation"] == "blue"]
    assert [e["option"] for e in blue] == ["blue.ask", "blue.hold", "blue.hold", "blue.hold"]
    assert all(e["by"] == "script" for e in blue)
    assert blue[0]["note"] == "ask early"


def test_the_computer_plays_the_turns_a_script_leaves_out(runner: CliRunner, tmp_path: Path) -> None:
    script = _script(tmp_path, "1 blue hold\n3 blue hold\n")
    log = tmp_path / "game.jsonl"
    result = runner.invoke(app, ["play", str(MINIMAL), "--script", str(script), "--seed", "1", "--log", str(log)])
    assert result.exit_code == 0, result.stderr
    blue = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    by = {e["turn"]: e["by"] for e in blue if e["kind"] == "decision" and e["nation"] == "blue"}
    assert by == {1: "script", 2: "bot", 3: "script", 4: "bot"}


def test_play_script_with_a_turn_outside_the_game_names_the_line(runner: CliRunner, tmp_path: Path) -> None:
    script = _script(tmp_path, "1 blue hold\n99 blue hold\n")
    result = runner.invoke(app, ["play", str(MINIMAL), "--script", str(script)])
    assert result.exit_code == 2
    assert f"{script}:2: turn 99 is outside 1..4" in result.stderr


def test_play_script_with_unknown_option_names_the_line(runner: CliRunner, tmp_path: Path) -> None:
    script = _script(tmp_path, "1 blue hold\n2 blue nuke\n")
    result = runner.invoke(app, ["play", str(MINIMAL), "--script", str(script)])
    assert result.exit_code == 2
    assert f"{script}:2: blue has no option 'nuke'" in result.stderr


def test_play_script_choosing_an_unavailable_option_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    # green.commit is a force commitment: not before the crisis is live (escalation >= 2)
    script = _script(tmp_path, "1 green commit\n")
    result = runner.invoke(app, ["play", str(MINIMAL), "--script", str(script), "--seed", "1"])
    assert result.exit_code == 1
    assert "only in real time" in result.stderr


def test_a_log_is_never_overwritten(runner: CliRunner, tmp_path: Path) -> None:
    log = tmp_path / "game.jsonl"
    first = runner.invoke(app, ["play", str(MINIMAL), "--auto", "--seed", "1", "--log", str(log)])
    assert first.exit_code == 0
    kept = log.read_bytes()
    again = runner.invoke(app, ["play", str(MINIMAL), "--auto", "--seed", "2", "--log", str(log)])
    assert again.exit_code == 2
    assert "already exists" in again.stderr and "wargame resume" in again.stderr
    assert log.read_bytes() == kept
    scenario_copy = tmp_path / "copy.toml"
    scenario_copy.write_bytes(MINIMAL.read_bytes())
    clobber = runner.invoke(app, ["play", str(scenario_copy), "--auto", "--log", str(scenario_copy)])
    assert clobber.exit_code == 2 and scenario_copy.read_bytes() == MINIMAL.read_bytes()


def test_several_delegations_need_a_screen(runner: CliRunner) -> None:
    result = runner.invoke(app, ["play", "defining-roles", "--human", "japan", "--human", "us"])
    assert result.exit_code == 2
    assert "standard input is not a terminal" in result.stderr or "sealed" in result.stderr


def test_resume_runs_the_table_as_recorded(runner: CliRunner, tmp_path: Path) -> None:
    log = tmp_path / "game.jsonl"
    assert runner.invoke(app, ["play", str(MINIMAL), "--auto", "--seed", "1", "--log", str(log)]).exit_code == 0
    lines = log.read_text(encoding="utf-8").splitlines()
    head = json.loads(lines[0]) | {"table": {"facilitator": True, "clock": 30}}
    cut = tmp_path / "cut.jsonl"
    cut.write_text("\n".join([json.dumps(head), *lines[1:4]]) + "\n", encoding="utf-8")
    kept = runner.invoke(app, ["resume", str(cut), "--scenario", str(MINIMAL)])
    assert kept.exit_code == 2 and "--facilitator" in kept.stderr  # the White cell needs its terminal
    handed_over = runner.invoke(app, ["resume", str(cut), "--auto", "--scenario", str(MINIMAL)])
    assert handed_over.exit_code == 0, handed_over.stderr


def test_every_command_is_documented_in_the_readme() -> None:
    import typer.main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    for name in commands:
        assert f"wargame {name}" in readme, f"README.md does not show `wargame {name}`"
