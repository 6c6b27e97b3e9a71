"""Where scenarios are found: the shipped ones, and any in ./scenarios of the current folder."""

from __future__ import annotations

import difflib
import importlib.util
from pathlib import Path

from wargame.errors import ScenarioNotFound


def shipped_dir() -> Path | None:
    """The installed wargame.scenarios folder (the repository's scenarios/ in a checkout)."""
    spec = importlib.util.find_spec("wargame.scenarios")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        path = Path(location)
        if path.is_dir():
            return path
    return None


def scenario_files() -> list[Path]:
    """Every scenario file on offer: ./scenarios first (a local copy wins), then shipped."""
    found: dict[str, Path] = {}
    for folder in (Path.cwd() / "scenarios", shipped_dir()):
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            found.setdefault(path.stem, path)
    return list(found.values())


def resolve(name: str) -> Path:
    """A path as given, or the file of a scenario id (file stem)."""
    path = Path(name)
    if path.suffix == ".toml" or path.exists() or "/" in name:
        return path
    by_id = {p.stem: p for p in scenario_files()}
    if name in by_id:
        return by_id[name]
    close = difflib.get_close_matches(name, list(by_id), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else "; `wargame list` shows them"
    raise ScenarioNotFound(f"no scenario {name!r}{hint}")
