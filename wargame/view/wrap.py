"""Lines of a numbered list that wrap without looking like the next item: `Hanging` wraps a
line of text to the width it is given, hangs every continuation line under it by a few columns,
and never lets a continuation line begin with a number ("7 - escalation", "55% now chance",
"-1"), which a reader of a numbered menu would take for another item's number. Used by the
options menu at `play`'s prompt (`wargame.view.menu`), the full-screen option lists
(`wargame.tui.screens`, `wargame.tui.remote_screens`) and the line client's menu
(`wargame.serve.client`)."""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

__all__ = ["Hanging", "hanging_lines"]

_WORD = re.compile(r"\S+")
_NUMBER_LED = re.compile(r"[-+−]?\d")  # "7", "55%", "-1", "+2": kept on the line of the word before


def _units(plain: str) -> list[tuple[int, int]]:
    """(start, end) of the pieces a line may break between: words, with a word that begins with a
    number joined to the word before it (so "min(1, 7 - escalation)" breaks before "min(1, 7"
    or after "7", never just before "7")."""
    units: list[tuple[int, int]] = []
    for match in _WORD.finditer(plain):
        if units and _NUMBER_LED.match(match.group()):
            units[-1] = (units[-1][0], match.end())
        else:
            units.append((match.start(), match.end()))
    return units


def _split(plain: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """A piece wider than `limit` cells cut into pieces that fit: at the last space that leaves a
    fitting head, before a word that does not begin with a number if there is one, else at any
    space, else through a word (as rich's fold does)."""
    pieces = []
    while cell_len(plain[start:end]) > limit:
        spaces = [m.start() for m in _WORD.finditer(plain, start, end)
                  if m.start() > start and cell_len(plain[start:m.start()].rstrip()) <= limit]
        wordy = [at for at in spaces if not _NUMBER_LED.match(plain, at)]
        if wordy or spaces:
            cut = (wordy or spaces)[-1]
        else:
            cut = start + 1
            while cut < end and cell_len(plain[start:cut + 1]) <= limit:
                cut += 1
        pieces.append((start, start + len(plain[start:cut].rstrip())))
        start = cut
        while start < end and plain[start].isspace():
            start += 1
    pieces.append((start, end))
    return pieces


def hanging_lines(plain: str, width: int, hang: int) -> list[tuple[int, int]]:
    """(start, end) of each line of `plain` wrapped to `width` cells, the first line from the
    start of `plain` (leading spaces kept), the others to be drawn after `hang` spaces. No line
    but the first begins with a number, unless one formula is wider than a whole line. Newlines
    in `plain` count as spaces. `width` and `hang` in terminal cells; `hang` is cut to leave at
    least 8 cells for text."""
    plain = plain.replace("\n", " ")  # the same length, so the spans hold for the text given
    hang = max(0, min(hang, width - 8))
    limit = max(1, width - hang)  # every piece fits a continuation line, so any line
    units = _units(plain)
    pieces = [piece for i, (a, b) in enumerate(units)  # the first fits after the leading spaces too
              for piece in _split(plain, a, b, max(1, min(limit, width - a)) if i == 0 else limit)]
    lines: list[tuple[int, int]] = []
    start, end = 0, 0  # the line being filled: the first from 0, keeping any leading spaces
    room = width
    for a, b in pieces:
        if end > start and cell_len(plain[start:b]) > room:
            lines.append((start, end))
            start, room = a, width - hang
        end = b
    lines.append((start, end if end > start else len(plain.rstrip())))
    return lines


class Hanging:
    """A line of rich `Text` (styles kept) that wraps to the width it is drawn at, its
    continuation lines `hang` cells in, none of them beginning with a number
    (`hanging_lines`). Never read as markup: it draws the Text it is given."""

    def __init__(self, text: Text, hang: int = 2) -> None:
        self.text = text
        self.hang = hang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, options.max_width)
        spans = hanging_lines(self.text.plain, width, self.hang)
        hang = max(0, min(self.hang, width - 8))
        for i, (start, end) in enumerate(spans):
            line = self.text[start:end]
            line.plain = line.plain.replace("\n", " ")
            if i:
                line = Text.assemble(" " * hang, line)
            line.no_wrap = True
            line.overflow = "crop"
            line.end = "\n"
            yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        plain = self.text.plain.replace("\n", " ")
        longest = max((cell_len(plain[a:b]) for a, b in _units(plain)), default=0)
        return Measurement(min(longest, options.max_width), min(cell_len(plain), options.max_width))
