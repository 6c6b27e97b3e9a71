"""What every inbound frame's model shares (wargame.serve.protocol, wargame.serve.white_commands):
strict, frozen, no field but its own; and one line of plain text, refused if it carries control
characters.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wargame.text import has_unsafe

MAX_NOTE = 500  # characters of a delegation's note, as at the keyboard


def plain_line(text: str) -> str:
    """One line of plain text: runs of whitespace become one space; the characters wargame.text
    calls unsafe (control codes, bidi overrides) are refused rather than stored in the record."""
    line = " ".join(text.split())
    if has_unsafe(line):
        raise ValueError("control characters are not allowed")
    return line


class InboundModel(BaseModel):
    """The base of every inbound frame's model: unknown fields, wrong types and coercions refused."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

