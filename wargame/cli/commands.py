"""The `list`, `show` and `validate` commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wargame.cli.output import console, err_console, json_text, printable
from wargame.errors import ScenarioError, WargameError
from wargame.scenario.catalog import find_scenario, scenario_files
from wargame.scenario.loader import load
from wargame.scenario.scenario import Scenario


def list_scenarios(json_out: bool) -> None:
    rows: list[dict[str, Any]] = []
    broken: list[str] = []
    for path in scenario_files():
        try:
            s = load(path)
        except ScenarioError:
            broken.append(f"{path.name} does not validate; run `wargame validate` on it")
            continue
        except WargameError as err:  # not a regular file, unreadable: say which and why
            broken.append(f"{path.name} is skipped: {str(err).removeprefix(f'{path}: ')}")
            continue
        rows.append({"id": s.id, "title": s.title, "nations": [n.id for n in s.nations],
                     "turns": s.turns, "path": str(path)})
    if json_out:
        print(json_text(rows))
    else:
        from rich.table import Table
        from rich.text import Text

        table = Table(title="Scenarios", title_justify="left")
        table.add_column("id", no_wrap=True)
        table.add_column("title")
        table.add_column("nations")
        table.add_column("turns", justify="right")
        for row in rows:
            # scenario text is data, never markup
            table.add_row(Text(row["id"]), Text(row["title"]), Text(", ".join(row["nations"])), str(row["turns"]))
        console().print(table)
    for line in broken:
        err_console().print(f"wargame: warning: {printable(line)}", markup=False, highlight=False)


def show_scenario(name: str, json_out: bool) -> None:
    scenario = load(find_scenario(name))
    if json_out:
        print(json_text(scenario.model.model_dump(mode="json", by_alias=True)))
        return
    from wargame.cli.output import paged
    from wargame.view.overview import render_scenario

    out = console()
    with paged(out):
        out.print(render_scenario(scenario))


def validate_files(paths: list[Path], json_out: bool) -> int:
    """Validate every file; 0 when all are valid, 1 otherwise."""
    results: list[dict[str, Any]] = []
    for path in paths:
        try:
            scenario: Scenario = load(path)
            results.append({"path": str(path), "valid": True, "id": scenario.id, "problems": []})
        except ScenarioError as err:
            results.append({"path": str(path), "valid": False, "problems": [
                {"path": p.path, "line": p.line, "key": p.key, "message": p.message} for p in err.problems]})
        except WargameError as err:
            results.append({"path": str(path), "valid": False, "problems": [
                {"path": str(path), "line": None, "key": "",
                 "message": str(err).removeprefix(f"{path}: ")}]})
    if json_out:
        print(json_text(results))
    else:
        import sys

        for result in results:  # keys and paths come from the files: escaped before they are shown
            if result["valid"]:
                print(printable(f"{result['path']}: ok ({result['id']})"))
            for p in result["problems"]:
                where = f"{p['path']}:{p['line']}" if p["line"] else p["path"]
                key = f" {p['key']}:" if p["key"] else ""
                print(printable(f"{where}:{key} {p['message']}"), file=sys.stderr)
    return 0 if all(r["valid"] for r in results) else 1
