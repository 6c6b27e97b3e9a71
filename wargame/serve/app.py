"""The starlette app: the delegation page, the room view, and the one WebSocket every client uses.

    GET /          the delegation page (join code typed in, or in the address after #code=)
    GET /room      the read-only room view for the projector
    GET /static/*  the page's script and style (served from the package: no CDN, no install)
    WS  /ws        the protocol of wargame.serve.protocol

Every page is sent with a strict Content-Security-Policy (scripts and styles from this server
only, no inline code, no frames, no forms), and the script puts every text from the scenario,
the game or a user into the page with textContent, never as HTML.

Each client has its own sender task holding at most the latest snapshot (snapshots are whole,
so a slow client skips stale ones and never holds up the others) plus a short queue of direct
replies; a client that lets more than MAX_QUEUED replies pile up is disconnected.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import deque
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any, Literal
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from wargame.serve.codes import WHITE, Codes, Throttle
from wargame.serve.host import ServedGame
from wargame.serve.panes import draw_rooms, rooms_sight, rooms_stale, seat_room
from wargame.serve.protocol import Decide, Hello, ProtocolError, Send, parse
from wargame.serve.view import board_drawn, board_text, public_view, seat_view
from wargame.serve.white import carry_out, white_board_drawn, white_board_text, white_cell_view
from wargame.serve.white_commands import White

HELLO_TIMEOUT = 30.0  # seconds a new connection has to say who it is
COALESCE = 0.005  # seconds: changes this close together are pushed as one snapshot
MAX_QUEUED = 64  # direct replies a client may leave unread before it is dropped
MAX_WHITE_PENDING = 16  # White cell commands waiting to be carried out at once
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
           "Cache-Control": "no-store", "X-Frame-Options": "DENY"}
STATIC = {"app.js": "text/javascript", "style.css": "text/css"}
PAGES = {"/": "seat.html", "/room": "room.html"}

Kind = Literal["seat", "room", "white"]


@dataclass(eq=False)
class Client:
    """One connection: who it is, and what is waiting to be sent to it."""

    ws: WebSocket
    kind: Kind
    seat: str | None = None  # nation id for a seat
    latest: str | None = None
    latest_has_board: bool = False
    board: object = None  # which board it was last offered (see Hub.push)
    room: object = None  # which room panes a seat was last offered (wargame.serve.panes)
    latest_has_room: bool = False
    direct: deque[str] = field(default_factory=deque)
    wake: asyncio.Event = field(default_factory=asyncio.Event)

    def post(self, message: dict[str, Any]) -> bool:
        """Queue a direct reply; False when the client has stopped reading."""
        if len(self.direct) >= MAX_QUEUED:
            return False
        self.direct.append(json.dumps(message, ensure_ascii=False))
        self.wake.set()
        return True

    def offer(self, snapshot: str, has_board: bool, has_room: bool = False) -> None:
        self.latest, self.latest_has_board, self.latest_has_room = snapshot, has_board, has_room
        self.wake.set()

    async def pump(self) -> None:
        """Send what is waiting, as it comes, until the connection is gone."""
        with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
            while True:
                await self.wake.wait()
                self.wake.clear()
                while self.direct:
                    await self.ws.send_text(self.direct.popleft())
                if self.latest is not None:
                    text, self.latest, self.latest_has_board, self.latest_has_room = self.latest, None, False, False
                    await self.ws.send_text(text)


class Hub:
    """The connected clients, and pushing the game's snapshots to them."""

    def __init__(self, game: ServedGame, codes: Codes, warn: Callable[[str], None]) -> None:
        self.game = game
        self.codes = codes
        self.warn = warn
        self.throttle = Throttle()
        self.clients: set[Client] = set()
        self.pushed = -1  # the game's version last pushed
        self.loop: asyncio.AbstractEventLoop | None = None
        self.changed: asyncio.Event | None = None
        self.white_turn = asyncio.Lock()  # the White cell's commands, one at a time, in the order sent
        self.tasks: set[asyncio.Task[None]] = set()  # White cell commands under way (kept from the collector)
        self.drawing_rooms = False

    def notify(self) -> None:
        """From any thread: the game changed."""
        if self.loop is not None and self.changed is not None:
            self.loop.call_soon_threadsafe(self.changed.set)

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        self.loop = asyncio.get_running_loop()
        self.changed = asyncio.Event()
        task = asyncio.create_task(self._broadcast())
        self.game.on_change = self.notify
        try:
            yield
        finally:
            self.game.on_change = lambda: None
            task.cancel()

    async def _broadcast(self) -> None:
        assert self.changed is not None
        while True:
            await self.changed.wait()
            await asyncio.sleep(COALESCE)  # a turn's steps come in a burst: one snapshot for all of them
            self.changed.clear()
            try:
                self.push(self.clients, draw=False)  # the news at once (the orders revealed, who decided) ...
                if not self._drawn():
                    await asyncio.to_thread(self._draw)  # ... the new board as soon as it is drawn
                    self.push(self.clients)
                if not self.drawing_rooms and self._rooms_stale():  # ... and the seats' panes, in the
                    self.drawing_rooms = True  # background: the next news does not wait for them
                    asyncio.create_task(self._draw_rooms())
            except Exception as err:  # a bug of ours: say so, and keep serving the next change
                self.warn(f"internal error while sending the game to its clients: {type(err).__name__}: {err}")

    def _drawn(self) -> bool:
        with self.game.lock:
            return board_drawn(self.game) and (not self._white_watching() or white_board_drawn(self.game))

    def _draw(self) -> None:
        with self.game.lock:
            board_text(self.game)
            if self._white_watching():
                white_board_text(self.game)

    def _rooms_stale(self) -> bool:
        with self.game.lock:
            return rooms_stale(self.game)

    async def _draw_rooms(self) -> None:
        """Draw the joined seats' room panes in a thread (outside the game's lock), then push."""
        try:
            with self.game.lock:
                sight = rooms_sight(self.game)
            await asyncio.to_thread(draw_rooms, self.game, sight)
        except Exception as err:  # a bug of ours: say so, and keep serving
            self.warn(f"internal error while drawing the seats' panes: {type(err).__name__}: {err}")
        finally:
            self.drawing_rooms = False
        if self.changed is not None:
            self.changed.set()

    def settled(self) -> bool:
        """From any thread: every change pushed, and every client sent what it was offered."""
        return self.pushed == self.game.version and all(c.latest is None and not c.direct for c in list(self.clients))

    def push(self, clients: set[Client], draw: bool = True) -> None:
        """Offer each client its latest snapshot (each kind and nation computed once). The board,
        the bulk of a snapshot, is sent only to a client that has not been offered this board
        yet (or whose unsent snapshot carried it); otherwise `board` is null: unchanged."""
        if not clients:
            self.pushed = self.game.version
            return
        cache: dict[tuple[Kind, str | None, bool, bool], str] = {}
        with self.game.lock:
            version = self.game.version
            public = public_view(self.game, draw)
            board = self.game.board_cache
            for client in clients:
                has_board = client.board is not board or (client.latest is not None and client.latest_has_board)
                room = seat_room(self.game, client.seat) if client.kind == "seat" and client.seat else None
                has_room = room is not None and (client.room is not room or (
                    client.latest is not None and client.latest_has_room))
                key = (client.kind, client.seat, has_board, has_room)
                if key not in cache:
                    base = public if has_board else {**public, "board": None}
                    view = (seat_view(self.game, client.seat, base, room if has_room else None)
                            if client.kind == "seat" and client.seat
                            else white_cell_view(self.game, base, draw) if client.kind == "white" else base)
                    cache[key] = json.dumps(view, ensure_ascii=False)
                client.offer(cache[key], has_board, has_room)
                client.board, client.room = board, room
            if clients is self.clients and board_drawn(self.game):
                self.pushed = version

    # ------------------------------------------------------------ one connection

    async def endpoint(self, ws: WebSocket) -> None:
        origin = ws.headers.get("origin")
        if origin and urlsplit(origin).netloc != ws.headers.get("host"):
            await ws.close(code=1008)  # a page from another site: refused before the handshake completes
            return
        await ws.accept()
        client = await self._hello(ws)
        if client is None:
            return
        self.clients.add(client)
        pump = asyncio.create_task(client.pump())
        try:
            self.push({client})
            while True:
                message = await ws.receive()
                if message["type"] == "websocket.disconnect":
                    break
                if not self._handle(client, message.get("text") or message.get("bytes") or b""):
                    await ws.close(code=1008)
                    break
                if pump.done():
                    break
        except WebSocketDisconnect:
            pass
        finally:
            self.clients.discard(client)
            pump.cancel()
            if client.seat is not None:
                self.game.leave(client.seat)  # the seat shows as away until it is back

    async def _hello(self, ws: WebSocket) -> Client | None:
        address = ws.client.host if ws.client is not None else "unknown"
        try:
            message = await asyncio.wait_for(ws.receive(), HELLO_TIMEOUT)
            if message["type"] == "websocket.disconnect":
                return None
            hello = parse(message.get("text") or message.get("bytes") or b"")
            if not isinstance(hello, Hello):
                raise ProtocolError("say hello first, with your join code (or none for the room view)")
        except (TimeoutError, WebSocketDisconnect):
            return None
        except ProtocolError as err:
            await _refuse(ws, "invalid", str(err))
            return None
        if hello.code is None:
            await ws.send_text(json.dumps({"type": "welcome", "kind": "room"}))
            return Client(ws, "room")
        async with self.throttle.turn(address):  # one attempt at a time per address, each waiting its delay
            delay = self.throttle.delay(address)
            if delay:
                await asyncio.sleep(delay)
            holder = self.codes.holder(hello.code)
            if holder is None:
                count = self.throttle.failed(address)
        if holder is None:
            self.warn(f"wrong join code from {address} ({count} so far)")
            await _refuse(ws, "bad-code", "that join code opens no seat in this game")
            return None
        if holder == WHITE:
            await ws.send_text(json.dumps({"type": "welcome", "kind": "white"}))
            return Client(ws, "white")
        name = self.game.scenario.nation(holder).name
        await ws.send_text(json.dumps({"type": "welcome", "kind": "seat", "nation": holder, "name": name},
                                      ensure_ascii=False))
        self.game.claim(holder)  # (after the welcome went out: endpoint's `leave` balances it)
        return Client(ws, "seat", holder)

    def _handle(self, client: Client, frame: str | bytes) -> bool:
        """Act on one message; False when the client should be disconnected."""
        try:
            message = parse(frame, self.game.scenario)
        except ProtocolError as err:
            return client.post({"type": "error", "message": str(err)})
        error: str | None
        if isinstance(message, Decide):
            if client.kind != "seat" or client.seat is None:
                error = "only a delegation's seat can decide"
            else:
                error = self.game.submit(client.seat, message.turn, message.option, message.note)
            reply = "decision received; it stays sealed until every delegation has decided"
        elif isinstance(message, Send):
            if client.kind != "seat" or client.seat is None:
                error = "only a delegation's seat can send messages"
            else:
                error = self.game.send(client.seat, message.turn, message.message(client.seat))
            reply = "message sent"
        elif isinstance(message, White):
            if client.kind == "white":
                self._white_command(client, message)  # answered when carried out
                return True
            error, reply = "only the White cell can do that", ""
        else:
            error, reply = "you have already said hello", ""
        if error is not None:
            return client.post({"type": "error", "message": error})
        return client.post({"type": "ack", "message": reply})

    # ------------------------------------------------------------ the White cell's commands

    def _white_watching(self) -> bool:
        return any(c.kind == "white" for c in list(self.clients))

    def _white_command(self, client: Client, message: White) -> None:
        """Carry out a White cell command in a worker thread (it may wait for a turn being played
        out), the commands one at a time in the order they came; the answer goes to its sender."""
        if len(self.tasks) >= MAX_WHITE_PENDING:
            client.post({"type": "error", "message": "too many White cell commands at once: wait for the answers"})
            return

        async def run() -> None:
            async with self.white_turn:
                try:
                    error, done = await asyncio.to_thread(carry_out, self.game, message)
                except Exception as err:  # a bug of ours: say so; the game goes on
                    self.warn(f"internal error in a White cell command: {type(err).__name__}: {err}")
                    error, done = "internal error: the command was not carried out", ""
            client.post({"type": "error", "message": error} if error is not None else {"type": "ack", "message": done})

        task = asyncio.get_running_loop().create_task(run())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)


