"""A WebSocket connection to a wargame server for code that runs in ordinary threads (the line
client of `wargame join --plain`).

All of its network I/O runs on one asyncio event loop in a thread of its own, through websockets'
asyncio client. websockets' sync client reads the socket in a background thread while the caller
writes it from another; over TLS (wss://) that uses one OpenSSL connection from two threads at
once, which OpenSSL does not allow, and about one connection in a few hundred hung for good. Here
a TLS socket is only ever touched by the loop's thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine, Iterator
from concurrent.futures import CancelledError
from ssl import SSLContext
from typing import Any, TypeVar

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosedError, ConnectionClosedOK

T = TypeVar("T")
GRACE = 5.0  # seconds beyond a call's own timeout before the caller stops waiting for the loop


class Wire:
    """One open WebSocket connection, used from any thread; a context manager that closes it.

    `Wire(url, open_timeout=10, max_size=2**24, ssl=None)` connects before returning (`ssl`: the
    context for wss://, else the machine's trusted certificates); it raises what
    websockets' `connect` raises (OSError, InvalidHandshake, InvalidURI) or TimeoutError after
    `open_timeout` seconds. `send` and `recv` raise `ConnectionClosed` once the connection is
    gone. Text frames only: `recv` returns `str`.
    """

    def __init__(self, url: str, *, open_timeout: float = 10.0, max_size: int = 2**24,
                 ssl: SSLContext | None = None) -> None:
        self._loop = asyncio.new_event_loop()
        self._lock = threading.Lock()
        self._closed = False  # set (under _lock) before the loop is settled and stopped
        self._thread = threading.Thread(target=self._loop.run_forever, name="wargame-wire", daemon=True)
        self._thread.start()
        async def open_() -> ClientConnection:
            tls = {} if ssl is None else {"ssl": ssl}
            return await connect(url, open_timeout=open_timeout, close_timeout=GRACE, max_size=max_size, **tls)
        try:
            self._ws = self._run(open_(), open_timeout + GRACE)
        except BaseException:
            self._stop()
            raise

    def _run(self, coroutine: Coroutine[Any, Any, T], timeout: float | None) -> T:
        with self._lock:
            if self._closed:  # closed (by another thread, say): as the connection would say it
                coroutine.close()
                raise ConnectionClosedOK(None, None)
            future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout)
        except CancelledError:  # the loop was stopped under a waiting call: the connection is gone
            raise ConnectionClosedError(None, None) from None

    def send(self, text: str) -> None:
        """Send one text frame (returns once it is written to the socket)."""
        self._run(self._ws.send(text), None)

    def recv(self, timeout: float | None = None) -> str:
        """The next text frame; TimeoutError after `timeout` seconds (None: wait while the
        connection lasts)."""
        async def next_frame() -> str:
            return str(await asyncio.wait_for(self._ws.recv(), timeout))
        return self._run(next_frame(), None if timeout is None else timeout + GRACE)

    def __iter__(self) -> Iterator[str]:
        """Every frame until the server closes normally (an abnormal end raises ConnectionClosed)."""
        while True:
            try:
                yield self.recv()
            except ConnectionClosedOK:
                return

    def close(self) -> None:
        """Close the connection (waits at most a few seconds for the server) and stop the loop."""
        if self._closed:
            return
        with contextlib.suppress(OSError, TimeoutError, RuntimeError):  # closing anyway: the socket goes with the loop
            self._run(self._ws.close(), 2 * GRACE)
        self._stop()

    def _stop(self) -> None:
        with self._lock:  # no call reaches the loop after this; those before are settled below
            self._closed = True
        async def settle() -> None:  # let calls woken by the close finish, end the rest
            others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            if others:
                _, pending = await asyncio.wait(others, timeout=1)
                for task in pending:
                    task.cancel()
                if pending:
                    await asyncio.wait(pending, timeout=1)
        with contextlib.suppress(TimeoutError, CancelledError, RuntimeError):
            asyncio.run_coroutine_threadsafe(settle(), self._loop).result(3 * GRACE)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(GRACE)
        if not self._thread.is_alive():
            self._loop.close()

    def __enter__(self) -> Wire:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
