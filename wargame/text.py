"""The one rule for text that came from a file and may reach a terminal.

Unsafe are: C0 control characters but newline and tab (ESC starts every escape sequence), DEL,
the C1 codes U+0080-U+009F (U+009B is an 8-bit CSI that some terminals obey), and the Unicode
bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) that make text
read in another order than it is stored. Scenario text and record lines with them are refused
(wargame.scenario.models, wargame.record.reader); anything else from a file that is printed (a
TOML key in a message, a path) goes through `escape_unsafe` first.

Text a player types into a message (wargame.engine.negotiation) is held to more: it is one line
(`one_line` collapses every run of spaces, tabs, newlines and Unicode spaces to one space) with
no format or separator character (`format_characters`: Unicode categories Cf, Zl, Zp, such as
U+200B zero width space, U+202E, U+2028), so a message can neither pad itself out to a fake
line of its own nor hide what it says.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

UNSAFE_CLASS = "\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069"
UNSAFE = re.compile(f"[{UNSAFE_CLASS}]")
# the same rule as a pydantic string pattern: no unsafe character anywhere
PRINTABLE = f"^[^{UNSAFE_CLASS}]*$"
# tab, newline, space and the Unicode space separators (category Zs)
SPACE_RUN = re.compile("[\\t\\n \\u00a0\\u1680\\u2000-\\u200a\\u202f\\u205f\\u3000]+")
FORMAT_CATEGORIES = frozenset({"Cf", "Zl", "Zp"})


def has_unsafe(value: Any) -> bool:
    """Whether `value` (a string, or JSON-like lists and dicts of them, keys included) holds an
    unsafe character."""
    if isinstance(value, str):
        return UNSAFE.search(value) is not None
    if isinstance(value, dict):
        return any(has_unsafe(k) or has_unsafe(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_unsafe(v) for v in value)
    return False


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_unsafe(text: str) -> str:
    """`text` with each unsafe character written as a visible escape: ESC as `\\x1b`, U+202E
    as `\\u202e`; everything else unchanged."""
    return UNSAFE.sub(_escape, text)


def one_line(text: str) -> str:
    """`text` with every run of whitespace (spaces, tabs, newlines, Unicode spaces) made one
    space, and none at either end."""
    return SPACE_RUN.sub(" ", text).strip()


def format_characters(text: str) -> list[str]:
    """The characters of `text` that are Unicode format or separator characters (categories
    Cf, Zl, Zp: U+200B, U+202E, U+2028, ...), each written as `U+XXXX`, in order, once each."""
    found: list[str] = []
    for char in text:
        code = f"U+{ord(char):04X}"
        if unicodedata.category(char) in FORMAT_CATEGORIES and code not in found:
            found.append(code)
    return found
