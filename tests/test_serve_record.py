"""A served game without --log keeps its record where `wargame play` keeps one: in
$WARGAME_RECORDS (here a folder under tmp_path), with its join codes beside it (mode 0600), the
path said as the game starts and again as it ends. A real `wargame serve` on 127.0.0.1."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.serving import ROOT, Server
from wargame.serve.codes import codes_path


def _verified(log: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "wargame", "replay", "--verify", str(log), "--json"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    checked = json.loads(result.stdout)
    assert checked["genuine"] is True and checked["finished"] is True


def _only_record(folder: Path) -> Path:
    records = sorted(folder.glob("*.jsonl"))
    assert len(records) == 1, records
    assert records[0].name.startswith("defining-roles-")
    return records[0]


def _private(path: Path) -> None:
    assert path.is_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_served_game_without_log_keeps_its_record_and_names_it(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "records"
    monkeypatch.setenv("WARGAME_RECORDS", str(folder))
    server = Server(["serve", "defining-roles", "--human", "japan", "--unclaimed", "bot", "--linger", "0",
                     "--seed", "5"], tmp_path)
    try:
        assert server.wait() == 0, server.stderr()
    finally:
        server.kill()
    log = _only_record(folder)
    assert server.info["log"] == str(log)  # the --json listing names it
    assert server.info["codes_file"] == str(codes_path(log))
    err = server.stderr()
    assert f"the record of this game is kept in {log}" in err  # as it starts
    assert f"The record is in {log}" in err  # and as it ends
    _private(codes_path(log))
    _verified(log)


def test_the_terminal_listing_names_the_default_record_and_how_to_resume_it(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "records"
    monkeypatch.setenv("WARGAME_RECORDS", str(folder))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "400"}
    result = subprocess.run([sys.executable, "-m", "wargame", "serve", "defining-roles", "--human", "japan",
                             "--unclaimed", "bot", "--linger", "0", "--port", "0", "--seed", "6"],
                            cwd=tmp_path, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
                            env=env, check=False)
    assert result.returncode == 0, result.stderr
    log = _only_record(folder)
    assert f"the record of this game is kept in {log}" in result.stderr
    assert f"`wargame resume {log} --serve` brings the same seats back" in result.stdout
    assert f"The record is in {log}" in result.stdout  # the game-over line
    _private(codes_path(log))
    _verified(log)
