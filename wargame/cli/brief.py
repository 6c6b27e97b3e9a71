"""`wargame brief SCENARIO NATION`: one delegation's handout, rendered for the terminal
(`--format text`, the default) or as Markdown (`--format md`), to stdout or to a file (`-o`)."""

from __future__ import annotations

from pathlib import Path

from wargame.errors import UsageError
from wargame.scenario.catalog import find_scenario
from wargame.scenario.loader import load

BRIEF_FORMATS = ("text", "md")


def brief(scenario_name: str, nation_name: str, fmt: str, output: Path | None, *, force: bool = False) -> None:
    fmt = fmt.lower()
    if fmt not in BRIEF_FORMATS:
        raise UsageError(f"--format {fmt}: choose one of {', '.join(BRIEF_FORMATS)}")
    scenario = load(find_scenario(scenario_name))
    from wargame.cli.report import emit
    from wargame.view.handout import find_nation, render_handout

    text = render_handout(scenario, find_nation(scenario, nation_name))
    if fmt == "md" or output is not None:
        emit(text, output, force=force)
        return
    from rich.markdown import Markdown

    from wargame.cli.output import console

    console().print(Markdown(text))
