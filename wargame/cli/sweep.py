"""`wargame sweep SCENARIO`: thousands of bot-played games over seeds, variants and personas,
summarised (text, --json, or --format html), the rows kept in a results file (-o)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from wargame.cli.output import message
from wargame.engine.rng import check_seed
from wargame.errors import NotFound, UsageError
from wargame.files import OutputExists

SWEEP_FORMATS = ("text", "html")


@contextmanager
def _progress() -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr, only when stderr is a terminal (never in a pipe or a log)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from wargame.cli.output import err_console

    with Progress(TextColumn("games"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=err_console(), transient=True) as bar:
        task = bar.add_task("games", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def sweep(scenario: str, *, games: int, seed: int, variants: list[str], personas: list[str], jobs: int | None,
          scheduler: str | None, output: Path | None, results: Path | None, resume: bool, json_out: bool,
          fmt: str, force: bool = False) -> None:
    """Run the sweep and print its summary; see `wargame sweep --help` and docs/analysis.md."""
    try:
        check_seed(seed)
    except ValueError as err:
        raise UsageError(f"--seed {seed}: {err}") from None
    fmt = fmt.lower()
    if fmt not in SWEEP_FORMATS:
        raise UsageError(f"--format {fmt}: choose one of {', '.join(SWEEP_FORMATS)}")
    if fmt == "html" and json_out:
        raise UsageError("--json and --format html do not go together: choose one")
    if scheduler is not None and jobs is not None:
        raise UsageError("--jobs is for the local pool; with --scheduler the cluster's workers play")
    if resume and fmt == "html" and results is None:
        raise UsageError("--resume completes a results file: with --format html give it with --results FILE")
    page = output if fmt == "html" else None
    if page is not None and page.is_dir():  # say so before playing, not after
        raise NotFound(f"{page}: is a directory; cannot write the file there")
    if page is not None and page.exists() and not force:
        raise OutputExists(f"{page} already exists and is not overwritten; use --force to overwrite it")
    if page is not None and not page.parent.is_dir():
        raise NotFound(f"{page}: cannot write: no such directory {page.parent}")
    rows = results if fmt == "html" else output
    if fmt != "html" and results is not None:
        if output is not None:
            raise UsageError("give the results file once: -o FILE (or --results FILE)")
        rows = results
    from wargame.analysis.sweep import Sweep, run_sweep

    spec = Sweep(scenario, games=games, seed=seed, variants=variants, personas=personas, jobs=jobs,
                 scheduler=scheduler, output=rows, resume=resume, force=force)
    with _progress() as progress:
        result = run_sweep(spec, progress)
    if rows is not None:
        message(f"wargame: wrote {result.games * len(result.arms):,} rows to {rows}")
    if json_out:
        print(json.dumps({"scenario": result.scenario_id, "games_per_arm": result.games, "seed": result.seed,
                          "resumed": result.resumed, **result.summary}, indent=2, ensure_ascii=False))
        return
    if fmt == "html":
        from wargame.cli.report import emit
        from wargame.view.sweep_html import render_sweep_html

        emit(render_sweep_html(result), page, force=force)
        return
    from wargame.cli.output import console
    from wargame.view.sweep_text import render

    console().print(render(result))
