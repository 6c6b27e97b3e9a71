"""`replay`, `replay --verify`, `resume` and branching with `play --from`, through typer's CliRunner:
what a person sees, what lands in the log, and every exit status.

Each test works in its own folder holding copies of the scenarios in ./scenarios, so a game and
its replay see the same scenario bytes even while the shipped files are being edited.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from tests.conftest import FLAGSHIP_PATH, MINIMAL_PATH
from wargame.cli.app import app
from wargame.record.reader import read_record

FLAGSHIP_SEED = 3  # a bot-played flagship game long enough to cut after turn 3 and branch from


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with ./scenarios/defining-roles.toml and ./scenarios/minimal.toml; the current one."""
    (tmp_path / "scenarios").mkdir()
    shutil.copy(FLAGSHIP_PATH, tmp_path / "scenarios" / "defining-roles.toml")
    shutil.copy(MINIMAL_PATH, tmp_path / "scenarios" / "minimal.toml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(runner: CliRunner, *args: str, stdin: str | None = None) -> Result:
    return runner.invoke(app, list(args), input=stdin, env={"COLUMNS": "100"})


def play(runner: CliRunner, log: Path, scenario: str = "defining-roles", seed: int = FLAGSHIP_SEED,
         *extra: str) -> Path:
    result = invoke(runner, "play", scenario, "--auto", "--seed", str(seed), "--log", str(log), *extra)
    assert result.exit_code == 0, result.stderr
    return log


def rows_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_rows(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def shown_turns(stdout: str) -> list[int]:
    """The turns whose board was printed: each board's title says `— turn N of M`."""
    return [int(n) for n in re.findall(r"— turn (\d+) of \d+", stdout)]


@pytest.fixture
def game(runner: CliRunner, work: Path) -> Path:
    """A finished bot-played flagship game's log."""
    log = play(runner, work / "game.jsonl")
    assert len(read_record(log).turns) >= 5, "pick a seed whose game lasts at least five turns"
    return log


# ---------------------------------------------------------------- replay


def test_replay_prints_every_turn_without_a_terminal(runner: CliRunner, game: Path) -> None:
    result = invoke(runner, "replay", str(game))
    assert result.exit_code == 0, result.stderr
    assert shown_turns(result.stdout) == list(range(1, len(read_record(game).turns) + 1))
    assert "\x1b" not in result.stdout
    assert result.stderr == ""


def test_replay_step_without_a_terminal_prints_every_turn(runner: CliRunner, game: Path) -> None:
    result = invoke(runner, "replay", str(game), "--step", stdin="")
    assert result.exit_code == 0, result.stderr
    assert shown_turns(result.stdout) == list(range(1, len(read_record(game).turns) + 1))
    assert result.stdout == invoke(runner, "replay", str(game)).stdout


def test_replay_turn_shows_only_that_turn(runner: CliRunner, game: Path) -> None:
    for turn in (1, 3, len(read_record(game).turns)):
        result = invoke(runner, "replay", str(game), "--turn", str(turn))
        assert result.exit_code == 0, result.stderr
        assert shown_turns(result.stdout) == [turn]


@pytest.mark.parametrize("turn", ["0", "-1", "99"])
def test_replay_turn_out_of_range_exits_2(runner: CliRunner, game: Path, turn: str) -> None:
    result = invoke(runner, "replay", str(game), "--turn", turn)
    assert result.exit_code == 2
    assert f"--turn {turn}" in result.stderr and "has turns 1 to" in result.stderr
    assert result.stdout == ""


def test_replay_json_gives_every_turn_with_its_state(runner: CliRunner, game: Path) -> None:
    record = read_record(game)
    result = invoke(runner, "replay", str(game), "--json")
    assert result.exit_code == 0, result.stderr
    turns = json.loads(result.stdout)
    assert [t["turn"] for t in turns] == list(range(1, len(record.turns) + 1))
    for shown, recorded in zip(turns, record.turns, strict=True):
        assert set(shown) >= {"turn", "label", "digest", "state", "events"}
        assert shown["digest"] == recorded.digest
        assert shown["state"]["turn"] == shown["turn"]
        canonical = json.dumps(shown["state"], sort_keys=True, separators=(",", ":"))
        assert hashlib.sha256(canonical.encode()).hexdigest()[:16] == shown["digest"]  # the state is the digested one
        assert shown["events"] == [e.to_dict() for e in recorded.events]
        assert shown["events"][0] == {"kind": "turn_start", "turn": shown["turn"], "label": shown["label"],
                                      "text": f"{shown['label']} begins"}
    assert turns[-1]["events"][-1]["kind"] == "game_end"
    assert turns[-1]["state"]["ended"] is True


def test_replay_json_of_one_turn(runner: CliRunner, game: Path) -> None:
    result = invoke(runner, "replay", str(game), "--json", "--turn", "2")
    assert result.exit_code == 0, result.stderr
    assert [t["turn"] for t in json.loads(result.stdout)] == [2]


def test_replay_of_a_torn_record_notes_what_was_left_off(runner: CliRunner, game: Path) -> None:
    data = game.read_bytes()
    game.write_bytes(data[:read_record(game).turns[1].end_offset + 25])
    result = invoke(runner, "replay", str(game))
    assert result.exit_code == 0, result.stderr
    assert shown_turns(result.stdout) == [1, 2]
    assert "left off" in result.stderr and "torn last line" in result.stderr


def test_replay_of_a_record_without_a_whole_turn_is_a_damaged_log_exit_1(runner: CliRunner, game: Path) -> None:
    game.write_bytes(game.read_bytes()[:read_record(game).header_end])
    result = invoke(runner, "replay", str(game))
    assert result.exit_code == 1  # README: 1 for a damaged log
    assert "no whole turn" in result.stderr


def test_replay_of_a_tampered_record_shows_the_turns_before_and_exits_1(runner: CliRunner, game: Path) -> None:
    rows = rows_of(game)
    end = next(r for r in rows if r.get("kind") == "turn_end" and r["turn"] == 3)
    end["digest"] = "0" * 16
    write_rows(game, rows)
    result = invoke(runner, "replay", str(game))
    assert result.exit_code == 1
    assert shown_turns(result.stdout)[:2] == [1, 2] and max(shown_turns(result.stdout)) <= 3
    assert "turn 3" in result.stderr and "later turns are not shown" in result.stderr


def test_replay_json_of_a_record_missing_its_last_turn_end_exits_1(runner: CliRunner, game: Path) -> None:
    rows = rows_of(game)
    last_end = max(i for i, r in enumerate(rows) if r.get("kind") == "turn_end")
    write_rows(game, rows[:last_end] + rows[last_end + 1:])
    assert invoke(runner, "replay", str(game), "--verify").exit_code == 1  # verify copes
    result = invoke(runner, "replay", str(game), "--json")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1
    assert f"turn {rows[last_end]['turn']}" in result.stderr


def test_replay_missing_file_exits_3(runner: CliRunner, work: Path) -> None:
    for args in (["replay", "nope.jsonl"], ["replay", "nope.jsonl", "--verify"]):
        result = invoke(runner, *args)
        assert result.exit_code == 3
        assert "nope.jsonl: no such file" in result.stderr
        assert "Traceback" not in result.output


def test_replay_of_a_damaged_record_exits_1_naming_the_line(runner: CliRunner, game: Path) -> None:
    lines = game.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[5] = lines[5][:30] + "\n"
    game.write_text("".join(lines), encoding="utf-8")
    for extra in ([], ["--verify"]):
        result = invoke(runner, "replay", str(game), *extra)
        assert result.exit_code == 1
        assert f"{game}:6: damaged line" in result.stderr
        assert "Traceback" not in result.output


def test_replay_of_something_that_is_not_a_log_exits_1(runner: CliRunner, work: Path) -> None:
    result = invoke(runner, "replay", "scenarios/minimal.toml")
    assert result.exit_code == 1
    assert "not a readable wargame log" in result.stderr
    (work / "empty.jsonl").write_bytes(b"")
    result = invoke(runner, "replay", "empty.jsonl", "--verify")
    assert result.exit_code == 1
    assert "empty file" in result.stderr


def test_replay_of_a_newer_record_format_exits_1_saying_so(runner: CliRunner, game: Path) -> None:
    rows = rows_of(game)
    rows[0]["format"] = 2
    write_rows(game, rows)
    for extra in ([], ["--verify"]):
        result = invoke(runner, "replay", str(game), *extra)
        assert result.exit_code == 1
        assert "record format 2 is newer" in result.stderr and "upgrade" in result.stderr


# ---------------------------------------------------------------- replay --verify


def test_verify_a_genuine_record(runner: CliRunner, game: Path) -> None:
    record = read_record(game)
    result = invoke(runner, "replay", str(game), "--verify")
    assert result.exit_code == 0, result.stderr
    assert "genuine" in result.stdout
    assert f"{len(record.turns)} turn(s), {sum(len(t.events) for t in record.turns)} events" in result.stdout
    assert "finished game" in result.stdout


def test_verify_json_of_a_genuine_record(runner: CliRunner, game: Path) -> None:
    record = read_record(game)
    result = invoke(runner, "replay", str(game), "--verify", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"log": str(game), "genuine": True, "turns": len(record.turns),
                                         "events": sum(len(t.events) for t in record.turns), "finished": True}


def _tamper_decision(game: Path, turn: int) -> None:
    rows = rows_of(game)
    decision = next(r for r in rows if r.get("kind") == "decision" and r["turn"] == turn)
    decision["option"] = decision["option"] + "x"
    write_rows(game, rows)


def test_verify_a_tampered_record_exits_1_naming_the_turn(runner: CliRunner, game: Path) -> None:
    _tamper_decision(game, 2)
    result = invoke(runner, "replay", str(game), "--verify")
    assert result.exit_code == 1
    assert f"{game}: not genuine: it diverges at turn 2:" in result.stderr
    assert "genuine" not in result.stdout


def test_verify_json_of_a_tampered_record(runner: CliRunner, game: Path) -> None:
    rows = rows_of(game)
    effects = [r for r in rows if r.get("kind") == "effect"]
    rows.remove(effects[-1])
    write_rows(game, rows)
    result = invoke(runner, "replay", str(game), "--verify", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["genuine"] is False
    assert report["diverges_at"] == effects[-1]["turn"]
    assert report["turns"] == effects[-1]["turn"] - 1  # the turns before it checked out
    assert report["difference"]


def test_verify_a_changed_digest(runner: CliRunner, game: Path) -> None:
    rows = rows_of(game)
    next(r for r in rows if r.get("kind") == "turn_end" and r["turn"] == 4)["digest"] = "feedfacefeedface"
    write_rows(game, rows)
    result = invoke(runner, "replay", str(game), "--verify")
    assert result.exit_code == 1
    assert "diverges at turn 4" in result.stderr
    assert "digest" in result.stderr and "feedfacefeedface" in result.stderr


def test_verify_a_changed_seed(runner: CliRunner, game: Path) -> None:
    rows = rows_of(game)
    rows[0]["seed"] += 1
    write_rows(game, rows)
    result = invoke(runner, "replay", str(game), "--verify")
    assert result.exit_code == 1
    assert "diverges at turn 1" in result.stderr


def test_verify_an_unfinished_record(runner: CliRunner, game: Path) -> None:
    game.write_bytes(game.read_bytes()[:read_record(game).turns[2].end_offset + 10])
    result = invoke(runner, "replay", str(game), "--verify")
    assert result.exit_code == 0, result.stderr
    assert "3 turn(s)" in result.stdout and "unfinished game" in result.stdout
    assert "left off" in result.stderr


@pytest.fixture
def minimal_game(runner: CliRunner, work: Path) -> tuple[Path, Path]:
    """A game of ./scenarios/minimal.toml, then that file edited (an effect changed); the log and
    an untouched copy of the scenario it was played with."""
    script = work / "decisions.txt"
    script.write_text("1 blue hold\n2 blue provoke\n3 blue hold\n4 blue hold\n", encoding="utf-8")
    log = work / "minimal.jsonl"
    result = invoke(runner, "play", "minimal", "--script", str(script), "--seed", "2", "--log", str(log))
    assert result.exit_code == 0, result.stderr
    original = work / "original" / "minimal.toml"
    original.parent.mkdir()
    shutil.copy(work / "scenarios" / "minimal.toml", original)
    local = work / "scenarios" / "minimal.toml"
    text = local.read_text(encoding="utf-8")
    assert text.count('effects = ["escalation += 1"]') == 1
    local.write_text(text.replace('effects = ["escalation += 1"]', 'effects = ["escalation += 2"]'), encoding="utf-8")
    return log, original


def test_verify_with_a_changed_scenario_says_so_plainly(runner: CliRunner, minimal_game: tuple[Path, Path]) -> None:
    log, _ = minimal_game
    result = invoke(runner, "replay", str(log), "--verify")
    assert result.exit_code != 0
    assert "has changed since this game was played" in result.stderr
    assert "--scenario" in result.stderr
    assert "Traceback" not in result.output


def test_verify_with_the_original_scenario_copy_is_genuine(runner: CliRunner,
                                                           minimal_game: tuple[Path, Path]) -> None:
    log, original = minimal_game
    result = invoke(runner, "replay", str(log), "--verify", "--scenario", str(original))
    assert result.exit_code == 0, result.stderr
    assert "genuine" in result.stdout


def test_verify_with_a_scenario_of_another_id_exits_1(runner: CliRunner, game: Path, work: Path) -> None:
    result = invoke(runner, "replay", str(game), "--verify", "--scenario", "scenarios/minimal.toml")
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_verify_with_a_scenario_of_another_id_names_both(runner: CliRunner, game: Path, work: Path) -> None:
    result = invoke(runner, "replay", str(game), "--verify", "--scenario", "scenarios/minimal.toml")
    assert "of scenario 'defining-roles', not 'minimal'" in result.stderr, result.stderr


def test_replay_with_a_changed_scenario_warns_and_stops_where_it_differs(
        runner: CliRunner, minimal_game: tuple[Path, Path]) -> None:
    log, original = minimal_game
    result = invoke(runner, "replay", str(log))
    assert "has changed since this game was played" in result.stderr
    assert result.exit_code == 1  # blue provoked in turn 2: the edited effect shows there
    assert shown_turns(result.stdout)[:1] == [1] and max(shown_turns(result.stdout)) <= 2
    assert "turn 2" in result.stderr
    assert invoke(runner, "replay", str(log), "--scenario", str(original)).exit_code == 0


# ---------------------------------------------------------------- resume


def _cut(log: Path, whole_turns: int, extra: float = 0.5) -> Path:
    """The log as a crash would leave it: its header, `whole_turns` whole turns, and `extra` of the
    next line."""
    data = log.read_bytes()
    end = read_record(log).turns[whole_turns - 1].end_offset if whole_turns else read_record(log).header_end
    line = data[end:data.index(b"\n", end) + 1]
    cut = log.with_name("cut-" + log.name)
    cut.write_bytes(data[:end + int(len(line) * extra)])
    return cut


def test_resume_a_cut_log_finishes_the_same_game(runner: CliRunner, game: Path) -> None:
    cut = _cut(game, 3)
    record = read_record(cut)
    assert len(record.turns) == 3 and record.dropped
    result = invoke(runner, "resume", str(cut), "--auto")
    assert result.exit_code == 0, result.stderr
    assert "dropped" in result.stderr and "line" in result.stderr
    assert "after turn 3" in result.stdout
    assert shown_turns(result.stdout)[0] == 4
    verified = invoke(runner, "replay", str(cut), "--verify")
    assert verified.exit_code == 0, verified.stderr
    assert "finished game" in verified.stdout
    assert cut.read_bytes() == game.read_bytes()  # header (its `started` too) and every event line


def test_resume_equals_a_fresh_uninterrupted_game(runner: CliRunner, game: Path, work: Path) -> None:
    cut = _cut(game, 2, extra=0.9)
    assert invoke(runner, "resume", str(cut)).exit_code == 0  # seats from the record: all bots
    fresh = rows_of(play(runner, work / "fresh.jsonl"))
    resumed = rows_of(cut)
    for head in (fresh[0], resumed[0]):
        head.pop("started")
    assert resumed == fresh


def test_resume_at_a_turn_boundary_drops_nothing(runner: CliRunner, game: Path) -> None:
    cut = _cut(game, 4, extra=0)
    result = invoke(runner, "resume", str(cut), "--auto")
    assert result.exit_code == 0, result.stderr
    assert "dropped" not in result.stderr
    assert cut.read_bytes() == game.read_bytes()


def test_resume_a_log_with_only_its_header(runner: CliRunner, game: Path) -> None:
    cut = _cut(game, 0)
    result = invoke(runner, "resume", str(cut), "--auto")
    assert result.exit_code == 0, result.stderr
    assert cut.read_bytes() == game.read_bytes()


def test_resume_a_finished_game_exits_2(runner: CliRunner, game: Path) -> None:
    before = game.read_bytes()
    result = invoke(runner, "resume", str(game), "--auto")
    assert result.exit_code == 2
    assert "the game is over" in result.stderr
    assert game.read_bytes() == before


def test_resume_with_human_seats_without_a_terminal_exits_2(runner: CliRunner, game: Path) -> None:
    cut = _cut(game, 3)
    rows = rows_of(game)
    rows[0]["seats"]["japan"] = "human"
    head = json.dumps(rows[0], ensure_ascii=False).encode() + b"\n"
    data = cut.read_bytes()
    cut.write_bytes(head + data[data.index(b"\n") + 1:])
    before = cut.read_bytes()
    result = invoke(runner, "resume", str(cut), stdin="1\n")
    assert result.exit_code == 2
    assert "Japan" in result.stderr and "not a terminal" in result.stderr
    assert cut.read_bytes() == before  # nothing cut off, nothing appended

    asked = invoke(runner, "resume", str(cut), "--human", "australia", stdin="1\n")
    assert asked.exit_code == 2
    assert "Australia" in asked.stderr
    assert cut.read_bytes() == before


def test_resume_auto_with_human_exits_2(runner: CliRunner, game: Path) -> None:
    result = invoke(runner, "resume", str(_cut(game, 3)), "--auto", "--human", "japan")
    assert result.exit_code == 2


def test_resume_a_scripted_game_needs_seats(runner: CliRunner, minimal_game: tuple[Path, Path]) -> None:
    log, original = minimal_game
    cut = _cut(log, 2)
    result = invoke(runner, "resume", str(cut), "--scenario", str(original))
    assert result.exit_code == 2
    assert "script" in result.stderr and "--auto" in result.stderr
    resumed = invoke(runner, "resume", str(cut), "--auto", "--scenario", str(original))
    assert resumed.exit_code == 0, resumed.stderr
    assert invoke(runner, "replay", str(cut), "--verify", "--scenario", str(original)).exit_code == 0


def test_resume_with_a_changed_scenario_is_refused(runner: CliRunner, minimal_game: tuple[Path, Path]) -> None:
    log, _ = minimal_game
    cut = _cut(log, 2)
    before = cut.read_bytes()
    result = invoke(runner, "resume", str(cut), "--auto")
    assert result.exit_code != 0
    assert "has changed" in result.stderr
    assert cut.read_bytes() == before


def test_resume_a_tampered_log_exits_1(runner: CliRunner, game: Path) -> None:
    cut = _cut(game, 3, extra=0)
    _tamper_decision(cut, 2)
    before = cut.read_bytes()
    result = invoke(runner, "resume", str(cut), "--auto")
    assert result.exit_code == 1
    assert "turn 2" in result.stderr and "--verify" in result.stderr
    assert cut.read_bytes() == before


def test_resume_missing_file_exits_3(runner: CliRunner, work: Path) -> None:
    result = invoke(runner, "resume", "nope.jsonl", "--auto")
    assert result.exit_code == 3
    assert "nope.jsonl: no such file" in result.stderr
    assert not (work / "nope.jsonl").exists()


# ---------------------------------------------------------------- branching: play --from LOG --turn N


def test_branch_repeats_the_parent_through_the_turn(runner: CliRunner, game: Path, work: Path) -> None:
    new = work / "branch.jsonl"
    result = invoke(runner, "play", "defining-roles", "--from", str(game), "--turn", "3", "--auto",
                    "--log", str(new))
    assert result.exit_code == 0, result.stderr
    parent, child = rows_of(game), rows_of(new)
    assert child[0]["parent"] == {"log": str(game), "sha256": hashlib.sha256(game.read_bytes()).hexdigest(),
                                  "turn": 3}
    assert child[0]["seed"] == parent[0]["seed"]
    assert child[0]["scenario"] == parent[0]["scenario"]
    through = read_record(game).turns[2].end_offset
    upto = len(game.read_bytes()[:through].splitlines())
    assert child[1:upto] == parent[1:upto]
    assert child[upto]["turn"] == 4
    assert read_record(new).finished
    verified = invoke(runner, "replay", str(new), "--verify")
    assert verified.exit_code == 0, verified.stderr


def test_branch_from_turn_0_is_a_new_game_with_the_parent_seed(runner: CliRunner, game: Path, work: Path) -> None:
    new = work / "branch.jsonl"
    result = invoke(runner, "play", "defining-roles", "--from", str(game), "--turn", "0", "--auto", "--log", str(new))
    assert result.exit_code == 0, result.stderr
    assert rows_of(new)[1:] == rows_of(game)[1:]  # bots decide as they did


def test_branch_needs_both_from_and_turn(runner: CliRunner, game: Path) -> None:
    for args in (["--from", str(game)], ["--turn", "3"]):
        result = invoke(runner, "play", "defining-roles", "--auto", *args)
        assert result.exit_code == 2
        assert "--from LOG and --turn N" in result.stderr


def test_branch_beyond_the_record_exits_2(runner: CliRunner, game: Path, work: Path) -> None:
    turns = len(read_record(game).turns)
    for turn in (str(turns + 1), str(turns), "-1"):  # past the end, at the end of a finished game, negative
        result = invoke(runner, "play", "defining-roles", "--from", str(game), "--turn", turn, "--auto",
                        "--log", str(work / "branch.jsonl"))
        assert result.exit_code == 2, turn
        assert f"--turn {turn}" in result.stderr
        assert not (work / "branch.jsonl").exists()


def test_branch_with_a_seed_exits_2(runner: CliRunner, game: Path) -> None:
    result = invoke(runner, "play", "defining-roles", "--from", str(game), "--turn", "3", "--seed", "5", "--auto")
    assert result.exit_code == 2
    assert "--seed" in result.stderr


def test_branch_from_a_log_of_another_scenario_exits_2(runner: CliRunner, game: Path, work: Path) -> None:
    result = invoke(runner, "play", "minimal", "--from", str(game), "--turn", "1", "--auto",
                    "--log", str(work / "branch.jsonl"))
    assert result.exit_code == 2
    assert "'defining-roles', not 'minimal'" in result.stderr
    assert not (work / "branch.jsonl").exists()


def test_branch_from_a_missing_log_exits_3(runner: CliRunner, work: Path) -> None:
    result = invoke(runner, "play", "defining-roles", "--from", "nope.jsonl", "--turn", "1", "--auto")
    assert result.exit_code == 3
    assert "nope.jsonl: no such file" in result.stderr


def test_branch_with_a_changed_scenario_is_refused(runner: CliRunner, minimal_game: tuple[Path, Path]) -> None:
    log, original = minimal_game
    result = invoke(runner, "play", "minimal", "--from", str(log), "--turn", "1", "--auto")
    assert result.exit_code != 0
    assert "has changed" in result.stderr
    branched = invoke(runner, "play", str(original), "--from", str(log), "--turn", "1", "--auto")
    assert branched.exit_code == 0, branched.stderr


def test_branch_from_a_tampered_log_is_refused(runner: CliRunner, game: Path, work: Path) -> None:
    _tamper_decision(game, 2)
    result = invoke(runner, "play", "defining-roles", "--from", str(game), "--turn", "3", "--auto",
                    "--log", str(work / "branch.jsonl"))
    assert result.exit_code == 1
    assert "does not replay" in result.stderr and "turn 2" in result.stderr
    assert not (work / "branch.jsonl").exists()
