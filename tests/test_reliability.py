"""The reliability scripts in tools/ in their quick form; their --full runs give the figures in
CHANGELOG.md and docs (structural fuzz, a record cut at every byte, SIGKILL during play)."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from tests.conftest import ROOT


def tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_structural_mutants_of_the_shipped_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    assert tool("fuzz_scenarios").main(["--count", "30"]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "tracebacks: 0, hangs: 0, valid_but_refused: 0, accepted_but_unplayable: 0" in out


def test_a_record_cut_at_many_offsets(capsys: pytest.CaptureFixture[str]) -> None:
    assert tool("fuzz_truncate").main(["--every", "307"]) == 0, capsys.readouterr().err
    assert "faults: 0" in capsys.readouterr().out


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_during_play(capsys: pytest.CaptureFixture[str]) -> None:
    assert tool("fuzz_sigkill").main(["--kills", "2"]) == 0, capsys.readouterr().err
    assert "faults: 0" in capsys.readouterr().out
