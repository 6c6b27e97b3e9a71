"""Find the source line of a dotted key in a TOML file, so errors point where authors look.

tomllib keeps no positions, so this reads the text line by line, following table headers
(`[a.b]`, `[[a]]`, `[[a.b]]`) and `key =` lines. It is a locator, not a parser: a key it cannot
place falls back to the nearest enclosing table it can.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")
_PART = re.compile(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""")

Path = tuple[str | int, ...]


def _parts(dotted: str) -> list[str]:
    return [p.strip("\"'") for p in _PART.findall(dotted)]


class _Array:
    """A multi-line array being read: which entry each line starts, so an error inside
    `thresholds = [` points at the entry, not at the key."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.depth = 0  # brackets and braces open, counting the array's own `[`
        self.index = 0  # the entry being read
        self.waiting = True  # the next value seen starts entry `index`

    def feed(self, text: str, number: int, lines: dict[Path, int]) -> None:
        quote = ""
        escaped = False
        for char in text:
            if quote:
                if escaped:
                    escaped = False
                elif char == "\\" and quote == '"':
                    escaped = True
                elif char == quote:
                    quote = ""
                continue
            if char == "#":
                return
            if char in "[{":
                self.depth += 1
                if self.depth == 1:
                    continue
            elif char in "]}":
                self.depth -= 1
                continue
            if self.depth == 1 and char == ",":
                self.index += 1
                self.waiting = True
                continue
            if self.depth >= 1 and self.waiting and not char.isspace():
                lines.setdefault((*self.path, self.index), number)
                self.waiting = False
            if char in "\"'":
                quote = char

    @property
    def done(self) -> bool:
        return self.depth <= 0


def line_index(text: str) -> dict[Path, int]:
    """Map every table and key path found in `text` to its 1-based line number; an entry of
    a multi-line array (`thresholds = [` then one entry a line) maps to its own line."""
    lines: dict[Path, int] = {}
    counts: dict[Path, int] = {}
    table: Path = ()
    in_multiline: str | None = None
    array: _Array | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw
        if in_multiline:
            if in_multiline in line:
                in_multiline = None
            continue
        if array is not None:
            array.feed(line, number, lines)
            if array.done:
                array = None
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            names = _parts(header.group(2))
            resolved: list[str | int] = []
            # each name descends through the current array-of-tables element, if any
            for name in names:
                resolved.append(name)
                prefix = tuple(resolved)
                if prefix in counts and (len(resolved) < len(names) or header.group(1) == "["):
                    resolved.append(counts[prefix] - 1)
            path: Path = tuple(resolved)
            if header.group(1) == "[[":
                counts[path] = counts.get(path, 0) + 1
                path = (*path, counts[path] - 1)
            table = path
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            path = (*table, *_parts(key.group(1)))
            lines.setdefault(path, number)
            rest = line[key.end():]
            for quote in ('"""', "'''"):
                if rest.count(quote) == 1:
                    in_multiline = quote
            if rest.strip().startswith("[") and not in_multiline:
                array = _Array(path)
                array.feed(rest, number, lines)
                if array.done:
                    array = None
    return lines


def find_line(lines: dict[Path, int], path: Path) -> int | None:
    """The line of `path`, or of its nearest enclosing key or table that was found."""
    for end in range(len(path), 0, -1):
        found = lines.get(tuple(path[:end]))
        if found is not None:
            return found
    return None
