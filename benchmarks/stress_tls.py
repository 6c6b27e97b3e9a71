"""TLS connections to one served game, on this machine's loopback only: how many connect, say
hello and close cleanly with websockets' sync client (which reads one TLS socket in a thread
while the caller writes it from another) and with wargame.serve.wire.Wire (the line client's
connection: every read and write on one asyncio loop).

    python benchmarks/stress_tls.py [CONNECTIONS] [RUNS]

Each run: a fresh `wargame serve` with a self-made certificate (needs the openssl command), then
up to CONNECTIONS (default 800) connections one after another; a connection not done within
HUNG seconds counts as a hang and ends that run (its thread cannot be stopped). Prints, per
client, connections made and hangs over RUNS (default 3) runs. Measured on 2 cores: sync client
5 hangs in 2,210 connections; Wire none in 3,200.
"""

from __future__ import annotations

import json
import ssl
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.serving import Server, self_signed  # noqa: E402

HUNG = 20.0


def sync_hello(url: str, code: str, cert: Path) -> None:
    from websockets.sync.client import connect

    with connect(url, ssl=ssl.create_default_context(cafile=str(cert)), open_timeout=10) as ws:
        ws.send(json.dumps({"type": "hello", "code": code}))
        assert json.loads(ws.recv(timeout=10))["nation"] == "us"


def wire_hello(url: str, code: str, cert: Path) -> None:
    from wargame.serve.wire import Wire

    with Wire(url, ssl=ssl.create_default_context(cafile=str(cert))) as ws:
        ws.send(json.dumps({"type": "hello", "code": code}))
        assert json.loads(ws.recv(timeout=10))["nation"] == "us"


def run(hello: Callable[[str, str, Path], None], connections: int) -> tuple[int, bool]:
    """(connections made, whether one hung) against a fresh server."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cert, key = self_signed(folder)
        server = Server(["serve", "defining-roles", "--human", "us", "--linger", "0",
                         "--certfile", str(cert), "--keyfile", str(key)], folder)
        url = server.info["url"].replace("https://", "wss://") + "ws"
        try:
            def attempt() -> None:
                try:
                    hello(url, server.code("us"), cert)
                except Exception as err:  # a hung connection's thread ends so once the server is gone
                    failures.append(err)

            failures: list[Exception] = []
            for made in range(connections):
                one = threading.Thread(target=attempt, daemon=True)
                one.start()
                one.join(HUNG)
                if one.is_alive():
                    return made, True
                assert not failures, failures
            return connections, False
        finally:
            server.kill()


def main() -> None:
    connections = int(sys.argv[1]) if len(sys.argv) > 1 else 800
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    if subprocess.run(["openssl", "version"], capture_output=True, timeout=30, check=False).returncode:
        sys.exit("needs the openssl command")
    for name, hello in (("websockets sync client", sync_hello), ("wargame.serve.wire.Wire", wire_hello)):
        made = hangs = 0
        for _ in range(runs):
            done, hung = run(hello, connections)
            made, hangs = made + done, hangs + hung
        print(f"{name:26} {made:6} connections, {hangs} hung")


if __name__ == "__main__":
    main()
