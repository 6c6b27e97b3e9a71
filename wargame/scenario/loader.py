"""Read a scenario file from disk: size, encoding and TOML checks, then the models, then the
build; every problem comes back as `PATH:LINE: dotted.key: message`, all at once."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import replace
from functools import cache, lru_cache
from pathlib import Path

from pydantic import ValidationError

from wargame.errors import Problem, ScenarioError, ScenarioNotFound
from wargame.files import read_bytes, size_of, strip_bom
from wargame.scenario import messages
from wargame.scenario.build import build
from wargame.scenario.locate import find_line, line_index
from wargame.scenario.models import ScenarioModel
from wargame.scenario.scenario import Scenario
from wargame.scenario.variants import check_variants, personas

MAX_BYTES = 2_000_000
MAX_NESTING = 24


def load(path: str | Path) -> Scenario:
    """Load, validate and compile one scenario file, or raise ScenarioError with every problem.

    A file whose bytes were loaded before in this process is not compiled again: a Scenario is
    immutable, and verifying a folder of game logs loads the same scenario for each."""
    data = read_bytes(path, ScenarioNotFound, "a scenario file", MAX_BYTES)
    if len(data) > MAX_BYTES:  # said with the file's real size, not the bytes read to find out
        size = max(size_of(path) or 0, len(data))
        raise ScenarioError([Problem(str(path), None, "", f"file is {size:,} bytes; a scenario may be at most "
                                     f"{MAX_BYTES:,} bytes (docs/scenario-format.md, Limits)")])
    return compile_bytes(data, str(path))


def compile_bytes(data: bytes, shown: str) -> Scenario:
    """`parse`, reusing a Scenario already compiled from the same bytes in this process."""
    return _parse_once(hashlib.sha256(data).hexdigest(), shown, data)


def canonical(data: bytes) -> bytes:
    """A scenario file's content as wargame reads and identifies it: without a leading UTF-8
    byte-order mark, and with CRLF line endings as LF. A file saved by Notepad, or checked out by
    git with autocrlf, is the same scenario, with the same sha256 in records
    (docs/record-format.md, "The scenario's sha256")."""
    return strip_bom(data).replace(b"\r\n", b"\n")


@lru_cache(maxsize=16)
def _parse_once(digest: str, shown: str, data: bytes) -> Scenario:
    return parse(data, shown)


def parse(data: bytes, shown: str) -> Scenario:
    """Validate and compile scenario bytes; `shown` is how the file is named in errors."""

    def fail(message: str, line: int | None = None, key: str = "") -> ScenarioError:
        return ScenarioError([Problem(shown, line, key, message)])

    if len(data) > MAX_BYTES:
        raise fail(f"file is more than {MAX_BYTES:,} bytes, the most a scenario may be")
    data = canonical(data)
    if not data.strip():
        raise fail("file is empty")
    if b"\x00" in data:
        raise fail("file is binary, not a TOML scenario")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise fail(f"file is not UTF-8 text (byte {err.start + 1})", line) from None
    depth = _max_nesting(text)
    if depth > MAX_NESTING:
        raise fail(f"brackets are nested {depth} deep; a scenario may nest at most {MAX_NESTING}")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise fail(f"TOML syntax error: {err}", _toml_line(str(err))) from None
    except RecursionError:
        raise fail("TOML is nested too deeply") from None
    def problem(loc: tuple[str | int, ...], message: str) -> Problem:
        return Problem(shown, find_line(_lines(), loc), _dotted(loc), message)

    @cache
    def _lines() -> dict[tuple[str | int, ...], int]:  # only needed to report problems
        return line_index(text)

    try:
        model = ScenarioModel.model_validate(raw)
    except ValidationError as err:
        raise ScenarioError([problem(loc, msg) for loc, msg in messages.problems(raw, err.errors())]) from None
    sha = hashlib.sha256(data).hexdigest()
    scenario, problems = build(model, shown, sha)
    if scenario is None:
        raise ScenarioError([problem(loc, msg) for loc, msg in problems])
    compiled, problems = personas(scenario)
    problems += check_variants(scenario)
    if problems:
        raise ScenarioError([problem(loc, msg) for loc, msg in problems])
    return replace(scenario, source=data, personas=compiled)


def _dotted(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def _toml_line(message: str) -> int | None:
    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else None


_NOT_BRACKETS = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*')
_BRACKETS = re.compile(r"[\[\]{}]")


def _max_nesting(text: str) -> int:
    """Deepest bracket nesting outside strings and comments, measured before tomllib recurses
    into it. Approximate (strings are taken to end with their line), erring on the side of
    counting brackets in prose, never of missing deep nesting."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_NOT_BRACKETS.sub("", text)):
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(depth - 1, 0)
    return deepest
