"""Command-line conventions: -h, shell completion, metavars that read as words, fixed --format
choices, an example in every command's help, whole summaries, one overwrite rule (--force),
`play --quiet`, and the packaging that ships the docs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import MINIMAL_PATH
from wargame.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ["list", "show", "validate", "play", "replay", "resume", "serve", "join", "report", "brief",
            "sweep"]


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "100"})
    return result.exit_code, result.stdout, result.stderr


def test_h_is_help() -> None:
    code, out, _ = invoke("-h")
    assert code == 0 and "Commands:" in out and "-h, --help" in out
    for command in COMMANDS:
        code, out, _ = invoke(command, "-h")
        assert code == 0 and f"wargame {command} [OPTIONS]" in out


@pytest.mark.parametrize("command", COMMANDS)
def test_help_reads_as_words_with_an_example(command: str) -> None:
    code, out, _ = invoke(command, "--help")
    assert code == 0
    assert not re.search(r"<[a-z|\[\]]+>|\{[A-Za-z]+\}", out), out  # no <list[str]>, <path>, {scenario}
    assert re.search(rf"Example:\s+wargame {command}\b", out)


def test_metavars_name_what_is_wanted() -> None:
    out = invoke("play", "--help")[1]
    for shown in ("SCENARIO", "--human NATION", "--log PATH", "--clock SECONDS", "--seed SEED", "--turn N"):
        assert shown in out
    assert "NATION" in invoke("brief", "--help")[1]
    assert "LOG" in invoke("replay", "--help")[1]


def test_format_is_a_fixed_choice() -> None:
    assert "--format [md|html]" in invoke("report", "--help")[1]
    assert "--format [text|md]" in invoke("brief", "--help")[1]
    code, _, err = invoke("brief", "defining-roles", "japan", "--format", "pdf")
    assert code == 2 and "'text', 'md'" in err


def test_summaries_are_whole() -> None:
    out = invoke("--help")[1]
    listing = out[out.index("Commands:"):out.index("Exit statuses")]
    assert "..." not in listing
    for command in COMMANDS:
        assert re.search(rf"^  {command}\s+\S", listing, re.MULTILINE)


def test_the_help_lists_the_sigpipe_status_and_where_the_docs_are() -> None:
    out = invoke("--help")[1]
    assert "141" in out and "pipe" in out
    assert "scenario-format" in out or "documented in" in out


def _complete(words: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "_WARGAME_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - 1)}
    done = subprocess.run([sys.executable, "-m", "wargame"], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    return done.stdout.split()


def test_shell_completion_is_on_and_completes_scenarios_and_nations() -> None:
    assert "--install-completion" in invoke("--help")[1]
    assert _complete("wargame play defin") == ["defining-roles"]
    assert _complete("wargame brief defining-roles ja") == ["japan"]
    assert "japan" in _complete("wargame play defining-roles --human j")


@pytest.fixture(scope="module")
def game(tmp_path_factory: pytest.TempPathFactory) -> Path:
    log = tmp_path_factory.mktemp("conventions") / "game.jsonl"
    code, _, err = invoke("play", "defining-roles", "--auto", "--seed", "1", "--log", str(log))
    assert code == 0, err
    return log


@pytest.mark.parametrize("args", [["report", "{log}"], ["brief", "defining-roles", "japan", "--format", "md"]],
                         ids=["report", "brief"])
def test_o_refuses_an_existing_file_unless_forced(game: Path, tmp_path: Path, args: list[str]) -> None:
    target = tmp_path / "out.md"
    target.write_text("keep me", encoding="utf-8")
    argv = [a.format(log=game) for a in args]
    code, _, err = invoke(*argv, "-o", str(target))
    assert code == 2 and "already exists" in err and "--force" in err
    assert target.read_text(encoding="utf-8") == "keep me"
    code, _, err = invoke(*argv, "-o", str(target), "--force")
    assert code == 0, err
    assert target.read_text(encoding="utf-8") != "keep me"


def test_log_follows_the_same_rule(tmp_path: Path) -> None:
    log = tmp_path / "game.jsonl"
    log.write_text("keep me", encoding="utf-8")
    code, _, err = invoke("play", str(MINIMAL_PATH), "--auto", "--seed", "1", "--log", str(log))
    assert code == 2 and "--force" in err and log.read_text(encoding="utf-8") == "keep me"
    code, _, err = invoke("play", str(MINIMAL_PATH), "--auto", "--seed", "1", "--log", str(log), "--force")
    assert code == 0, err
    assert log.read_text(encoding="utf-8").startswith('{"record": "wargame-log"')
    scenario = tmp_path / "copy.toml"
    scenario.write_bytes(MINIMAL_PATH.read_bytes())
    code, _, err = invoke("play", str(scenario), "--auto", "--log", str(scenario), "--force")
    assert code == 2 and scenario.read_bytes() == MINIMAL_PATH.read_bytes()  # never the game's own input


def test_play_quiet_prints_only_the_outcome_and_the_log(tmp_path: Path) -> None:
    log = tmp_path / "game.jsonl"
    code, out, err = invoke("play", "defining-roles", "--auto", "--seed", "1", "--log", str(log), "--quiet")
    assert code == 0, err
    assert out.count("\n") == 1 and out.startswith("Game over after") and str(log) in out
    code, out, _ = invoke("play", "defining-roles", "--auto", "--seed", "1", "-q")
    assert code == 0 and out.count("\n") == 1
    code, _, err = invoke("play", "defining-roles", "--quiet")
    assert code == 2 and "--quiet" in err
    code, _, err = invoke("play", "defining-roles", "--auto", "--quiet", "--facilitator")
    assert code == 2


def test_the_package_declares_its_license_urls_and_docs() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"  # an SPDX expression, not the deprecated table
    assert project["project"]["license-files"] == ["LICENSE"] and (ROOT / "LICENSE").is_file()
    setuptools = project["tool"]["setuptools"]
    assert "wargame.docs" in setuptools["packages"]
    assert setuptools["package-dir"]["wargame.docs"] == "docs"
    assert setuptools["package-data"]["wargame.docs"] == ["*.md"]
    requires = project["build-system"]["requires"]
    assert any(r.startswith("setuptools>=77") for r in requires)


def test_the_docs_can_be_found() -> None:
    from wargame.documentation import docs_path

    where = docs_path()
    assert where is not None and (where / "scenario-format.md").is_file() and (where / "record-format.md").is_file()
    assert str(where) in invoke("--help")[1].replace("\n", "")
