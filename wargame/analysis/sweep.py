"""A sweep from start to finish: plan the games, complete a results file cut short, run the
rest on a backend, stream the rows to the file and the running counts, summarise.

    result = run_sweep(Sweep("defining-roles", games=1000, variants=["all"]))
    result.summary["arms"][0]["outcomes"]
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wargame.analysis.backends import Lines, default_jobs, run_dask, run_local
from wargame.analysis.plan import Arm, arms, game_seed, row_problem, tasks
from wargame.analysis.results import (
    ResultsWriter,
    is_parquet,
    need_pyarrow,
    read_rows,
    stream_path,
    to_parquet,
)
from wargame.analysis.summary import Tally, summarise
from wargame.errors import ScenarioNotFound, UsageError
from wargame.files import OutputExists, read_bytes
from wargame.scenario.catalog import find_scenario
from wargame.scenario.loader import MAX_BYTES, parse
from wargame.scenario.variants import apply_variants

MAX_GAMES = 10_000_000


@dataclass(frozen=True)
class Sweep:
    """What to sweep: `games` seeds (derived from `seed`) for every arm (`variants`) and every
    persona setting (`personas`, NATION=NAME items); `jobs` local processes (None: every core)
    or a Dask `scheduler` address; rows to `output` (.jsonl, or .parquet with pyarrow)."""

    scenario: str
    games: int = 1000
    seed: int = 0
    variants: list[str] = field(default_factory=list)
    personas: list[str] = field(default_factory=list)
    jobs: int | None = None
    scheduler: str | None = None
    output: Path | None = None
    resume: bool = False
    force: bool = False  # replace an existing results file instead of refusing it


@dataclass(frozen=True)
class SweepResult:
    scenario_id: str
    title: str
    marking: str
    arms: list[Arm]
    games: int  # per arm
    seed: int
    resumed: int  # games found already played in the results file
    summary: dict[str, Any]


def _key(variant: str, personas: dict[str, str]) -> tuple[str, tuple[tuple[str, str], ...]]:
    return variant, tuple(sorted(personas.items()))


def run_sweep(spec: Sweep, progress: Callable[[int, int], None] | None = None) -> SweepResult:
    """Run a sweep; `progress(done, total)` is called as games finish. Raises UsageError for
    arguments that do not fit the scenario or a results file of another sweep."""
    if not 1 <= spec.games <= MAX_GAMES:
        raise UsageError(f"--games takes 1 to {MAX_GAMES:,}")
    if spec.jobs is not None and not 1 <= spec.jobs <= 1024:
        raise UsageError("--jobs takes 1 to 1024")
    if spec.resume and spec.output is None:
        raise UsageError("--resume completes a results file: give it with -o FILE")
    path = find_scenario(spec.scenario)
    data = read_bytes(path, ScenarioNotFound, "a scenario file", MAX_BYTES)
    shown = str(path)
    scenario = parse(data, shown)
    plan = arms(scenario, spec.variants, spec.personas)
    tallies = {(arm.variant, tuple(sorted(arm.personas))): Tally(arm, apply_variants(scenario, arm.variants))
               for arm in plan}
    total = len(plan) * spec.games
    if spec.output is not None and is_parquet(spec.output):
        need_pyarrow()  # say so before playing, not after
        if spec.output.exists() and not spec.force:
            raise OutputExists(f"{spec.output} already exists and is not overwritten; use --force to overwrite it")
    stream = stream_path(spec.output) if spec.output is not None else None
    done = 0
    keep = None
    if stream is not None and spec.resume:
        keep = 0
        expected = _expected(plan, spec.games, spec.seed)
        for row, offset in read_rows(stream):
            want = next(expected, None)
            got = (row.get("variant"), row.get("personas"), row.get("seed"))
            if want is None or got != want:
                raise UsageError(f"{stream}:{done + 1}: this row is not game {done + 1} of this sweep "
                                 f"(it has {got}, the sweep plays {want}); resume with the arguments "
                                 "the file was started with")
            tally = tallies[_key(row["variant"], row["personas"])]
            problem = row_problem(tally.scenario, row)
            if problem is not None:
                raise UsageError(f"{stream}:{done + 1}: {problem}; is this a results file of this sweep?")
            tally.add(row)
            done += 1
            keep = offset
    resumed = done
    writer = ResultsWriter.open(stream, keep, force=spec.force) if stream is not None else None
    try:
        if progress:
            progress(done, total)
        work = tasks(data, shown, plan, spec.games, spec.seed, skip=done)
        results: Iterator[Lines] = (run_dask(work, spec.scheduler) if spec.scheduler is not None
                                    else run_local(work, spec.jobs or default_jobs()))
        for lines in results:
            if writer is not None:
                writer.write(lines)
            for line in lines:
                row = json.loads(line)
                tallies[_key(row["variant"], row["personas"])].add(row)
            done += len(lines)
            if progress:
                progress(done, total)
    finally:
        if writer is not None:
            writer.close()
    if spec.output is not None and stream is not None and stream != spec.output:
        to_parquet(stream, spec.output)
    return SweepResult(scenario.id, scenario.title, scenario.model.marking, plan, spec.games, spec.seed,
                       resumed, summarise(list(tallies.values())))


def _expected(plan: list[Arm], games: int, seed: int) -> Iterator[tuple[str, dict[str, str], int]]:
    seeds = [game_seed(seed, i) for i in range(games)]
    for arm in plan:
        for s in seeds:
            yield arm.variant, dict(arm.personas), s
