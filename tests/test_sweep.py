"""`wargame sweep`: the same results file for any number of jobs, a killed sweep completed with
--resume, every row replayable as a full game, the summary as text, JSON and a page."""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FLAGSHIP_PATH
from wargame.analysis.plan import replay_command
from wargame.cli.app import app
from wargame.record.reader import read_record

SWEEP = ["sweep", "defining-roles", "--games", "100", "--seed", "11", "--variant", "base",
         "--variant", "australia_preauthorised+stockpiles_in_place", "--persona", "china=hawk,default"]


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "scenarios").mkdir()
    shutil.copy(FLAGSHIP_PATH, tmp_path / "scenarios" / "defining-roles.toml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_one_job_and_two_give_identical_results_files(work: Path) -> None:
    runner = CliRunner()
    one = runner.invoke(app, [*SWEEP, "--jobs", "1", "-o", "one.jsonl"])
    two = runner.invoke(app, [*SWEEP, "--jobs", "2", "-o", "two.jsonl"])
    assert one.exit_code == 0 and two.exit_code == 0, one.output + two.output
    assert (work / "one.jsonl").read_bytes() == (work / "two.jsonl").read_bytes()
    assert one.stdout == two.stdout
    found = rows(work / "one.jsonl")
    assert len(found) == 4 * 100
    assert [(r["variant"], r["personas"]) for r in found[::100]] == [
        ("base", {"china": "hawk"}), ("base", {}),
        ("australia_preauthorised+stockpiles_in_place", {"china": "hawk"}),
        ("australia_preauthorised+stockpiles_in_place", {})]
    assert [r["seed"] for r in found[:100]] == [r["seed"] for r in found[100:200]]  # the same seeds in every arm
    assert set(found[0]) == {"seed", "variant", "personas", "outcome", "turns", "tracks", "flags", "decisions",
                             "approvals"}


def test_a_sweep_cut_short_is_completed_by_resume(work: Path) -> None:
    runner = CliRunner()
    runner.invoke(app, [*SWEEP, "--jobs", "1", "-o", "full.jsonl"])
    data = (work / "full.jsonl").read_bytes()
    cut = data.index(b"\n", len(data) // 3) + 40  # whole rows and a torn one, as a kill leaves it
    (work / "part.jsonl").write_bytes(data[:cut])
    again = runner.invoke(app, [*SWEEP, "--jobs", "2", "-o", "part.jsonl"])
    assert again.exit_code == 2 and "--resume" in again.output  # never overwritten
    resumed = runner.invoke(app, [*SWEEP, "--jobs", "2", "-o", "part.jsonl", "--resume"])
    assert resumed.exit_code == 0, resumed.output
    assert (work / "part.jsonl").read_bytes() == data
    assert "already in the results file (resumed)" in resumed.output
    other = runner.invoke(app, [*SWEEP[:5], "99", *SWEEP[6:], "-o", "part.jsonl", "--resume"])
    assert other.exit_code == 2 and "not game 1 of this sweep" in other.output


def test_every_row_replays_as_a_full_game(work: Path) -> None:
    runner = CliRunner()
    runner.invoke(app, [*SWEEP, "--jobs", "1", "-o", "r.jsonl"])
    found = rows(work / "r.jsonl")
    for i, row in enumerate([found[3], found[150], found[260], found[399]]):
        command = shlex.split(replay_command("defining-roles", row))[1:]
        result = runner.invoke(app, [*command, "--log", f"g{i}.jsonl"])
        assert result.exit_code == 0, result.output
        record = read_record(work / f"g{i}.jsonl")
        end = record.outcome()
        assert end is not None and end.data["outcome"] == row["outcome"]
        assert len(record.turns) == row["turns"]
        decided = [e.data["option"] for e in record.events if e.kind == "decision" and e.data["nation"] == "china"]
        assert decided == row["decisions"]["china"]  # type: ignore[index]
        approvals = [[e.turn, e.data["option"], e.data["passed"]] for e in record.events if e.kind == "approval"]
        assert approvals == row["approvals"]
        digest_state = record.turns[-1].events
        assert any(e.kind == "turn_end" for e in digest_state)


def test_the_summary_as_json_text_and_page(work: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["sweep", "defining-roles", "--games", "120", "--variant", "all", "--jobs", "1",
                                 "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert [a["variant"] for a in summary["arms"]] == ["base", "japan_base_access", "australia_preauthorised",
                                                      "private_request", "stockpiles_in_place", "seminar"]
    base = summary["arms"][0]
    assert sum(o["games"] for o in base["outcomes"]) == 120
    for o in base["outcomes"]:
        assert o["ci95"][0] <= o["share"] <= o["ci95"][1]
    kinds = {k["kind"] for k in base["key_decisions"]}
    assert kinds == {"force", "approval"}
    assert len(summary["comparisons"]) == 5 and all(0 <= c["p"] <= 1 for c in summary["comparisons"])
    assert {n["nation"] for n in base["nations"]} == {"us", "japan", "australia", "taiwan", "china", "philippines"}
    text = runner.invoke(app, ["sweep", "defining-roles", "--games", "120", "--variant", "all", "--jobs", "1"])
    assert "95% CI" in text.stdout and "Differences from base" in text.stdout and "Levers" in text.stdout
    assert "\x1b[" not in text.stdout  # no progress bar or colour when not at a terminal
    page = runner.invoke(app, ["sweep", "defining-roles", "--games", "60", "--variant", "all", "--jobs", "1",
                               "--format", "html", "-o", "sweep.html", "--results", "rows.jsonl"])
    assert page.exit_code == 0, page.output
    html = (work / "sweep.html").read_text(encoding="utf-8")
    assert html.count("<svg") >= 5 and "<script" not in html and "http" not in html.replace("http-equiv", "")
    assert len(rows(work / "rows.jsonl")) == 360  # six arms (base and five variants) of 60 games


def test_parquet_results_hold_the_same_rows(work: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    runner = CliRunner()
    result = runner.invoke(app, [*SWEEP, "--jobs", "1", "-o", "r.parquet"])
    assert result.exit_code == 0, result.output
    runner.invoke(app, [*SWEEP, "--jobs", "1", "-o", "r.jsonl"])
    table = pq.read_table(work / "r.parquet").to_pylist()
    expected = rows(work / "r.jsonl")
    assert [(r["seed"], r["variant"], r["outcome"], r["turns"]) for r in table] == [
        (r["seed"], r["variant"], r["outcome"], r["turns"]) for r in expected]
    assert table[0]["tracks"] == expected[0]["tracks"] and table[0]["decisions"] == expected[0]["decisions"]
    assert not (work / "r.parquet.partial.jsonl").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--variant", "nope"], "no such variant"),
    (["--persona", "china=pirate"], "its personas"),
    (["--persona", "zz=all"], "no such nation"),
    (["--persona", "zz=default"], "no such nation"),
    (["--games", "0"], "--games takes"),
    (["--seed", "-1"], "0 to 9007199254740991"),
    (["--seed", str(2**53)], "outside the range"),
    (["--resume"], "give it with -o FILE"),
    (["--resume", "--format", "html", "-o", "page.html"], "give it with --results FILE"),
    (["--format", "pdf"], "'text', 'html'"),
    (["--jobs", "2", "--scheduler", "tcp://127.0.0.1:1"], "--jobs is for the local pool"),
])
def test_bad_sweep_arguments_exit_2(work: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["sweep", "defining-roles", "--games", "10", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_resume_refuses_the_results_file_of_another_scenario(work: Path) -> None:
    """Rows carry no scenario id: a file swept from another scenario with the same seeds must
    still be refused, not tallied as this scenario's games."""
    shutil.copy(FLAGSHIP_PATH.parent / "strait-channel.toml", work / "scenarios" / "strait-channel.toml")
    runner = CliRunner()
    first = runner.invoke(app, ["sweep", "strait-channel", "--games", "20", "--jobs", "1", "-o", "r.jsonl"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, ["sweep", "defining-roles", "--games", "40", "--jobs", "1", "-o", "r.jsonl",
                                "--resume"])
    assert again.exit_code == 2, again.output
    assert "r.jsonl:1:" in again.output and "not a game of defining-roles" in again.output


@pytest.mark.parametrize(("field", "value"), [
    ("decisions", "x"), ("outcome", 5), ("turns", "7"), ("tracks", {}), ("approvals", [[1]]), ("flags", None)])
def test_resume_refuses_a_damaged_row_cleanly(work: Path, field: str, value: object) -> None:
    runner = CliRunner()
    runner.invoke(app, ["sweep", "defining-roles", "--games", "10", "--jobs", "1", "-o", "r.jsonl"])
    found = rows(work / "r.jsonl")[:5]
    found[2][field] = value
    (work / "r.jsonl").write_text("".join(json.dumps(r) + "\n" for r in found), encoding="utf-8")
    again = runner.invoke(app, ["sweep", "defining-roles", "--games", "10", "--jobs", "1", "-o", "r.jsonl",
                                "--resume"])
    assert again.exit_code == 2, again.output
    assert "r.jsonl:3:" in again.output and field in again.output


@pytest.mark.parametrize("page", ["missing/p.html", "."])
def test_a_page_that_cannot_be_written_is_refused_before_playing(work: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   page: str) -> None:
    """A long sweep must not play for an hour and then fail to write its page."""
    import wargame.analysis.sweep

    def played(*args: object, **kwargs: object) -> None:
        raise AssertionError("the sweep was played")

    monkeypatch.setattr(wargame.analysis.sweep, "run_sweep", played)
    result = CliRunner().invoke(app, ["sweep", "defining-roles", "--games", "10", "--format", "html", "-o", page])
    assert result.exit_code == 3, result.output
    assert f"{page}: " in result.output and "cannot write" in result.output


def test_a_worker_parses_the_scenario_once_for_a_persona_grid(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each arm of a grid is a new task key; parsing the flagship (and checking its variants)
    for every arm made a 2 x 4 persona grid of one game per arm spend seconds on parsing."""
    from wargame.analysis import plan

    data = FLAGSHIP_PATH.read_bytes()
    scenario = plan.parse(data, "grid.toml")
    calls = []
    real = plan.parse

    def counting(data: bytes, shown: str) -> object:
        calls.append(shown)
        return real(data, shown)

    monkeypatch.setattr(plan, "parse", counting)
    monkeypatch.setattr(plan, "_GAMES", {})
    monkeypatch.setattr(plan, "_PARSED", {})
    grid = plan.arms(scenario, ["base", "private_request"], ["china=all"])
    assert len(grid) == 8
    for task in plan.tasks(data, "grid.toml", grid, 1, 3):
        assert len(plan.run_task(task)) == 1
    assert calls == ["grid.toml"]
