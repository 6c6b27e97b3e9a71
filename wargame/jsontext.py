"""JSON as wargame writes and reads it: strict RFC 8259, always.

Python's json module writes NaN and Infinity by default and reads them back, but they are not
JSON: other readers refuse the line. Every JSON wargame writes (game records, `--json` output,
state digests) goes through `dumps`, which refuses them, and every record line is read through
`loads`, which refuses them too.
"""

from __future__ import annotations

import json
from typing import Any


class NotStrictJson(ValueError):
    """A JSON text with NaN, Infinity or -Infinity in it."""


def _refuse(name: str) -> Any:
    raise NotStrictJson(f"{name} is not a JSON number")


def dumps(value: Any, **options: Any) -> str:
    """json.dumps with allow_nan=False (ValueError on a non-finite float) and UTF-8 kept as is."""
    options.setdefault("ensure_ascii", False)
    return json.dumps(value, allow_nan=False, **options)


_DECODERS: dict[Any, json.JSONDecoder] = {}  # one decoder per hook: json.loads with options builds one a call


def loads(text: str | bytes, object_pairs_hook: Any = None) -> Any:
    """json.loads that refuses NaN, Infinity and -Infinity (NotStrictJson, a ValueError)."""
    decoder = _DECODERS.get(object_pairs_hook)
    if decoder is None:
        decoder = _DECODERS[object_pairs_hook] = json.JSONDecoder(parse_constant=_refuse,
                                                                  object_pairs_hook=object_pairs_hook)
    if isinstance(text, bytes | bytearray):
        text = text.decode("utf-8")
    return decoder.decode(text)
