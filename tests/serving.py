"""Helpers for the networked-seat tests and benchmark: a real `wargame serve` process on
127.0.0.1 at a free port, and delegations that connect to it over WebSockets.

Every wait is bounded (TIMEOUT seconds); nothing here ever reaches beyond the loopback.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 30.0


class Server:
    """`python -m wargame ARGS --port PORT --json` in a subprocess (port 0: a free one); `info` is
    its JSON listing."""

    def __init__(self, args: Sequence[str], cwd: Path, port: int = 0) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
        command = [sys.executable, "-m", "wargame", *args, "--port", str(port), "--json"]
        self.proc = subprocess.Popen(command, cwd=cwd,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=env, text=True)
        self.info = self._listing()
        self.ws_url = self.info["url"].replace("http://", "ws://", 1) + "ws"

    def _listing(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            if not sel.select(TIMEOUT):
                self.kill()
                raise AssertionError("the server printed no listing")
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError(f"the server exited: {self.stderr()}")
        listing: dict[str, Any] = json.loads(line)
        return listing

    def code(self, nation: str) -> str:
        return str(self.info["seats"][nation]["code"])

    def wait(self) -> int:
        return self.proc.wait(TIMEOUT)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(TIMEOUT)

    def stderr(self) -> str:
        if self.proc.poll() is None:
            return ""
        assert self.proc.stderr is not None
        return self.proc.stderr.read()


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made by the openssl command (pytest.skip without
    one): (cert.pem, key.pem) in `folder`."""
    import shutil

    import pytest

    if shutil.which("openssl") is None:
        pytest.skip("no openssl command to make a test certificate")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   capture_output=True, check=True, timeout=60, stdin=subprocess.DEVNULL)
    return cert, key


@contextlib.contextmanager
def hello(url: str, code: str | None) -> Iterator[tuple[ClientConnection, dict[str, Any]]]:
    """Connect and say hello: the connection and the server's first answer; closed on leaving."""
    with connect(url, open_timeout=TIMEOUT, max_size=2**24) as ws:
        ws.send(json.dumps({"type": "hello", "code": code} if code is not None else {"type": "hello"}))
        yield ws, json.loads(ws.recv(timeout=TIMEOUT))


Policy = Callable[[dict[str, Any]], dict[str, Any]]


def first_open(seat: dict[str, Any]) -> dict[str, Any]:
    return next(o for o in seat["options"] if o["ok"])


def preferring(*ids: str) -> Policy:
    """Take the first of `ids` that is open, else the first open option."""
    def choose(seat: dict[str, Any]) -> dict[str, Any]:
        open_ = {o["id"]: o for o in seat["options"] if o["ok"]}
        return next((open_[i] for i in ids if i in open_), first_open(seat))
    return choose


class Delegate(threading.Thread):
    """One delegation: decides whenever its decision is due, keeps every frame it received.

    `drop_at`: on the first snapshot asking for that turn's decision, close the connection
    without deciding, reconnect with the same code and go on (a laptop that lost the network).
    `talk`: turn -> messages (`send` frames without `type` and `turn`) sent, in order, when that
    turn's decision is first due, before deciding; `after`: the same, sent after deciding. `{turn}`
    in `note` becomes the turn decided."""

    def __init__(self, url: str, code: str, policy: Policy = first_open, drop_at: int | None = None,
                 note: str = "", talk: dict[int, list[dict[str, Any]]] | None = None,
                 after: dict[int, list[dict[str, Any]]] | None = None) -> None:
        super().__init__(daemon=True)
        self.url, self.code, self.policy, self.drop_at, self.note = url, code, policy, drop_at, note
        self.talk, self.after = talk or {}, after or {}
        self.frames: list[str] = []
        self.decided: dict[int, str] = {}
        self.reconnected_due: int | None = None  # the turn the first snapshot after reconnecting asked for
        self.outcome: str | None = None
        self.errors: list[str] = []
        self.failure: BaseException | None = None
        self.dropped: set[int] = set()

    def run(self) -> None:
        try:
            self._play()
        except BaseException as err:  # noqa: BLE001 (reported by the test)
            self.failure = err

    def _play(self) -> None:
        deadline = time.monotonic() + TIMEOUT * 2
        while self.outcome is None:
            try:
                self._connection(deadline)
            except ConnectionClosed:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def _connection(self, deadline: float) -> None:
        """One connection, until the game ends or it is dropped on purpose."""
        with hello(self.url, self.code) as (ws, welcome):
            assert welcome["type"] == "welcome", welcome
            self.frames.append(json.dumps(welcome))
            first = True
            while self.outcome is None:
                raw = ws.recv(timeout=max(deadline - time.monotonic(), 0.1))
                self.frames.append(raw)
                message = json.loads(raw)
                if message["type"] == "error":
                    self.errors.append(message["message"])
                if message["type"] != "state":
                    continue
                seat = message["seat"]
                if first and self.dropped and self.reconnected_due is None:
                    self.reconnected_due = message["turn"] if seat["due"] else 0
                first = False
                if message["outcome"]:
                    self.outcome = message["outcome"]
                    return
                turn = message["turn"]
                if not seat["due"] or turn in self.decided:
                    continue
                if turn == self.drop_at and not self.dropped:
                    self.dropped.add(turn)
                    return  # leaving the with block closes the connection: a laptop off the network
                for frame in self.talk.pop(turn, []):
                    ws.send(json.dumps({"type": "send", "turn": turn, **frame}))
                option = self.policy(seat)
                self.decided[turn] = option["id"]
                note = self.note.replace("{turn}", str(turn))  # a note may name its turn
                ws.send(json.dumps({"type": "decide", "turn": turn, "option": option["id"], "note": note}))
                for frame in self.after.pop(turn, []):
                    ws.send(json.dumps({"type": "send", "turn": turn, **frame}))


class Watcher(threading.Thread):
    """A read-only room view (or, with the facilitator's `code`, the White cell's page, which lets
    the turns run on: it switches the hold between turns off): keeps every frame until the game
    is over."""

    def __init__(self, url: str, code: str | None = None) -> None:
        super().__init__(daemon=True)
        self.url, self.code = url, code
        self.frames: list[str] = []
        self.outcome: str | None = None
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            with hello(self.url, self.code) as (ws, welcome):
                assert welcome == {"type": "welcome", "kind": "room" if self.code is None else "white"}, welcome
                if self.code is not None:
                    ws.send(json.dumps({"type": "white", "action": "hold", "on": False}))
                while self.outcome is None:
                    raw = ws.recv(timeout=TIMEOUT * 2)
                    self.frames.append(raw)
                    message = json.loads(raw)
                    self.outcome = message.get("outcome") or None
        except BaseException as err:  # noqa: BLE001 (reported by the test)
            self.failure = err
