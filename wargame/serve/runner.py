"""Running the app: uvicorn in a background thread on a socket bound here, so the port is known
(port 0 picks a free one) before the first join code is printed."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from wargame.errors import UsageError
from wargame.serve.protocol import MAX_FRAME

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
START_TIMEOUT = 15.0


@dataclass
class Running:
    server: uvicorn.Server
    thread: threading.Thread
    port: int

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def bind(host: str, port: int) -> socket.socket:
    """A listening-ready socket on host:port, or a UsageError saying why not."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # so asyncio turns Nagle off per connection
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as err:
        sock.close()
        raise UsageError(f"cannot serve on {host}:{port}: {err.strerror}") from None
    return sock


def check_tls(certfile: Path | None, keyfile: Path | None) -> None:
    """UsageError unless TLS is off, or both files are given, there, and load as a certificate
    and its private key (checked here, before any file of the game is written, as uvicorn would
    load them: a bad pair would otherwise stop the server's thread with a traceback)."""
    if (certfile is None) != (keyfile is None):
        raise UsageError("TLS needs both --certfile and --keyfile")
    for path in (certfile, keyfile):
        if path is not None and not path.is_file():
            raise UsageError(f"{path}: no such file")
    if certfile is None or keyfile is None:
        return
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).load_cert_chain(str(certfile), str(keyfile), password=_no_password)
    except (ssl.SSLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", None) or getattr(err, "strerror", None) or str(err)
        raise UsageError(f"--certfile {certfile} with --keyfile {keyfile}: not a PEM certificate and its "
                         f"unencrypted private key ({reason})") from None


def _no_password() -> str:
    """An encrypted key is refused in words, never asked for at a prompt the server cannot show."""
    raise ValueError("the private key is encrypted")


def start(app: Starlette, sock: socket.socket, *, certfile: Path | None = None,
          keyfile: Path | None = None) -> Running:
    """Serve `app` on `sock` (from `bind`) in a daemon thread; returns once it accepts connections."""
    check_tls(certfile, keyfile)
    host, port = sock.getsockname()[:2]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", ws_max_size=MAX_FRAME,
                            ws_per_message_deflate=False, server_header=False,
                            ssl_certfile=str(certfile) if certfile else None,
                            ssl_keyfile=str(keyfile) if keyfile else None)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="wargame-serve", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise UsageError(f"the server on {host}:{port} did not start (see the messages above)")
        time.sleep(0.02)
    return Running(server, thread, sock.getsockname()[1])


def lan_address() -> str:
    """This machine's address on its network, for the join URLs when serving beyond loopback
    (no packet is sent: a UDP socket is only pointed at a private address)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return str(probe.getsockname()[0])
        except OSError:
            return "127.0.0.1"
