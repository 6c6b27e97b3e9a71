"""The key tables of docs/scenario-format.md, generated from the models so docs and loader agree.

The format reference marks each generated table with a pair of comments naming its model:

    <!-- keys: Nation -->
    | key | type | required or default | meaning |
    ...
    <!-- end keys -->

`refresh(text)` regenerates every marked table; a test fails when the file differs from it, and

    python -m wargame.scenario.reference docs/scenario-format.md

rewrites the file in place.
"""

from __future__ import annotations

import re
import sys
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from wargame.scenario import models
from wargame.scenario.models import ScenarioModel

MODELS: dict[str, type[BaseModel]] = {
    cls.__name__: cls for cls in vars(models).values()
    if isinstance(cls, type) and issubclass(cls, models.Strict) and cls is not models.Strict
}
_ALIASES: list[tuple[object, str]] = [
    (models.OptionId, "option id"), (models.ScenarioId, "id"), (models.Id, "id"), (models.Expr, "expr"),
    (models.Short, "str"), (models.Text, "str"), (models.Level, "int"), (models.Colour, "colour name"),
]
_EFFECTS = {"effects", "on_success", "on_failure", "on_denied", "role_effects"}
_CONDITIONS = {"available", "when", "trigger", "crisis_live"}
_BLOCK = re.compile(r"(<!-- keys: (\w+) -->\n)(.*?)(<!-- end keys -->)", re.S)


def _type(annotation: Any, name: str = "") -> str:
    """A person's name for a type: "str", "array of effect", "number or expr"."""
    for alias, shown in _ALIASES:
        if annotation == alias:
            if shown == "expr":
                return "effect" if name in _EFFECTS else "expr (bool)" if name in _CONDITIONS else "expr"
            return shown
    if annotation == models.Chance:
        return "number or expr"
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type(args[0], name)
    if origin is list:
        inner = _type(args[0], name)
        return "array of tables" if inner == "table" else f"array of {inner}"
    if origin is dict:
        return f"table of {_type(args[0])} → {_type(args[1], name)}"
    if origin is typing.Literal:
        return " / ".join(f'`"{a}"`' for a in args) if len(args) <= 4 else "one of a list"
    if args and type(None) in args:
        return _type(next(a for a in args if a is not type(None)), name)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "table"
    return {str: "str", int: "int", float: "number", bool: "bool"}.get(annotation, str(annotation))


def _field_type(info: FieldInfo, name: str) -> str:
    annotation: Any = info.annotation
    if info.metadata:
        annotation = typing.Annotated[(annotation, *info.metadata)]
    return _type(annotation, name)


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def _default(info: FieldInfo) -> str:
    if info.is_required():
        return "**required**"
    default = info.default
    if default is None or default in ([], {}):
        return "optional"
    return f"default `{_toml(default)}`"


def key_table(model: type[BaseModel]) -> str:
    """The Markdown table of a model's keys: key, type, required or default, meaning."""
    rows = ["| key | type | required or default | meaning |", "|---|---|---|---|"]
    for name, info in model.model_fields.items():
        key = info.alias or name
        meaning = (info.description or "").replace("|", "\\|").replace("\n", " ")
        rows.append(f"| `{key}` | {_field_type(info, name)} | {_default(info)} | {meaning} |")
    return "\n".join(rows) + "\n"


def refresh(text: str) -> str:
    """The text with every marked key table regenerated (an unknown model name is left alone)."""

    def one(m: re.Match[str]) -> str:
        model = MODELS.get(m.group(2))
        if model is None:
            return m.group(0)
        return m.group(1) + key_table(model) + m.group(4)

    return _BLOCK.sub(one, text)


def tables_in(text: str) -> list[str]:
    """The model names whose tables `text` marks."""
    return [m.group(2) for m in _BLOCK.finditer(text)]


def main(argv: list[str]) -> int:
    """Rewrite each file named in `argv` with its tables regenerated."""
    for name in argv:
        path = Path(name)
        path.write_text(refresh(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


__all__ = ["MODELS", "ScenarioModel", "key_table", "refresh", "tables_in"]

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
