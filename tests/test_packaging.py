"""The package as pip installs it: every subpackage listed, the scenarios shipped."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_listed_for_installation() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "wargame").rglob("__init__.py")
    }
    assert on_disk <= listed, f"add to pyproject.toml [tool.setuptools] packages: {sorted(on_disk - listed)}"
    assert "wargame.scenarios" in listed


def test_shipped_scenarios_are_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert config["package-dir"]["wargame.scenarios"] == "scenarios"
    assert config["package-data"]["wargame.scenarios"] == ["*.toml"]
    assert list((ROOT / "scenarios").glob("*.toml"))
