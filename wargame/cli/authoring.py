"""The author's commands: `schema`, `new`, `lint` and `docs` (docs/tutorial.md walks through them)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from wargame.cli.output import message, printable
from wargame.errors import NotFound, ScenarioError, UsageError, WargameError

STARTER = Path(__file__).resolve().parent.parent / "scenario" / "starter.toml"
_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
_TOP_ID = re.compile(r'^id\s*=\s*"[^"\n]*"[ \t]*(#[^\n]*)?$', re.M)
_TOP_TITLE = re.compile(r'^title\s*=\s*"[^"\n]*"[ \t]*(#[^\n]*)?$', re.M)


def _write(path: Path, text: str, force: bool, hint: str = "") -> None:
    """Write a new file by the one overwrite rule (wargame.files.create_new): an existing file
    is refused (exit 2) unless `force`."""
    from wargame.files import create_new

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise NotFound(f"{path.parent}: cannot create the folder: {err.strerror or err}") from None
    with create_new(path, force=force, hint=hint) as file:
        file.write(text.encode("utf-8"))


# ---------------------------------------------------------------- schema


def schema(output: Path | None, force: bool) -> None:
    """Print the JSON Schema of the scenario format, or write it to `output`."""
    from wargame.scenario.schema import schema_text

    text = schema_text()
    if output is None:
        sys.stdout.write(text)
        return
    _write(output, text, force)
    message(f"wargame: wrote {output}")


# ---------------------------------------------------------------- new


def _top_level(text: str) -> int:
    """Where the top-level keys end: the first table header."""
    header = re.search(r"^\s*\[", text, re.M)
    return header.start() if header else len(text)


def _retitle(text: str, scenario_id: str, title: str | None) -> str:
    """The scenario's text with its own `id` (and `title`, for the starter) replaced."""
    end = _top_level(text)
    head, rest = text[:end], text[end:]
    head, found = _TOP_ID.subn(f'id = "{scenario_id}"', head, count=1)
    if not found:
        raise UsageError("the scenario to copy has no top-level `id = \"...\"` line to rename")
    if title is not None:
        head = _TOP_TITLE.sub(f'title = "{title}"', head, count=1)
    return head + rest


def new(scenario_id: str, source: str | None, output: Path | None, force: bool) -> None:
    """Write a starter scenario (or a copy of `source`) as `output`, with the `#:schema` line,
    and the schema file beside it. Refuses to overwrite the scenario unless `force`."""
    from wargame.scenario.loader import parse
    from wargame.scenario.schema import FILE_NAME, schema_text, with_directive

    if not _ID.match(scenario_id) or len(scenario_id) > 64:
        raise UsageError(f"{scenario_id!r} is not a scenario id: lowercase letters, digits, _ and -, "
                         "starting with a letter (my-crisis)")
    path = output if output is not None else Path("scenarios") / f"{scenario_id}.toml"
    if path.exists() and not force:  # checked first, so nothing is done for nothing
        _write(path, "", force=False, hint="choose another path with -o, or ")
    if source is None:
        text = _retitle(STARTER.read_text(encoding="utf-8"), scenario_id,
                        scenario_id.replace("-", " ").replace("_", " ").title())
    else:
        from wargame.files import read_bytes
        from wargame.scenario.catalog import find_scenario
        from wargame.scenario.loader import MAX_BYTES

        from_path = find_scenario(source)
        data = read_bytes(from_path, NotFound, "a scenario file", MAX_BYTES)
        text = _retitle(data.decode("utf-8", errors="replace"), scenario_id, None)
    text = with_directive(text)
    parse(text.encode("utf-8"), str(path))  # what we write must validate: a bug of ours otherwise
    _write(path, text, force, hint="choose another path with -o, or ")
    schema_file = path.parent / FILE_NAME
    note = ""
    if not schema_file.exists():
        _write(schema_file, schema_text(), force=False)
    elif _read(schema_file) != schema_text():  # another version's: the overwrite rule holds here too
        note = (f"wargame: note: {schema_file} is not this wargame's schema; "
                f"`wargame schema -o {schema_file} --force` updates it\n")
    print(printable(str(path)))
    play = scenario_id if path.parent.resolve() == (Path.cwd() / "scenarios").resolve() else str(path)
    message(f"wargame: wrote {path} and {schema_file.name} beside it (for the editor). Next:\n"
            f"  wargame validate {path}\n  wargame lint {path} --play 50\n  wargame play {play} --auto\n"
            "The tutorial (`wargame docs`) goes on from here.")
    if note:
        sys.stderr.write(printable(note))


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


