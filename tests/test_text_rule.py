"""One rule for text from a file that reaches a terminal (wargame.text): refused in scenario text
and in every line of a record, header included; escaped in messages that quote a file. And the
record header's small inconsistencies: a boolean seed, a key given twice, an empty note."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FLAGSHIP_PATH, MINIMAL_PATH
from wargame.cli.app import app
from wargame.errors import RecordError, ScenarioError
from wargame.record.reader import parse_record
from wargame.scenario.loader import load
from wargame.text import escape_unsafe, has_unsafe

UNSAFE = ["\x1bc", "\x1b[31m", "\x9b2J", "\u202e", "\u2066", "\x07"]


@pytest.mark.parametrize("bad", UNSAFE)
def test_the_rule_finds_every_kind_and_escapes_it_visibly(bad: str) -> None:
    assert has_unsafe(f"ok {bad} ok") and has_unsafe({"k": [f"x{bad}"]}) and has_unsafe({bad: 1})
    shown = escape_unsafe(f"ok {bad} ok")
    assert not has_unsafe(shown) and ("\\x" in shown or "\\u" in shown)
    assert not has_unsafe("Taiwan — \u53f0\u7063, tabs\tand\nnewlines")


def test_a_bidi_override_in_scenario_text_is_refused(tmp_path: Path) -> None:
    text = MINIMAL_PATH.read_text(encoding="utf-8").replace('title = "Minimal"', 'title = "Min\\u202eimal"')
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load(path)
    assert "control character" in caught.value.problems[0].message


@pytest.fixture(scope="module")
def game(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("text-rule")
    (folder / "scenarios").mkdir()
    shutil.copy(FLAGSHIP_PATH, folder / "scenarios")
    log = folder / "game.jsonl"
    runner = CliRunner()
    done = runner.invoke(app, ["play", str(folder / "scenarios" / FLAGSHIP_PATH.name), "--auto", "--seed", "1",
                               "--log", str(log)])
    assert done.exit_code == 0, done.output
    return log


def _with_header(game: Path, tmp_path: Path, change: dict[str, object], raw: str | None = None) -> Path:
    lines = game.read_text(encoding="utf-8").splitlines(keepends=True)
    head = json.loads(lines[0]) | change
    path = tmp_path / "forged.jsonl"
    path.write_text((raw if raw is not None else json.dumps(head, ensure_ascii=False) + "\n") + "".join(lines[1:]),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("bad", ["\x1bc", "\x9b2J", "\u202eevil"])
@pytest.mark.parametrize("command", [["replay"], ["report"], ["replay", "--verify"]])
def test_a_record_header_with_a_control_character_is_refused(game: Path, tmp_path: Path, bad: str,
                                                            command: list[str]) -> None:
    forged = _with_header(game, tmp_path, {"marking": bad})
    result = CliRunner().invoke(app, [*command, str(forged), "--scenario", str(FLAGSHIP_PATH)])
    assert result.exit_code == 1
    assert "control character" in result.stderr
    assert not has_unsafe(result.output)


def test_a_nested_value_in_a_header_is_checked_too(game: Path, tmp_path: Path) -> None:
    forged = _with_header(game, tmp_path, {"seats": {"japan\x1b[2J": "bot"}})
    with pytest.raises(RecordError, match="control character"):
        parse_record(forged.read_bytes(), str(forged))


def test_a_boolean_seed_is_refused(game: Path, tmp_path: Path) -> None:
    forged = _with_header(game, tmp_path, {"seed": True})
    with pytest.raises(RecordError, match="seed"):
        parse_record(forged.read_bytes(), str(forged))


def test_a_header_naming_a_key_twice_is_refused(game: Path, tmp_path: Path) -> None:
    first = game.read_text(encoding="utf-8").splitlines()[0]
    twice = first[:-1] + ', "seed": 999}\n'
    forged = _with_header(game, tmp_path, {}, raw=twice)
    with pytest.raises(RecordError, match="header"):
        parse_record(forged.read_bytes(), str(forged))


@pytest.mark.parametrize("note", ["", "a forged explanation"])
def test_every_bot_note_is_testimony_alike_in_verify(game: Path, tmp_path: Path, note: str) -> None:
    lines = game.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        row = json.loads(line)
        if row.get("kind") == "decision" and row.get("by") == "bot":
            lines[i] = json.dumps(row | {"note": note}, ensure_ascii=False) + "\n"
            break
    forged = tmp_path / "noted.jsonl"
    forged.write_text("".join(lines), encoding="utf-8")
    result = CliRunner().invoke(app, ["replay", "--verify", str(forged), "--scenario", str(FLAGSHIP_PATH)])
    assert result.exit_code == 0, result.output
    assert "genuine" in result.output


@pytest.mark.parametrize("bad", ["\x1b[31m", "\u202e"])
def test_validate_escapes_a_key_it_echoes(tmp_path: Path, bad: str) -> None:
    text = MINIMAL_PATH.read_text(encoding="utf-8")
    path = tmp_path / "s.toml"
    in_toml = "".join(f"\\u{ord(c):04x}" if has_unsafe(c) else c for c in bad)  # a TOML escape in a quoted key
    path.write_text(text.replace('title = "Minimal"', f'title = "Minimal"\n"odd{in_toml}key" = 1', 1), encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "odd" in result.stderr and escape_unsafe(bad) in result.stderr
    assert not has_unsafe(result.stderr)


def test_an_error_quoting_a_path_escapes_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["replay", str(tmp_path / "no\x1b]0;x\x07such.jsonl")])
    assert result.exit_code == 3
    assert "\\x1b]0;x\\x07" in result.stderr and not has_unsafe(result.stderr)


def test_json_output_escapes_what_a_terminal_would_obey_and_keeps_the_data(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    text = MINIMAL_PATH.read_text(encoding="utf-8")
    path.write_text(text.replace('title = "Minimal"', 'title = "Minimal"\n"odd\\u009b\\u202ekey" = 1', 1),
                    encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", "--json", str(path)])
    assert result.exit_code == 1
    assert not has_unsafe(result.stdout) and "\\u009b\\u202e" in result.stdout
    keys = [p["key"] for p in json.loads(result.stdout)[0]["problems"]]
    assert any("odd\x9b\u202ekey" in key for key in keys)  # the same data for a program


def test_list_escapes_a_file_name_it_warns_of(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "bad\x1b[2J.toml").write_text("not = [valid", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["list"])
    assert "bad\\x1b[2J.toml" in result.stderr and not has_unsafe(result.stderr)


def test_every_message_naming_a_file_the_user_gave_escapes_it(tmp_path: Path) -> None:
    """A path is text from the user's machine like any other: each command that names its log or
    output file (the ending line, a report written, a verified record, a changed scenario, rows
    written) shows ESC and U+202E escaped, on stdout and stderr alike."""
    log = tmp_path / "g\x1b[2J\u202e.jsonl"
    changed = tmp_path / "changed\u202e.toml"
    changed.write_text(MINIMAL_PATH.read_text(encoding="utf-8") + "\n# edited since\n", encoding="utf-8")
    runner = CliRunner()
    played = runner.invoke(app, ["play", str(MINIMAL_PATH), "--auto", "--quiet", "--seed", "1", "--log", str(log)])
    assert played.exit_code == 0, played.output
    runs = [played,
            runner.invoke(app, ["report", str(log), "--scenario", str(MINIMAL_PATH), "-o", str(tmp_path / "r\x9b.md")]),
            runner.invoke(app, ["replay", str(log), "--verify", "--scenario", str(MINIMAL_PATH)]),
            runner.invoke(app, ["replay", str(log), "--scenario", str(changed)]),
            runner.invoke(app, ["sweep", str(MINIMAL_PATH), "--games", "2", "--jobs", "1",
                                "-o", str(tmp_path / "rows\x1b[31m.jsonl")])]
    for result in runs:
        assert result.exit_code == 0, result.output
        assert any(shown in result.output for shown in ("\\x1b[2J\\u202e", "\\x9b", "\\x1b[31m", "changed\\u202e"))
        assert not has_unsafe(result.stdout) and not has_unsafe(result.stderr), result.output


def test_the_authoring_commands_escape_the_files_they_name(tmp_path: Path) -> None:
    """`lint` (its findings and summary) and `schema -o` (wrote ...) name the user's files too."""
    scenario = tmp_path / "s\x1b[2J\u202e.toml"
    shutil.copyfile(MINIMAL_PATH, scenario)
    runner = CliRunner()
    for result in (runner.invoke(app, ["lint", str(scenario)]),
                   runner.invoke(app, ["schema", "-o", str(tmp_path / "schema\x9b.json")])):
        assert result.exit_code in (0, 1), result.output  # lint: findings are not an error of ours
        assert "\\x1b[2J\\u202e" in result.output or "\\x9b" in result.output
        assert not has_unsafe(result.stdout) and not has_unsafe(result.stderr), result.output
