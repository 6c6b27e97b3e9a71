"""docs/api.md's examples run, in order, in one namespace, in an empty folder: the page cannot
drift from the library. Its notebook-style tabulation stays under 15 lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
API = ROOT / "docs" / "api.md"


def _blocks() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```$", API.read_text(encoding="utf-8"), flags=re.S | re.M)


def test_the_api_page_has_examples_for_each_thing_it_promises() -> None:
    code = "\n".join(_blocks())
    for needed in ("load_scenario(", "play(", "begin_turn()", "legal_options(", "adjudicate(", "view_for(",
                   "undo_last_action(", "LogWriter.create(", "read_record(", "verify(", ".branch(", "pickle"):
        assert needed in code, needed


def test_the_hundred_games_snippet_is_under_fifteen_lines() -> None:
    snippet = next(b for b in _blocks() if "range(100)" in b)
    assert len(snippet.strip().splitlines()) < 15


def test_every_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "docs_api"}
    for number, block in enumerate(_blocks(), start=1):
        try:
            exec(compile(block, f"docs/api.md example {number}", "exec"), namespace)  # noqa: S102 (our own docs)
        except Exception as err:  # name the example that broke
            raise AssertionError(f"docs/api.md example {number} fails: {err!r}\n{block}") from err
    out = capsys.readouterr().out
    assert "coalition_fractures" in out or "deterrence_holds" in out  # the tabulation printed outcomes
    assert (tmp_path / "game.jsonl").is_file()
