"""`wargame serve` and `wargame resume LOG --serve`: host one game for delegations on the network.

Prints, for each human seat, its join code, the browser address and the `wargame join` command
(with --json, one JSON object on stdout and nothing else there). The game runs here; the White
cell opens on this terminal between turns (--facilitator, when standard input is a terminal);
otherwise the facilitator code's browser page is the White cell and the game waits for it
between turns. See docs/serve.md for the threat model.
"""

from __future__ import annotations

import json
import secrets
import socket
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.markup import escape

from wargame.cli.output import console, message, printable
from wargame.cli.play import Table, game_over_line, parse_personas, say_stopped, seat_plan
from wargame.errors import RecordError, UsageError
from wargame.game.game import Game
from wargame.players.bot import resolve_personas
from wargame.record.log import LogWriter, RecordSink, header
from wargame.record.reader import read_record
from wargame.record.verify import rebuild, scenario_for
from wargame.scenario.catalog import find_scenario
from wargame.scenario.loader import load
from wargame.scenario.scenario import Scenario
from wargame.scenario.variants import apply_variants
from wargame.text import UNSAFE

if TYPE_CHECKING:  # the serve extra is imported only when a game is served
    from rich.console import Console

    from wargame.serve.app import Hub
    from wargame.serve.codes import Codes

UNCLAIMED = ("wait", "bot")
FLUSH = 3.0  # seconds the host waits, at most, for the final snapshot to reach every client


@dataclass(frozen=True)
class Network:
    """Where and how the game is served."""

    host: str = "127.0.0.1"
    port: int = 8765
    certfile: Path | None = None
    keyfile: Path | None = None
    unclaimed: str = "wait"
    linger: float = 600.0
    json_out: bool = False
    hold: bool = True  # with the White cell on its page: wait for it between turns (it may switch this there)

    def check(self) -> None:
        if self.unclaimed not in UNCLAIMED:
            raise UsageError(f"--unclaimed takes {' or '.join(UNCLAIMED)}, not {self.unclaimed!r}")
        if not 0 <= self.port <= 65535:
            raise UsageError("--port takes a number from 0 (any free port) to 65535")
        if not 0 <= self.linger <= 86_400:
            raise UsageError("--linger takes a number of seconds from 0 to 86400")
        from wargame.serve.runner import check_tls

        check_tls(self.certfile, self.keyfile)


def serve(name: str, *, seed: int | None, humans: list[str], log: Path | None, table: Table,
          net: Network, force: bool = False, variants: list[str] | None = None,
          personas: list[str] | None = None) -> None:
    """`wargame serve SCENARIO`: a new game with its human seats on the network; `variants` are
    applied in order, `personas` are NATION=NAME for the bots (as `wargame play` takes them)."""
    from wargame.serve import require

    require()
    net.check()
    chosen = parse_personas(personas or [])
    scenario = apply_variants(load(find_scenario(name)), variants or [])
    resolve_personas(scenario, chosen)
    _check_table(table)
    seats = seat_plan(scenario, humans or [n.id for n in scenario.nations if n.playable], False, None)
    seed = seed if seed is not None else secrets.randbelow(1_000_000)
    settings = {**table.settings(), "served": True}
    from wargame.serve.codes import Codes, codes_path

    codes = Codes.fresh([n for n, s in seats.items() if s == "human"], table.facilitator)
    if log is not None and codes_path(log).exists() and not force:
        raise UsageError(f"{codes_path(log)} already exists and is not overwritten; give --log another name, "
                         "or use --force to overwrite the log and its codes")
    sock = _listen(net)  # before any file is written: a port in use leaves nothing behind
    writer = None
    try:
        chosen_path = log is not None
        if log is None:  # as `wargame play` keeps it: in the records folder, the path said now and at the end
            from wargame.record.place import default_record

            log = default_record(scenario.id, seed)
        writer = LogWriter.create(log, header(scenario, seed, seats, settings, chosen), force=force)
        if force:
            codes_path(log).unlink(missing_ok=True)
        codes.save(codes_path(log))
        if not chosen_path:
            message(f"wargame: the record of this game is kept in {log} "
                    "(choose another with --log FILE)")
            sys.stderr.flush()
        _host(Game(scenario, seed), seats, writer, table, net, codes, log, sock, chosen)
    finally:
        sock.close()
        if writer is not None:
            writer.close()


