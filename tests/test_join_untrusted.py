"""`wargame join --plain` against addresses and servers it cannot trust: a mistyped address is a
usage error (status 2), a server that sends frames that are not wargame messages is treated as a
dropped connection (no traceback, the client keeps trying), and the line client's connection
(wargame.serve.wire.Wire) answers ConnectionClosed, never a raw error, once it is closed."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pexpect
import pytest
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from tests.serving import ROOT
from wargame.errors import UsageError
from wargame.serve.joining import socket_url
from wargame.serve.wire import Wire

Handler = Callable[[ServerConnection], Awaitable[None]]


@contextmanager
def websocket_server(handler: Handler) -> Iterator[str]:
    """A WebSocket server on 127.0.0.1 (a free port) running `handler` in a thread; its http:// URL."""
    ready: list[str] = []
    started, stop = threading.Event(), threading.Event()

    async def main() -> None:
        async with serve(handler, "127.0.0.1", 0) as server:
            port = next(iter(server.sockets)).getsockname()[1]
            ready.append(f"http://127.0.0.1:{port}/")
            started.set()
            while not stop.is_set():
                await asyncio.sleep(0.05)

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    assert started.wait(10), "the test server did not start"
    try:
        yield ready[0]
    finally:
        stop.set()
        thread.join(10)


@pytest.mark.parametrize("address", ["http://127.0.0.1:abc/", "http://127.0.0.1:99999/", "http://a..b/",
                                     "http://127.0.0.1:0/", "ftp://127.0.0.1/", "http:///", "http://[::1/",
                                     "http://[zz]/"])
def test_a_mistyped_address_is_a_usage_error(address: str) -> None:
    with pytest.raises(UsageError, match="not a wargame server address"):
        socket_url(address)


def test_frames_that_are_not_wargame_messages_are_a_dropped_connection_not_a_crash() -> None:
    async def hostile(ws: ServerConnection) -> None:
        await ws.recv()  # the hello
        await ws.send(json.dumps({"type": "welcome", "kind": "seat", "name": "Testland"}))
        await ws.send("[1, 2]")  # JSON, but not an object
        await asyncio.sleep(0.2)
        await ws.send("not json at all")
        await asyncio.sleep(5)

    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "120", "TERM": "dumb"}
    with websocket_server(hostile) as url:
        child = pexpect.spawn(sys.executable, ["-m", "wargame", "join", url, "--code", "ABCDE-FGHIJ", "--plain"],
                              cwd=str(ROOT), env=env, encoding="utf-8", timeout=60, dimensions=(40, 120))
        try:
            child.expect("Joined as Testland")
            child.expect("The connection dropped; reconnecting")
            child.expect("Joined as Testland")  # it tried again, with its code
            child.sendeof()
            child.expect(pexpect.EOF)
            said = child.before
        finally:
            child.close(force=True)
    assert "Traceback" not in said and "internal error" not in said, said
    assert child.exitstatus == 0


def test_the_line_clients_connection_says_closed_after_close() -> None:
    async def echo(ws: ServerConnection) -> None:
        async for message in ws:
            await ws.send(message)

    with websocket_server(echo) as url:
        wire = Wire(url.replace("http://", "ws://"), open_timeout=10)
        wire.send("ping")
        assert wire.recv(timeout=10) == "ping"
        heard: list[BaseException] = []

        def listen() -> None:
            try:
                for _ in wire:
                    pass
            except BaseException as err:  # what a listener thread would see
                heard.append(err)

        listener = threading.Thread(target=listen, daemon=True)
        listener.start()
        wire.close()
        listener.join(20)
        assert not listener.is_alive(), "the listener was left waiting after close"
        assert heard == [] or isinstance(heard[0], ConnectionClosed), heard
        with pytest.raises(ConnectionClosed):
            wire.recv(timeout=1)
        with pytest.raises(ConnectionClosed):
            wire.send("after close")
        wire.close()  # twice is harmless


def test_a_certificate_not_trusted_here_is_said_at_once_with_what_to_do(tmp_path: Path) -> None:
    """Trying again cannot help with a certificate this machine does not trust: the first failure
    ends the client (status 2) and names SSL_CERT_FILE."""
    import subprocess

    from tests.serving import Server, self_signed

    cert, key = self_signed(tmp_path)
    server = Server(["serve", "defining-roles", "--human", "us", "--linger", "0", "--certfile", str(cert),
                     "--keyfile", str(key)], tmp_path)
    try:
        env = {k: v for k, v in os.environ.items() if k not in ("SSL_CERT_FILE", "SSL_CERT_DIR")}
        result = subprocess.run([sys.executable, "-m", "wargame", "join", server.info["url"], "--code",
                                 server.code("us"), "--plain"], cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)},
                                capture_output=True, text=True, timeout=60, check=False, stdin=subprocess.DEVNULL)
    finally:
        server.kill()
    assert result.returncode == 2, result.stderr
    assert "SSL_CERT_FILE=cert.pem" in result.stderr and "trying again" not in result.stdout + result.stderr
