"""Did-you-mean for every name a scenario looks up, and for keys of the format itself.

`hint("interets", ["interests", ...])` is `"; did you mean 'interests'?"`: appended to an error
message, it turns "unknown key" into something an author can act on at once.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable

from pydantic import BaseModel


def hint(name: str, choices: Iterable[str]) -> str:
    """`"; did you mean 'X'?"` for the closest of `choices` to `name`, or "" when none is close."""
    options = [c for c in choices if c != name]
    close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    if not close:  # a dotted name: compare the part after the dot too (japan.suport)
        tails = {c.rsplit(".", 1)[-1]: c for c in options if "." in c}
        if "." in name and tails:
            found = difflib.get_close_matches(name.rsplit(".", 1)[-1], list(tails), n=1, cutoff=0.6)
            close = [c for c in options if c.rsplit(".", 1)[-1] in found and c.split(".")[0] == name.split(".")[0]]
    return f"; did you mean {close[0]!r}?" if close else ""


def _models_in(annotation: object) -> list[type[BaseModel]]:
    """The pydantic models an annotation holds: itself, or inside list/dict/Optional/Annotated."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    origin = typing.get_origin(annotation)
    if origin is not None or isinstance(annotation, types.UnionType):
        for arg in typing.get_args(annotation):
            out += _models_in(arg)
    return out


def keys_at(root: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The keys the format allows in the table at `loc` (TOML names: `from`, not `from_`);
    [] when `loc` does not lead to a table of the format."""
    models = [root]
    keyed = False  # the last key was a table keyed by id (categories): the next part is an id
    for part in loc:
        if isinstance(part, int):
            continue
        if keyed:
            keyed = False
            continue
        nxt: list[type[BaseModel]] = []
        for model in models:
            for name, info in model.model_fields.items():
                if part in (name, info.alias):
                    nxt += _models_in(info.annotation)
                    keyed = typing.get_origin(info.annotation) is dict
        models = nxt
        if not models:
            return []
    return sorted({info.alias or name for model in models for name, info in model.model_fields.items()})
