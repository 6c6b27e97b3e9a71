"""The same sweep on a Dask distributed cluster (a LocalCluster this test starts, over TCP on
127.0.0.1) gives the same results file as one local job."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FLAGSHIP_PATH
from wargame.analysis.sweep import Sweep, run_sweep

distributed = pytest.importorskip("distributed")


def test_a_dask_cluster_plays_the_same_sweep(tmp_path: Path) -> None:
    scenario = tmp_path / "defining-roles.toml"
    shutil.copy(FLAGSHIP_PATH, scenario)
    spec = dict(games=120, seed=5, variants=["base", "private_request"], personas=["japan=dove"])
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp://",
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        on_dask = run_sweep(Sweep(str(scenario), scheduler=cluster.scheduler_address, output=tmp_path / "d.jsonl",
                                  **spec))  # type: ignore[arg-type]
    local = run_sweep(Sweep(str(scenario), jobs=1, output=tmp_path / "l.jsonl", **spec))  # type: ignore[arg-type]
    assert (tmp_path / "d.jsonl").read_bytes() == (tmp_path / "l.jsonl").read_bytes()
    assert on_dask.summary == local.summary
    assert len((tmp_path / "d.jsonl").read_bytes().splitlines()) == 240


def test_an_unreachable_scheduler_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wargame.analysis import backends
    from wargame.errors import UsageError

    monkeypatch.setattr(backends, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(UsageError, match="cannot reach a Dask scheduler"):
        run_sweep(Sweep(str(FLAGSHIP_PATH), games=10, scheduler="tcp://127.0.0.1:9"))


@pytest.mark.parametrize("address", ["foo", "tcp://127.0.0.1:notaport", "http://127.0.0.1:8786", ""])
def test_a_malformed_scheduler_address_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               address: str) -> None:
    from typer.testing import CliRunner

    from wargame.cli.app import app

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["sweep", str(FLAGSHIP_PATH), "--games", "3", "--scheduler", address])
    assert result.exit_code == 2, result.output
    assert "--scheduler" in result.output and "tcp://HOST:PORT" in result.output