def resume_served(path: Path, *, scenario_path: Path | None, table: Table, net: Network) -> None:
    """`wargame resume LOG --serve`: the game goes on from its record; seats rejoin with their
    codes. The record is locked before it is read, for the whole game (wargame.record.lock)."""
    from wargame.serve import require

    require()
    net.check()
    writer = LogWriter.claim(path)
    try:
        _resume_served(path, writer, scenario_path=scenario_path, table=table, net=net)
    finally:
        writer.close()


def _resume_served(path: Path, writer: LogWriter, *, scenario_path: Path | None, table: Table,
                   net: Network) -> None:
    from wargame.serve.codes import WHITE, Codes, codes_path

    record = read_record(path)
    if record.finished:
        raise UsageError(f"{path}: the game is over; nothing to resume")
    scenario = scenario_for(record, scenario_path)
    table = Table.recorded(record.header, table.facilitator, table.clock)
    _check_table(table)
    seats = dict(record.seats)
    if set(seats) != {n.id for n in scenario.nations}:
        raise RecordError(f"{path}: the record's seats do not match the scenario's nations")
    seats = {n: ("human" if s == "human" else "bot") for n, s in seats.items()}
    humans = [n for n, s in seats.items() if s == "human"]
    rebuilt = rebuild(scenario, record, record.events)
    keep = codes_path(path)
    codes = Codes.load(keep) if keep.exists() else Codes.fresh(humans, table.facilitator)
    needed = [*humans, *([WHITE] if table.facilitator else [])]
    if keep.exists() and any(n not in codes.seats for n in needed):
        raise UsageError(f"{keep}: the join codes do not cover every seat of {path}")
    sock = _listen(net)  # before anything is written: a port in use leaves the record as it was
    try:
        if not keep.exists():
            message(f"wargame: note: {keep} is missing; the seats get new join codes")
            codes.save(keep)
        for note in record.dropped:
            message(f"wargame: note: dropped {note}; the game goes on from the last whole turn")
        writer.start_at(record.end_offset)
        if rebuilt.missing:
            writer.write(rebuilt.missing)
        if rebuilt.game.over:
            message(f"wargame: note: {path}: the game is over; nothing more to play")
            return
        _host(rebuilt.game, seats, writer, table, net, codes, path, sock, record.personas)
    finally:
        sock.close()


def _listen(net: Network) -> socket.socket:
    from wargame.serve.runner import bind

    return bind(net.host, net.port)


def _check_table(table: Table) -> None:
    if table.clock is not None and not 0 < table.clock <= 86_400:
        raise UsageError("--clock takes a number of seconds above 0 (and at most a day)")


def _host(game: Game, seats: dict[str, str], writer: LogWriter | None, table: Table, net: Network, codes: Codes,
          log: Path | None, sock: socket.socket, personas: Mapping[str, str]) -> None:
    from wargame.serve.app import build_app
    from wargame.serve.host import ServedGame, Stopped
    from wargame.serve.runner import LOCAL_HOSTS, lan_address, start

    def warn(text: str) -> None:
        message(f"wargame: warning: {text}")
        sys.stderr.flush()

    out = None if net.json_out else console()
    at_terminal = sys.stdin is not None and sys.stdin.isatty()
    scenario = game.scenario
    if writer is not None:
        game.listeners.append(RecordSink(writer))
    console_here = table.facilitator and at_terminal and out is not None  # the White cell on this terminal
    served = ServedGame(game, seats, clock=table.clock, facilitator=console_here,
                        unclaimed="bot" if net.unclaimed == "bot" else "wait", out=out, personas=personas,
                        white_code=table.facilitator, hold=net.hold)
    loopback = ["127.0.0.1", "localhost", "::1", "[::1]"] if net.host in LOCAL_HOSTS else None
    app, hub = build_app(served, codes, warn, loopback)
    if net.host not in LOCAL_HOSTS:
        tls = "" if net.certfile else (" Without --certfile/--keyfile, codes and decisions cross the network "
                                       "unencrypted.")
        warn(f"serving on {net.host}:{sock.getsockname()[1]}: any machine that can reach this one can open the pages, "
             f"watch the room view and try join codes. Use it on a network you trust (see the threat model "
             f"in docs/serve.md).{tls}")
    running = start(app, sock, certfile=net.certfile, keyfile=net.keyfile)
    shown_host = lan_address() if net.host in ("0.0.0.0", "::", "") else net.host
    if ":" in shown_host:
        shown_host = f"[{shown_host}]"
    base = f"{'https' if net.certfile else 'http'}://{shown_host}:{running.port}/"
    _announce(scenario, base, codes, seats, log, out)
    served.on_hold = lambda where: _holding(where, base)
    try:
        served.play()
        if out is not None and game.over:  # as local `play` says it (also when the White cell ended it)
            out.print(escape(game_over_line(game, log)), soft_wrap=True)  # the paths copied whole
            sys.stdout.flush()
        elif game.over:  # --json: stdout holds the listing alone; the ending and the record's path go to stderr
            message(f"wargame: {game_over_line(game, log)}")
            sys.stderr.flush()
        _linger(hub, net.linger)
    except Stopped:
        pass
    except KeyboardInterrupt:
        if log is not None:
            say_stopped(game, log, serve=True)
        raise
    finally:
        served.stop()
        running.stop()