async def _refuse(ws: WebSocket, code: str, message: str) -> None:
    with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):  # it may have gone already
        await ws.send_text(json.dumps({"type": "error", "code": code, "message": message}))
        await ws.close(code=4003 if code == "bad-code" else 1008)


def _asset(name: str) -> bytes:
    return files("wargame.serve").joinpath("static", name).read_bytes()


def build_app(game: ServedGame, codes: Codes, warn: Callable[[str], None],
              hosts: Sequence[str] | None = None) -> tuple[Starlette, Hub]:
    """The app serving `game`, and its hub (for the runner: who is connected). `hosts`: the only
    names a request may give as its Host (serving on loopback: a page of another site whose name
    was pointed at 127.0.0.1, "DNS rebinding", is refused); None for any."""
    hub = Hub(game, codes, warn)
    assets = {name: _asset(name) for name in [*PAGES.values(), *STATIC]}

    def page(name: str) -> Callable[[Request], Any]:
        async def send(request: Request) -> Response:
            return Response(assets[name], media_type="text/html; charset=utf-8", headers=HEADERS)
        return send

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return Response("not found", status_code=404, media_type="text/plain", headers=HEADERS)
        return Response(assets[name], media_type=f"{STATIC[name]}; charset=utf-8", headers=HEADERS)

    routes: list[BaseRoute] = [Route(path, page(name)) for path, name in PAGES.items()]
    routes += [Route("/static/{name}", static), WebSocketRoute("/ws", hub.endpoint)]
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))] if hosts else []
    return Starlette(routes=routes, middleware=middleware, lifespan=hub.lifespan), hub
