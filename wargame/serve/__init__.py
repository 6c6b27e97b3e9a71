"""Networked seats: one game hosted on a machine, delegations at their own terminals or browsers,
a read-only room view for the projector (starlette + uvicorn + WebSockets, the `serve` extra).

Only `wargame serve`, `wargame join` and `wargame resume --serve` import this package's server
and client modules; `require` names the extra when its libraries are missing.
"""

from __future__ import annotations

import importlib

from wargame.errors import MissingExtra

SERVE_LIBRARIES = ("starlette", "uvicorn", "websockets")


def require() -> None:
    """Raise MissingExtra, naming the `serve` extra, unless its libraries can be imported."""
    for name in SERVE_LIBRARIES:
        try:
            importlib.import_module(name)
        except ImportError:
            raise MissingExtra(f"networked play needs the optional 'serve' extra ({name} is not installed): "
                               "pip install 'wargame[serve]'") from None
