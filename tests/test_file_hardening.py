"""Files as users' machines really have them (issue 7, faults 4, 5, 6, 7, 9, 10, 12): one test
per kind of fault, each asserting the right value.

Processes that could hang or must race are real `python -m wargame` processes with a timeout.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FLAGSHIP_PATH, MINIMAL_PATH, ROOT
from wargame import jsontext
from wargame.cli.app import app
from wargame.engine.rng import SEED_MAX
from wargame.engine.rules import begin_turn
from wargame.engine.state import initial_state
from wargame.errors import RecordError, ScenarioError
from wargame.record import reader
from wargame.record.reader import parse_record, read_record
from wargame.scenario.loader import MAX_BYTES, load

MINIMAL = MINIMAL_PATH.read_text(encoding="utf-8")
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, flock and ptys are POSIX")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env["COLUMNS"] = "100"
    return env


def wargame(*args: str, cwd: Path, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """A real wargame process; a hang fails the test (TimeoutExpired) instead of stalling it."""
    return subprocess.run([sys.executable, "-m", "wargame", *args], cwd=cwd, env=_env(), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)


def _game(tmp_path: Path, seed: int = 5) -> Path:
    log = tmp_path / "game.jsonl"
    result = CliRunner().invoke(app, ["play", str(MINIMAL_PATH), "--auto", "--seed", str(seed), "--log", str(log)])
    assert result.exit_code == 0, result.stderr
    return log


# ---------------------------------------------------------------- fault 9: not a regular file


@POSIX
def test_no_fifo_or_device_makes_wargame_wait(tmp_path: Path) -> None:
    """Scenarios (by id and by path), records, scripts, --scenario and -o: each refused at once."""
    (tmp_path / "scenarios").mkdir()
    shutil.copy(MINIMAL_PATH, tmp_path / "scenarios" / "minimal.toml")
    os.mkfifo(tmp_path / "scenarios" / "x.toml")
    for name in ("f.jsonl", "s.txt", "out.md"):
        os.mkfifo(tmp_path / name)
    log = _game(tmp_path)

    listed = wargame("list", cwd=tmp_path)
    assert listed.returncode == 0 and "minimal" in listed.stdout
    assert "x.toml is skipped: not a regular file (a named pipe)" in listed.stderr
    assert wargame("play", "minimal", "--auto", "--seed", "1", cwd=tmp_path).returncode == 0  # by id
    cases = [
        (("validate", "scenarios/x.toml"), 1),
        (("show", "x"), 3),
        (("replay", "f.jsonl"), 3),
        (("replay", str(log), "--scenario", "scenarios/x.toml"), 3),
        (("play", "minimal", "--script", "s.txt"), 3),
        (("report", str(log), "-o", "out.md"), 3),
        (("replay", "/dev/zero"), 3),
    ]
    for args, status in cases:
        result = wargame(*args, cwd=tmp_path)
        assert result.returncode == status, (args, result.stderr)
        assert "not a regular file" in result.stderr, (args, result.stderr)


def test_a_lookup_by_id_opens_the_file_of_that_name_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "scenarios").mkdir()
    shutil.copy(MINIMAL_PATH, tmp_path / "scenarios" / "minimal.toml")
    (tmp_path / "scenarios" / "other.toml").write_text("not = [toml", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    opened: list[str] = []
    real = os.open

    def spy(path: str | Path, *args: int) -> int:
        opened.append(Path(path).name)
        return real(path, *args)

    monkeypatch.setattr(os, "open", spy)
    from wargame.scenario.catalog import find_scenario

    assert find_scenario("minimal") == tmp_path / "scenarios" / "minimal.toml"
    assert "other.toml" not in opened


# ---------------------------------------------------------------- fault 5: BOM and line endings


def test_a_scenario_has_one_identity_whatever_the_editor_did(tmp_path: Path) -> None:
    lf = MINIMAL.encode("utf-8")
    variants = {"lf": lf, "crlf": lf.replace(b"\n", b"\r\n"), "bom": b"\xef\xbb\xbf" + lf,
                "bom-crlf": b"\xef\xbb\xbf" + lf.replace(b"\n", b"\r\n")}
    shas = set()
    for name, data in variants.items():
        path = tmp_path / f"{name}.toml"
        path.write_bytes(data)
        shas.add(load(path).sha256)
    # the hash is of the LF file's bytes: golden records and every record written so far keep theirs
    assert shas == {hashlib.sha256(lf).hexdigest()}
    assert load(FLAGSHIP_PATH).sha256 == hashlib.sha256(FLAGSHIP_PATH.read_bytes()).hexdigest()


def test_a_game_played_on_lf_verifies_against_a_crlf_checkout(tmp_path: Path) -> None:
    log = _game(tmp_path)
    crlf = tmp_path / "crlf.toml"
    crlf.write_bytes(b"\xef\xbb\xbf" + MINIMAL_PATH.read_bytes().replace(b"\n", b"\r\n"))
    result = CliRunner().invoke(app, ["replay", str(log), "--verify", "--scenario", str(crlf)])
    assert result.exit_code == 0 and "genuine" in result.stdout, result.stderr


def test_a_record_and_a_script_saved_with_a_bom_read(tmp_path: Path) -> None:
    log = _game(tmp_path)
    log.write_bytes(b"\xef\xbb\xbf" + log.read_bytes())
    assert read_record(log).finished
    script = tmp_path / "s.txt"
    script.write_bytes(b"\xef\xbb\xbf1 blue provoke\r\n")
    result = CliRunner().invoke(app, ["play", str(MINIMAL_PATH), "--script", str(script), "--seed", "3"])
    assert result.exit_code == 0, result.stderr


# ---------------------------------------------------------------- fault 6: seeds


@pytest.mark.parametrize("seed", [str(2**64), str(2**64 + 5), "-1", str(SEED_MAX + 1)])
def test_a_seed_outside_the_range_is_a_usage_error_naming_it(seed: str) -> None:
    result = CliRunner().invoke(app, ["play", str(MINIMAL_PATH), "--auto", "--seed", seed])
    assert result.exit_code == 2
    assert f"from 0 to {SEED_MAX} (2^53 - 1)" in result.stderr


def test_the_largest_seed_plays(tmp_path: Path) -> None:
    assert read_record(_game(tmp_path, SEED_MAX)).seed == SEED_MAX


def test_a_record_header_seed_outside_the_range_is_refused(tmp_path: Path) -> None:
    log = _game(tmp_path)
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    head = json.loads(lines[0])
    head["seed"] = 2**64 + 5  # the same game as seed 5 under modulo 2^64, were it taken
    log.write_text(json.dumps(head) + "\n" + "".join(lines[1:]), encoding="utf-8")
    result = CliRunner().invoke(app, ["replay", str(log), "--verify"])
    assert result.exit_code == 1
    assert f"game.jsonl:1: the header's seed {2**64 + 5} is outside the range" in result.stderr


# ---------------------------------------------------------------- fault 7: messages


def _problems(tmp_path: Path, old: str, new: str) -> list[str]:
    path = tmp_path / "s.toml"
    path.write_text(MINIMAL.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load(path)
    return [str(p) for p in caught.value.problems]


def test_a_union_type_error_is_one_line_in_the_formats_words(tmp_path: Path) -> None:
    assert [p.split("/")[-1] for p in _problems(tmp_path, "chance = 0.5", "chance = true")] == [
        's.toml:93: options[2].chance: must be a number from 0 to 1, or an expression in quotes '
        '("0.1 * japan.support"), not true']


def test_an_id_message_states_the_real_rule(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path, 'id = "blue"', 'id = "blu-e"')
    assert problem.split("/")[-1] == (
        "s.toml:58: nations[0].id: 'blu-e' is not an id: an id is lowercase letters, digits and _ "
        "(no '-', no '.'), starting with a lowercase letter ('blu_e' would do)")


def test_a_record_of_a_scenario_file_names_scenario_option(tmp_path: Path) -> None:
    copy = tmp_path / "mine.toml"
    copy.write_text(MINIMAL.replace('id = "minimal"', 'id = "mine"', 1), encoding="utf-8")
    log = tmp_path / "g.jsonl"
    assert CliRunner().invoke(app, ["play", str(copy), "--auto", "--log", str(log)]).exit_code == 0
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(log.read_bytes()[:read_record(log).header_end])
    for command in (["replay", str(log)], ["report", str(log)], ["resume", str(cut), "--auto"],
                    ["replay", str(log), "--verify"]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 3, command
        assert "played with scenario 'mine'" in result.stderr and "--scenario PATH" in result.stderr


def test_a_scripted_move_the_rules_refuse_names_file_line_and_turn(tmp_path: Path) -> None:
    script = tmp_path / "plan.txt"
    script.write_text("# the request can be made once\n1 blue ask\n2 blue ask\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["play", str(MINIMAL_PATH), "--script", str(script), "--seed", "1"])
    assert result.exit_code == 1
    assert f"{script}:3: turn 2: Blue cannot choose 'Ask Green to define a role' (blue.ask) now: " \
           "only once a game, already done" in result.stderr


# ---------------------------------------------------------------- fault 10: round trips


def test_a_small_chance_written_as_a_number_is_taken_as_written(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(MINIMAL.replace("chance = 0.5", "chance = 0.00001"), encoding="utf-8")
    option = load(path).options["blue.provoke"]
    assert option.chance.evaluate([]) == 0.00001


OVERFLOW = " * ".join(["1000000000"] * 35)  # 10^315: past the largest float


@pytest.mark.parametrize(("chance", "rolled"), [(f"({OVERFLOW}) - ({OVERFLOW})", 0.0), (f"{OVERFLOW}", None),
                                                (f"0 - {OVERFLOW}", 0.0)])
def test_an_expression_that_overflows_never_writes_nan(tmp_path: Path, chance: str, rolled: float | None) -> None:
    path = tmp_path / "s.toml"
    inject = f'\n[[injects]]\nid = "boom"\ntitle = "Boom"\nturn = 1\nchance = "{chance}"\n'
    path.write_text(MINIMAL + inject, encoding="utf-8")
    scenario = load(path)
    _, events = begin_turn(scenario, initial_state(scenario, 1))
    chances = [e.data["chance"] for e in events if e.kind == "chance"]
    assert chances == ([] if rolled is None else [rolled])  # inf is certain (no roll), NaN is no chance
    for event in events:
        jsontext.loads(jsontext.dumps(event.to_dict()))


def test_a_record_is_strict_json_and_nan_is_refused(tmp_path: Path) -> None:
    log = _game(tmp_path)
    for line in log.read_text(encoding="utf-8").splitlines():
        jsontext.loads(line)
    with pytest.raises(ValueError):
        jsontext.dumps({"chance": float("nan")})
    lines = log.read_bytes().splitlines(keepends=True)
    chance_line = 1  # the first event, given a value Python's json would write for a NaN
    lines[chance_line] = lines[chance_line].rstrip().removesuffix(b"}") + b', "chance": NaN}\n'
    assert json.loads(lines[chance_line])  # Python's own reader takes it; other readers would not
    with pytest.raises(RecordError, match=f":{chance_line + 1}: damaged line"):
        parse_record(b"".join(lines), "g.jsonl")


# ---------------------------------------------------------------- fault 12: limits


def test_an_oversized_scenario_is_refused_with_its_real_size(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_bytes(MINIMAL.encode() + b"#" * 2_900_000 + b"\n")
    size = path.stat().st_size
    with pytest.raises(ScenarioError) as caught:
        load(path)
    assert caught.value.problems[0].message.startswith(f"file is {size:,} bytes; a scenario may be at most "
                                                       f"{MAX_BYTES:,} bytes")


def test_an_oversized_record_is_refused_before_it_is_read(tmp_path: Path) -> None:
    log = _game(tmp_path)
    with log.open("r+b") as file:
        file.truncate(reader.MAX_RECORD + 1)  # sparse: nothing is written, nothing need be read
    started = time.process_time()
    with pytest.raises(RecordError, match=f"the file is {reader.MAX_RECORD + 1:,} bytes; a game log may be at most"):
        read_record(log)
    assert time.process_time() - started < 1


def test_a_record_of_too_many_lines_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = _game(tmp_path)
    count = len(log.read_bytes().splitlines())
    monkeypatch.setattr(reader, "MAX_LINES", count - 1)
    with pytest.raises(RecordError, match=f"more than {count - 1:,} lines"):
        read_record(log)
    monkeypatch.setattr(reader, "MAX_LINES", count)
    assert read_record(log).finished


# ---------------------------------------------------------------- fault 4: one writer per record


@POSIX
def test_a_second_writer_is_refused_while_a_game_is_being_played(tmp_path: Path) -> None:
    """Two real processes: a game at the keyboard holding its record, and a resume of the same
    record (then a branch writing to it) refused at once; readers keep working."""
    pexpect = pytest.importorskip("pexpect")
    log = tmp_path / "game.jsonl"
    first = pexpect.spawn(sys.executable, ["-m", "wargame", "play", str(MINIMAL_PATH), "--plain", "--human", "blue",
                                           "--seed", "4", "--log", str(log)],
                          cwd=str(tmp_path), env=_env(), timeout=30, dimensions=(50, 100))
    try:
        first.expect("your choice")  # the game waits for Blue with its record open
        before = log.read_bytes()
        second = wargame("resume", str(log), "--auto", "--scenario", str(MINIMAL_PATH), cwd=tmp_path)
        assert second.returncode == 2
        assert "is in use: another wargame process is writing this game now" in second.stderr
        branch = wargame("play", str(MINIMAL_PATH), "--auto", "--from", str(log), "--turn", "0", "--log", str(log),
                         cwd=tmp_path)
        assert branch.returncode == 2 and "already exists" in branch.stderr
        assert wargame("replay", str(log), "--verify", "--scenario", str(MINIMAL_PATH),
                       cwd=tmp_path).returncode == 0  # a reader
        assert log.read_bytes() == before  # the first game's record is whole
        first.sendline("1")
        first.expect("why, in a line")
        first.sendline("")
        first.expect("your choice")  # turn 2: turn 1 was written by the first game alone
        assert read_record(log).turns[-1].number == 1
    finally:
        first.terminate(force=True)
    # the lock went with the process: the game can be resumed now
    resumed = wargame("resume", str(log), "--auto", "--scenario", str(MINIMAL_PATH), cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert wargame("replay", str(log), "--verify", "--scenario", str(MINIMAL_PATH), cwd=tmp_path).returncode == 0
