"""Shell completion (`wargame --install-completion`): scenario ids and nation ids. Paths
(scenario files, logs, scripts) are completed by the shell as files. A completer never fails:
whatever goes wrong, it offers nothing."""

from __future__ import annotations

import contextlib

import typer


def scenario_ids(incomplete: str) -> list[str]:
    """The ids of the scenarios on offer (shipped and in ./scenarios) that start with `incomplete`."""
    with contextlib.suppress(Exception):
        from wargame.scenario.catalog import scenario_ids as offered

        return sorted(i for i in offered() if i.startswith(incomplete))
    return []


def nation_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """The nation ids that start with `incomplete`: of the scenario already on the command line,
    or (when the shell has not parsed it yet, as after `--human`) of every scenario on offer."""
    with contextlib.suppress(Exception):
        from wargame.scenario.catalog import find_scenario, scenario_files
        from wargame.scenario.loader import load

        named = ctx.params.get("scenario")
        paths = [find_scenario(str(named))] if named else scenario_files()
        found: dict[str, None] = {}
        for path in paths:
            with contextlib.suppress(Exception):
                found |= dict.fromkeys(n.id for n in load(path).nations if n.id.startswith(incomplete))
        return list(found)
    return []
