"""pydantic's validation errors in the scenario format's own words: one line per problem.

pydantic names the Python types it tried (`options[2].chance.float`, `...constrained-str`,
"Input should be a valid dictionary or instance of Turns"). A scenario author wrote TOML, so
each problem is said here in TOML's words (text in quotes, a whole number, a table, a list),
with the key as written in the file, and a union of types gives one line, not one per member.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from typing import Any

from wargame.scenario.models import ID, OPTION_ID, PRINTABLE, SCENARIO_ID, ScenarioModel
from wargame.scenario.suggest import hint, keys_at

Loc = tuple[str | int, ...]

_TYPE_WORDS = {
    "string_type": "text in quotes",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list ([...])",
    "model_type": "a table ([name] or { ... })",
    "model_attributes_type": "a table ([name] or { ... })",
    "dict_type": "a table ([name] or { ... })",
}
_TAG_WORDS = {"float": "a number", "int": "a whole number", "str": "text in quotes",
              "constrained-str": "text in quotes", "bool": "true or false"}


def described(value: object) -> str:
    """A TOML value as its author would name it: `true`, `a whole number (5)`, `text ("x")`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"a whole number ({value})"
    if isinstance(value, float):
        return f"a number ({value!r})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"text ({shown!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, datetime | date | time):
        return "a date or time"
    return "another kind of value"


def split_loc(raw: object, loc: Loc) -> tuple[Loc, Loc]:
    """(the key path in the file, pydantic's union-member tags after it). The path follows the
    parsed TOML as far as it goes; parts after a value that is no table or list are the tags."""
    current: Any = raw
    for i, part in enumerate(loc):
        if isinstance(current, Mapping) and isinstance(part, str):
            if part not in current:  # a missing key: the key is the last part
                return loc[: i + 1], loc[i + 1:]
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        else:
            return loc[:i], loc[i:]
    return loc, ()


def _value_at(raw: object, loc: Loc) -> object:
    current: Any = raw
    for part in loc:
        try:
            current = current[part]
        except (KeyError, IndexError, TypeError):
            return None
    return current


def _pattern(pattern: str, value: object) -> str:
    shown = f"{value!r} is not an id: " if isinstance(value, str) else ""
    if pattern == PRINTABLE:
        return "contains a control character (an escape sequence?); only printable text, newlines and tabs"
    if pattern == OPTION_ID:
        return (f"{shown}an option id is its nation's id, a dot and a name, each lowercase letters, digits "
                "and _, starting with a letter (japan.hold)")
    if pattern == SCENARIO_ID:
        return f"{shown}a scenario id is lowercase letters, digits, _ and -, starting with a lowercase letter"
    if pattern == ID:
        hint = ""
        if isinstance(value, str) and value:
            fixed = re.sub(r"[^a-z0-9_]", "_", value.lower())
            if fixed[0].isalpha() and fixed != value:
                hint = f" ({fixed!r} would do)"
        return (f"{shown}an id is lowercase letters, digits and _ (no '-', no '.'), starting with a "
                f"lowercase letter{hint}")
    return f"does not have the form this key needs ({pattern})"


def message(error: Mapping[str, Any], value: object) -> str:
    """One pydantic error, said in the format's words; `value` is what the file gave."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        loc = tuple("from" if part == "from_" else part for part in error.get("loc", ()))
        close = hint(str(loc[-1]), keys_at(ScenarioModel, loc[:-1])) if loc else ""
        return f"unknown key (not part of the scenario format{close or '; check the spelling'})"
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        allowed = re.findall(r"'([^']*)'", expected)
        close = hint(value, allowed) if isinstance(value, str) else ""
        return f"{value!r} is not allowed{close} (one of: {', '.join(allowed)})"
    if kind == "missing":
        return "required key is missing"
    if kind == "string_pattern_mismatch":
        return _pattern(str(ctx.get("pattern", "")), value)
    if kind in _TYPE_WORDS:
        return f"must be {_TYPE_WORDS[kind]}, not {described(value)}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = next(iter(ctx.values()), "?")
        words = {"greater_than_equal": "at least", "less_than_equal": "at most",
                 "greater_than": "more than", "less_than": "less than"}[kind]
        return f"must be {words} {bound}, not {value}"
    if kind == "string_too_short":
        return "must not be empty" if ctx.get("min_length") == 1 else \
            f"must be at least {ctx.get('min_length')} characters"
    if kind == "string_too_long":
        length = f", not {len(value):,}" if isinstance(value, str) else ""
        return f"may be at most {ctx.get('max_length'):,} characters long{length}"
    if kind in ("too_long", "too_short"):
        return str(error.get("msg", "")).replace("List should have", "must have").replace("after validation, ", "")
    msg = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    return msg.replace("Input should be", "must be", 1)


def problems(raw: object, errors: Iterable[Mapping[str, Any]]) -> list[tuple[Loc, str]]:
    """Every pydantic error as (key path in the file, message), one per problem: the errors of
    one value under a union of types become one line."""
    grouped: dict[Loc, list[tuple[Loc, Mapping[str, Any]]]] = {}
    for error in errors:
        loc = tuple("from" if part == "from_" else part for part in error["loc"])
        path, tags = split_loc(raw, loc)
        grouped.setdefault(path, []).append((tags, error))
    out: list[tuple[Loc, str]] = []
    for path, group in grouped.items():
        value = _value_at(raw, path)
        tagged = [(tags, e) for tags, e in group if tags]
        if len(tagged) < 2:
            out += [(path, message(e, value)) for _, e in group]
            continue
        # a union: the member whose type fits says what is wrong; if none fits, say what would
        fitting = [e for _, e in tagged if e.get("type") not in _TYPE_WORDS]
        if fitting:
            out += [(path, m) for m in dict.fromkeys(message(e, value) for e in fitting)]
        else:
            wanted = list(dict.fromkeys(_TAG_WORDS.get(str(tags[0]), "a table") for tags, _ in tagged))
            words = " or ".join(wanted)
            if path and path[-1] == "chance":
                words = 'a number from 0 to 1, or an expression in quotes ("0.1 * japan.support")'
            out.append((path, f"must be {words}, not {described(value)}"))
        out += [(path, message(e, value)) for tags, e in group if not tags]
    return out
