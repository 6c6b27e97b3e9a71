"""Where scenarios are found: the shipped ones, and any in ./scenarios of the current folder."""

from __future__ import annotations

import difflib
import importlib.util
from pathlib import Path

import wargame
from wargame.errors import ScenarioNotFound
from wargame.files import is_regular


def shipped_dir() -> Path | None:
    """The installed wargame.scenarios folder, or the repository's scenarios/ when wargame runs
    from a checkout (an editable install does not map the data-only package)."""
    spec = importlib.util.find_spec("wargame.scenarios")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            if Path(location).is_dir():
                return Path(location)
    checkout = Path(wargame.__file__).resolve().parent.parent / "scenarios"
    return checkout if checkout.is_dir() else None


def scenario_files() -> list[Path]:
    """Every scenario file on offer: ./scenarios first (a local copy wins), then shipped."""
    found: dict[str, Path] = {}
    for folder in (Path.cwd() / "scenarios", shipped_dir()):
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            found.setdefault(path.stem, path)
    return list(found.values())


def scenario_ids() -> dict[str, Path]:
    """Each offered scenario's id (as its file declares it) and file; files that do not load
    are left out (`wargame list` warns of them)."""
    from wargame.errors import WargameError
    from wargame.scenario.loader import load

    out: dict[str, Path] = {}
    for path in scenario_files():
        if not is_regular(path):  # a FIFO or a device is never opened to learn its id
            continue
        try:
            out.setdefault(load(path).id, path)
        except WargameError:
            continue
    return out


def find_scenario(name: str) -> Path:
    """A path as given, or the file of a scenario id: the file named ID.toml when it declares
    that id (so a lookup opens no unrelated file), else the file that declares it, else the file
    of that name."""
    path = Path(name)
    if path.suffix == ".toml" or path.is_file() or "/" in name or "\\" in name:
        return path
    named = next((p for p in scenario_files() if p.stem == name), None)
    if named is not None and _declares(named, name):
        return named
    by_id = scenario_ids()
    if name in by_id:
        return by_id[name]
    by_id |= {p.stem: p for p in scenario_files() if p.stem not in by_id}
    if name in by_id:
        return by_id[name]
    close = difflib.get_close_matches(name, list(by_id), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else "; `wargame list` shows them"
    raise ScenarioNotFound(f"no scenario {name!r}{hint}")


def _declares(path: Path, name: str) -> bool:
    from wargame.errors import WargameError
    from wargame.scenario.loader import load

    try:
        return is_regular(path) and load(path).id == name
    except WargameError:
        return False
