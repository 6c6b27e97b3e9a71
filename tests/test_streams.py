"""The process's streams as users' machines have them (wargame.cli.output, wargame.cli.prompt):
a reader that went away, a terminal that cannot encode, a nonsense width, stdin closed or at EOF.
Each runs the real program in a subprocess: these are properties of the process, not of typer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_PATH

ROOT = Path(__file__).resolve().parent.parent
SIGPIPE_STATUS = 141


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "PAGER")}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def run(*args: str, stdin: int | None = subprocess.DEVNULL, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wargame", *args], cwd=ROOT, env=_env(**env), stdin=stdin,
                          capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=60)


@pytest.fixture(scope="module")
def game(tmp_path_factory: pytest.TempPathFactory) -> Path:
    log = tmp_path_factory.mktemp("streams") / "game.jsonl"
    done = run("play", "defining-roles", "--auto", "--seed", "5", "--log", str(log))
    assert done.returncode == 0, done.stderr
    return log


def _into_closed_pipe(*args: str) -> tuple[int, str]:
    """Run with stdout a pipe whose reader has already gone: every write fails (EPIPE)."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run([sys.executable, "-m", "wargame", *args], cwd=ROOT, env=_env(),
                              stdin=subprocess.DEVNULL, stdout=write, stderr=subprocess.PIPE, timeout=60)
    finally:
        os.close(write)
    return done.returncode, done.stderr.decode("utf-8", "replace")


# each output path: rich console, print of JSON, sys.stdout.write, click's echo (help), a version line
CLOSED_PIPE_CASES = {
    "rich console (list)": ["list"],
    "rich console (show, a long board)": ["show", "defining-roles"],
    "rich console (play --auto)": ["play", "defining-roles", "--auto", "--seed", "1"],
    "rich console (brief)": ["brief", "defining-roles", "japan"],
    "print of JSON (show --json)": ["show", "defining-roles", "--json"],
    "print (validate)": ["validate", str(MINIMAL_PATH)],
    "help text (click echo)": ["--help"],
    "print (--version)": ["--version"],
}


@pytest.mark.parametrize("args", CLOSED_PIPE_CASES.values(), ids=CLOSED_PIPE_CASES.keys())
def test_a_closed_pipe_ends_quietly_with_the_sigpipe_status(args: list[str]) -> None:
    status, err = _into_closed_pipe(*args)
    assert (status, err) == (SIGPIPE_STATUS, "")


@pytest.mark.parametrize("extra", [["--json"], [], ["--verify"]], ids=["replay --json", "replay", "verify"])
def test_a_closed_pipe_on_a_record_ends_quietly(game: Path, extra: list[str]) -> None:
    assert _into_closed_pipe("replay", str(game), *extra) == (SIGPIPE_STATUS, "")


def test_a_closed_pipe_on_a_report_written_to_stdout_ends_quietly(game: Path) -> None:
    assert _into_closed_pipe("report", str(game)) == (SIGPIPE_STATUS, "")  # sys.stdout.write


@pytest.mark.parametrize(("encoding", "args"), [
    ("ascii", ["show", "defining-roles"]), ("iso-8859-1", ["list"]),
    ("iso-8859-1", ["play", "defining-roles", "--auto", "--seed", "2"]),
], ids=["show in ascii", "list in latin-1", "play --auto in latin-1"])
def test_a_terminal_that_cannot_encode_gets_replacements(encoding: str, args: list[str]) -> None:
    done = run(*args, PYTHONIOENCODING=encoding)
    assert done.returncode == 0, done.stderr
    assert "internal error" not in done.stderr
    assert "Japan" in done.stdout or "defining-roles" in done.stdout


def test_an_em_dash_becomes_a_question_mark_in_ascii() -> None:
    done = run("brief", "defining-roles", "japan", PYTHONIOENCODING="ascii")
    assert done.returncode == 0
    assert "EXERCISE ? FICTIONAL SCENARIO" in done.stdout


@pytest.mark.parametrize("columns", ["0", "-3"])
def test_a_width_that_is_not_positive_is_unset(columns: str) -> None:
    done = run("show", "defining-roles", COLUMNS=columns, LINES="0")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) > 50 and max(len(line) for line in lines) == 80  # not a terminal: 80 columns


def _shell(command: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["/bin/sh", "-c", command], cwd=ROOT, env=_env(**env), capture_output=True,
                          text=True, timeout=60)


STDIN_READERS = {
    "replay --step": "replay {log} --step",
    "play (asks for seats)": "play defining-roles",
    "play --human": "play defining-roles --human japan",
    "play --facilitator": "play defining-roles --auto --facilitator",
    "resume": "resume {log}",
}


@pytest.mark.parametrize("stdin", ["<&-", "</dev/null", "<<EOF\n1\nEOF"], ids=["closed", "at EOF", "a here-doc"])
@pytest.mark.parametrize("command", STDIN_READERS.values(), ids=STDIN_READERS.keys())
def test_every_command_that_reads_stdin_handles_it_closed_empty_or_not_a_terminal(
        game: Path, tmp_path: Path, command: str, stdin: str) -> None:
    lines = game.read_text(encoding="utf-8").splitlines(keepends=True)
    ends = [i for i, line in enumerate(lines) if '"kind": "turn_end"' in line]
    unfinished = tmp_path / "unfinished.jsonl"  # two whole turns: something to replay, something to resume
    unfinished.write_text("".join(lines[: ends[1] + 1]), encoding="utf-8")
    done = _shell(f"{sys.executable} -m wargame {command.format(log=unfinished)} {stdin}")
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert done.returncode in (0, 2), done.stderr  # shown without paging, or "not a terminal" (usage)
    if done.returncode == 2:
        assert "not a terminal" in done.stderr or "not one" in done.stderr


def _messages_into_closed_pipe(*args: str) -> int:
    """Run with stderr a pipe whose reader has already gone (`wargame ... 2>&1 | true` after stdout
    was sent elsewhere): the message cannot be shown, the status must still say what happened."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run([sys.executable, "-m", "wargame", *args], cwd=ROOT, env=_env(),
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=write, timeout=60)
    finally:
        os.close(write)
    return done.returncode


@pytest.mark.parametrize(("args", "status"), [
    (["show", "no-such-scenario"], 3),  # wargame's own error (status.report)
    (["play", "defining-roles", "--human", "japan"], 2),  # a decision due without a terminal
    (["no-such-command"], 2),  # click's usage error
    (["validate", str(MINIMAL_PATH)], 0),  # nothing on stderr at all
], ids=["not found", "needs a terminal", "usage", "ok"])
def test_messages_to_a_closed_pipe_keep_the_documented_status(args: list[str], status: int) -> None:
    assert _messages_into_closed_pipe(*args) == status


@pytest.mark.parametrize("columns", ["99999999999", "1000000"])
def test_an_absurd_width_is_capped_not_a_crash(columns: str) -> None:
    done = run("show", "defining-roles", COLUMNS=columns)
    assert done.returncode == 0, done.stderr
    assert max(len(line) for line in done.stdout.splitlines()) <= 1000