# ---------------------------------------------------------------- lint


def lint_files(paths: list[Path], play: int, json_out: bool) -> int:
    """Lint every file; the exit status by the worst finding: 1 invalid, 4 warnings, else 0."""
    from wargame.cli.status import ExitStatus
    from wargame.scenario.lint import lint
    from wargame.scenario.loader import _dotted, load
    from wargame.scenario.locate import find_line, line_index

    if play < 0:
        raise UsageError("--play takes a number of games, 0 or more")
    from wargame.scenario.catalog import find_scenario

    results: list[dict[str, Any]] = []
    for given in paths:
        path = given if given.exists() else find_scenario(str(given))  # a scenario id works too
        try:
            scenario = load(path)
        except ScenarioError as err:
            results.append({"path": str(path), "valid": False, "findings": [
                {"severity": "error", "code": "invalid", "line": p.line, "key": p.key, "message": p.message}
                for p in err.problems]})
            continue
        except WargameError as err:
            results.append({"path": str(path), "valid": False, "findings": [
                {"severity": "error", "code": "invalid", "line": None, "key": "",
                 "message": str(err).removeprefix(f"{path}: ")}]})
            continue
        found = lint(scenario)
        result: dict[str, Any] = {"path": str(path), "valid": True, "id": scenario.id}
        if play:
            from wargame.analysis.playtest import findings, play_stats

            stats = play_stats(scenario, play)
            found += findings(scenario, stats)
            result["play"] = stats.to_dict()
        lines = line_index(path.read_text(encoding="utf-8"))
        result["findings"] = [
            {"severity": f.severity, "code": f.code, "line": find_line(lines, f.path), "key": _dotted(f.path),
             "message": f.message}
            for f in sorted(found, key=lambda f: ("warning", "info").index(f.severity))]
        results.append(result)
    if json_out:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        for result in results:
            counts = {s: sum(f["severity"] == s for f in result["findings"]) for s in ("error", "warning", "info")}
            for f in result["findings"]:
                where = f"{result['path']}:{f['line']}" if f["line"] else result["path"]
                key = f" {f['key']}:" if f["key"] else ""
                print(printable(f"{where}: {f['severity']}:{key} {f['message']} [{f['code']}]"))
            played = result.get("play")
            arms = len(played["arms"]) if played else 0
            games = "" if not played else f", {played['games']} bot games" + (
                f" ({played['per_arm']} in each of {arms} arms: variants x personas)" if arms > 1 else "")
            summary = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n) or "no findings"
            message(f"{result['path']}: {summary}{games}")
    severities = {f["severity"] for r in results for f in r["findings"]}
    if "error" in severities:
        return int(ExitStatus.INVALID)
    return int(ExitStatus.WARNINGS) if "warning" in severities else int(ExitStatus.OK)


# ---------------------------------------------------------------- docs


def docs(json_out: bool) -> None:
    """Print where the documentation is installed, and what each file is."""
    from wargame.documentation import docs_path

    where = docs_path()
    if where is None:
        raise NotFound("the documentation is not installed with this copy of wargame")
    files = sorted(p.name for p in where.glob("*.md"))
    if json_out:
        print(json.dumps({"path": str(where), "files": files}, indent=2))
        return
    print(where)
    for name in files:
        print(where / name)
