"""Where the format documentation (scenario-format.md, record-format.md, ...) is: shipped with
the package as wargame.docs, or the repository's docs/ when wargame runs from a checkout."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import wargame


def docs_path() -> Path | None:
    """The folder holding wargame's Markdown documentation, or None if it was not installed."""
    spec = importlib.util.find_spec("wargame.docs")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            if (Path(location) / "scenario-format.md").is_file():
                return Path(location)
    checkout = Path(wargame.__file__).resolve().parent.parent / "docs"
    return checkout if (checkout / "scenario-format.md").is_file() else None