def _announce(scenario: Scenario, base: str, codes: Codes, seats: dict[str, str], log: Path | None,
              out: Console | None) -> None:
    from wargame.serve.codes import WHITE, codes_path

    humans = [n for n, s in seats.items() if s == "human"]
    listing: dict[str, Any] = {
        "url": base, "room": base + "room", "scenario": scenario.id,
        "seats": {n: {"name": scenario.nation(n).name, "code": codes.seats[n], "url": f"{base}#code={codes.seats[n]}"}
                  for n in humans},
        "white": ({"code": codes.seats[WHITE], "url": f"{base}#code={codes.seats[WHITE]}"}
                  if WHITE in codes.seats else None),
        "log": str(log) if log is not None else None,
        "codes_file": str(codes_path(log)) if log is not None else None,
    }
    if out is None:
        # one line (a program reads it while the server runs); unsafe characters as JSON escapes, as in json_text
        line = UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(listing, ensure_ascii=False))
        print(line, flush=True)
        return
    # addresses and commands are never wrapped, so they can be copied whole
    out.print(f"[bold]Serving {escape(scenario.title)}[/bold] at {escape(base)}", soft_wrap=True)
    out.print(f"Room view (projector): {escape(base)}room", soft_wrap=True)
    for seat in listing["seats"].values():
        out.print(f"  [bold]{escape(seat['name'])}[/bold]  code [bold]{escape(seat['code'])}[/bold]")
        out.print(f"      browser:  {escape(seat['url'])}", soft_wrap=True)
        out.print(f"      terminal: wargame join {escape(base)} --code {escape(seat['code'])}", soft_wrap=True)
    if listing["white"] is not None:
        out.print(f"  [bold]White cell[/bold]  code [bold]{escape(listing['white']['code'])}[/bold]")
        out.print(f"      browser:  {escape(listing['white']['url'])}", soft_wrap=True)
    if log is not None:
        out.print(f"The codes are kept in {escape(printable(str(codes_path(log))))} (readable by you only); "
                  f"`wargame resume {escape(printable(str(log)))} --serve` brings the same seats back.")
    sys.stdout.flush()


def _holding(where: str, base: str) -> None:
    """One line on stderr as the game starts waiting for the White cell's page (once per wait):
    without a console here nothing else would say why the game stands still."""
    message(f"wargame: note: {where}: waiting for the White cell's page: open {base} with the facilitator "
            "code and press its button to go on, or untick 'Wait for me between turns' there to let the "
            "turns run on (--no-hold starts the game that way)")
    sys.stderr.flush()


def _linger(hub: Hub, seconds: float) -> None:
    """Keep the final board up for the delegations until they leave, or `seconds` pass; in any
    case first let every client be sent the final snapshot (for at most FLUSH seconds)."""
    now = time.monotonic()
    flushed, deadline = now + FLUSH, now + seconds
    while time.monotonic() < flushed and not hub.settled():
        time.sleep(0.02)
    while time.monotonic() < deadline and hub.clients:
        time.sleep(0.1)


def join_seat(url: str, code: str | None, plain: bool) -> None:
    """`wargame join URL --code CODE`: the full-screen seat (wargame.tui.remote) on a terminal
    that can draw it, as `play` chooses (wargame.cli.play.full_screen_possible); otherwise, or
    with `plain`, the line client (wargame.serve.client). UsageError for a refused code or a
    server that cannot be reached."""
    from wargame.serve import require

    require()
    from wargame.cli.play import full_screen_possible

    if not plain and full_screen_possible():
        from wargame.tui.remote import run_remote

        run_remote(url, code)
        return
    from wargame.cli.output import console, message
    from wargame.serve.client import join as join_game

    if not join_game(url, code, console()):  # the person's input ended (Ctrl-D, a pipe run dry)
        message(f"wargame: input ended, so you have left the seat; it stays yours: rejoin with "
                f"`wargame join {url} --code CODE` and the same code.")
