"""The consoles: data to stdout, messages to stderr. rich honours NO_COLOR, COLUMNS and
non-terminal output (no colour codes, no animation) by itself; nothing here overrides that."""

from __future__ import annotations

from functools import cache

from rich.console import Console


@cache
def console() -> Console:
    return Console(highlight=False)


@cache
def err_console() -> Console:
    return Console(stderr=True, highlight=False)
