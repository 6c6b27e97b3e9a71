"""`wargame play` and `wargame resume`: choosing the seats, starting or picking up a game, the log."""

from __future__ import annotations

import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.rule import Rule

from wargame.cli.output import console, message, printable
from wargame.cli.session import TerminalTable
from wargame.engine.events import Event
from wargame.engine.rng import check_seed
from wargame.engine.rules import IllegalDecision
from wargame.errors import NeedsTerminal, RecordError, UsageError
from wargame.game.game import Game
from wargame.game.seats import BotSeat, ScriptSeat, Seat
from wargame.game.session import play
from wargame.players.bot import Bot, resolve_personas
from wargame.players.clock import Clock
from wargame.players.human import HumanSeat, Quit, ask_seats
from wargame.players.script import Script, load_script
from wargame.record.log import LogWriter, RecordSink, header
from wargame.record.reader import Record, read_record
from wargame.record.verify import rebuild, scenario_for
from wargame.scenario.catalog import find_scenario
from wargame.scenario.loader import load
from wargame.scenario.scenario import Scenario
from wargame.scenario.variants import apply_variants


def _stdin_is_terminal() -> bool:
    from wargame.cli.prompt import stdin_is_terminal

    return stdin_is_terminal()


def seat_plan(scenario: Scenario, humans: list[str], auto: bool, script: Script | None) -> dict[str, str]:
    """Who plays each nation: human, script or bot."""
    known = {n.id: n for n in scenario.nations}
    for nation in humans:
        if nation not in known:
            raise UsageError(f"--human {nation}: no such nation; choose from {', '.join(known)}")
        if not known[nation].playable:
            raise UsageError(f"--human {nation}: {known[nation].name} is not playable in this scenario")
    if auto and humans:
        raise UsageError("--auto plays every seat by computer; leave out --human")
    seats = {n.id: "bot" for n in scenario.nations}
    if script is not None:
        for nation in humans or sorted(script.nations):
            seats[nation] = "script"
    else:
        for nation in humans:
            seats[nation] = "human"
    return seats


def _need_terminal(scenario: Scenario, seats: dict[str, str]) -> None:
    if "human" in seats.values() and not _stdin_is_terminal():
        who = ", ".join(scenario.nation(n).name for n, s in seats.items() if s == "human")
        raise NeedsTerminal(
            f"a decision for {who} is due but standard input is not a terminal; "
            "use --auto to let the computer play every seat, or --script FILE to supply decisions")


def _need_screen(seats: Mapping[str, str]) -> None:
    """Sealed orders are kept by clearing the screen; written to a file or a pipe, nothing is."""
    if sum(1 for s in seats.values() if s == "human") >= 2 and not sys.stdout.isatty():
        raise NeedsTerminal("several delegations at one keyboard need a screen to keep their orders sealed; "
                            "standard output is not a terminal")


def _choose_seats(scenario: Scenario, humans: list[str], auto: bool, plan: Script | None) -> dict[str, str]:
    if plan is not None and auto:
        raise UsageError("--auto and --script do not go together: --script already decides its seats")
    seats = seat_plan(scenario, humans, auto, plan)
    if not auto and not humans and plan is None:
        if not _stdin_is_terminal():
            raise NeedsTerminal(
                "standard input is not a terminal, so nobody can be asked which nation to play; "
                "use --auto to let the computer play every seat, or --script FILE for set decisions")
        try:
            for nation in ask_seats(console(), scenario):
                seats[nation] = "human"
        except Quit:
            raise KeyboardInterrupt from None
    _need_terminal(scenario, seats)
    _need_screen(seats)
    return seats


@dataclass(frozen=True)
class Branch:
    """Where a branched game comes from: the parent record and the turn it branches after."""

    record: Record
    turn: int


@dataclass(frozen=True)
class Table:
    """How the game is run at the table: a facilitator, a decision clock."""

    facilitator: bool = False
    clock: float | None = None

    def check(self) -> None:
        if self.clock is not None and not 0 < self.clock <= 86_400:
            raise UsageError("--clock takes a number of seconds above 0 (and at most a day)")
        if (self.facilitator or self.clock) and not _stdin_is_terminal():
            raise NeedsTerminal("--facilitator and --clock need a person at a terminal; "
                                "standard input is not one")

    def settings(self) -> dict[str, Any]:
        """What the record keeps of it, so a resumed game is run the same way."""
        return {k: v for k, v in (("facilitator", self.facilitator), ("clock", self.clock)) if v}

    @classmethod
    def recorded(cls, head: Mapping[str, Any], facilitator: bool, clock: float | None) -> Table:
        """The table a record was played at, unless the command line says otherwise."""
        table = head.get("table")
        kept: Mapping[str, Any] = table if isinstance(table, dict) else {}
        clock_kept = kept.get("clock")
        return cls(facilitator or bool(kept.get("facilitator")),
                   clock if clock is not None else (float(clock_kept) if isinstance(clock_kept, int | float)
                                                    and not isinstance(clock_kept, bool) else None))


def parse_personas(given: list[str]) -> dict[str, str]:
    """`--persona NATION=NAME` options as nation id -> persona id (UsageError if malformed)."""
    out: dict[str, str] = {}
    for item in given:
        nation, sep, persona = item.partition("=")
        if not sep or not nation or not persona:
            raise UsageError(f"--persona {item}: write NATION=NAME, e.g. --persona australia=hawk")
        if nation in out:
            raise UsageError(f"--persona {item}: {nation} already has persona {out[nation]!r}")
        out[nation] = persona
    return out


def full_screen_possible() -> bool:
    """The full-screen table needs a terminal on both ends that can draw it: not TERM=dumb, and
    output in UTF-8 (an ASCII terminal gets the plain mode, which replaces what it cannot show)."""
    import os

    encoding = (getattr(sys.stdout, "encoding", "") or "").lower().replace("-", "").replace("_", "")
    return (_stdin_is_terminal() and sys.stdout is not None and sys.stdout.isatty()
            and os.environ.get("TERM", "") not in ("dumb", "unknown") and encoding == "utf8")


def run(name: str, *, seed: int | None, humans: list[str], auto: bool,
        script: Path | None, log: Path | None, branch_from: Path | None = None,
        branch_turn: int | None = None, table: Table = Table(), force: bool = False,
        quiet: bool = False, variants: list[str] | None = None, personas: list[str] | None = None,
        plain: bool = False) -> None:
    """`wargame play`: a new game, or with `branch_from` a branch of a recorded one. `force`
    lets --log overwrite a file; `quiet` prints only the outcome line (no one at the keyboard);
    `variants` are applied in order, `personas` are NATION=NAME for the bots; `plain` keeps the
    line-by-line mode where the full screen would open. Without --log the record is kept in the
    default place (wargame.record.place)."""
    if seed is not None:
        try:
            check_seed(seed)
        except ValueError as err:
            raise UsageError(f"--seed {seed}: {err}") from None
    scenario = load(find_scenario(name))
    if log is not None and force:
        _not_an_input(log, [scenario.path, script, branch_from])
    table.check()
    chosen = parse_personas(personas or [])
    if branch_from is not None and variants:
        raise UsageError("a branch plays under its parent's variants; leave out --variant")
    scenario = apply_variants(scenario, variants or [])
    branch = _branch(scenario, branch_from, branch_turn, seed)
    if branch is not None:
        scenario = scenario_for(branch.record, scenario.path)
        chosen = chosen or branch.record.personas
    resolve_personas(scenario, chosen)
    plan = load_script(script, scenario) if script is not None else None
    if quiet and ((not auto and plan is None) or table.facilitator):
        raise UsageError("--quiet is for games nobody plays at the keyboard: use it with --auto or --script, "
                         "without --facilitator")
    seats = _choose_seats(scenario, humans, auto, plan)
    if quiet and "human" in seats.values():
        raise UsageError("--quiet leaves nothing on screen to decide by; leave out --human")
    if branch is not None:
        seed = branch.record.seed
    elif seed is None:
        seed = secrets.randbelow(1_000_000)
    head = header(scenario, seed, seats, table.settings(), chosen)
    prefix: tuple[Event, ...] = ()
    if branch is not None:
        head["parent"] = {"log": branch.record.path, "sha256": branch.record.sha256, "turn": branch.turn}
        prefix = _branch_prefix(scenario, branch)
    game = rebuild(scenario, branch.record, prefix).game if branch is not None else Game(scenario, seed)
    if log is None:
        from wargame.record.place import default_record

        log = default_record(scenario.id, seed)
    writer = LogWriter.create(log, head, force=force)
    if not quiet and _stdin_is_terminal():  # a game nobody plays at the keyboard says it at its end
        print(f"wargame: the record of this game is kept in {printable(str(log))} (choose another with --log FILE)",
              file=sys.stderr)
    try:
        if prefix:
            writer.write(list(prefix))
        if not quiet:
            _introduce(scenario, seed, seats, branch)
        screen = _play(game, seats, plan, writer, table, chosen, quiet=quiet, plain=plain)
        if quiet and screen is not None:
            print(screen.ending_line())
    except Quit:
        say_stopped(game, log)
    except KeyboardInterrupt:
        say_stopped(game, log)
        raise
    finally:
        writer.close()


def say_stopped(game: Game, log: Path, *, serve: bool = False) -> None:
    """Say (on stderr) where the record of a game stopped before its end is kept and how to
    play on (`serve`: a served game, resumed with `--serve`); nothing once the game is over."""
    if game.over:
        return
    whole = game.state.turn - 1 if game.state.in_turn else game.state.turn  # a turn begun is not kept
    done = f"after {game.scenario.turn_label(whole)}" if whole else "before the first turn is over"
    shown = printable(str(log))
    again = f"wargame resume {shown} --serve" if serve else f"wargame resume {shown}"
    print(f"wargame: the game stopped {done}; its record is in {shown}. "
          f"`{again}` plays on from the last whole turn.", file=sys.stderr)


def game_over_line(game: Game, log: Path | None) -> str:
    """"Game over after Week 9: TITLE. The record is in LOG; …": what the host's terminal says
    at a game's end (plain text, for `escape` before printing as markup)."""
    ending = next((e for e in reversed(game.history) if e.kind == "game_end"), None)
    title = str(ending.data.get("title") or ending.text) if ending is not None else "no outcome"
    when = f"after {game.scenario.turn_label(game.state.turn)}" if game.state.turn else "before the first turn"
    said = f"Game over {when}: {title}."
    if log is not None:
        shown = printable(str(log))
        said += f" The record is in {shown}; `wargame replay {shown}` shows it again."
    return said


def _play(game: Game, kinds: dict[str, str], plan: Script | None, writer: LogWriter | None, table: Table,
          personas: Mapping[str, str], quiet: bool = False, plain: bool = False) -> TerminalTable | None:
    """The one session loop, with the terminal as its observer and the log as the game's listener:
    the full-screen table when people play at a terminal that can draw it (unless `plain`), else
    the line-by-line board; `quiet` shows nothing (the caller prints the ending line)."""
    if writer is not None:
        game.listeners.append(RecordSink(writer))
    clock = Clock(table.clock) if table.clock is not None else None
    humans = [n for n, kind in kinds.items() if kind == "human"]
    if humans and not plain and not quiet and full_screen_possible():
        _full_screen(game, kinds, plan, writer, table, clock, personas)
        return None
    out = Console(quiet=True) if quiet else console()
    screen = TerminalTable(out, game, humans, facilitator=table.facilitator, clock=clock,
                           log=writer.path if writer is not None else None)
    play(game, seats_for(game.scenario, kinds, plan, screen, personas), [screen])
    return screen


def _full_screen(game: Game, kinds: dict[str, str], plan: Script | None, writer: LogWriter | None, table: Table,
                 clock: Clock | None, personas: Mapping[str, str]) -> None:
    from wargame.tui.app import run_table

    bot = BotSeat(Bot(game.scenario, personas=personas))

    def seat_for(nation: str, human: Seat) -> Seat:
        kind = kinds[nation]
        if kind == "human":
            return human
        return ScriptSeat(plan, bot) if kind == "script" and plan is not None else bot

    log = writer.path if writer is not None else None
    if run_table(game, kinds, seat_for, facilitator=table.facilitator, clock=clock,
                 log=Path(log) if log is not None else None):
        raise Quit()
    console().print(escape(game_over_line(game, log)))


def seats_for(scenario: Scenario, kinds: Mapping[str, str], plan: Script | None,
              screen: TerminalTable, personas: Mapping[str, str] | None = None) -> dict[str, Seat]:
    """The Seat objects for the seat plan: a person at this terminal, a script, or the bot with
    its personas (which also plays a scripted seat's turns the script leaves out)."""
    bot = BotSeat(Bot(scenario, personas=personas))
    seats: dict[str, Seat] = {}
    for nation, kind in kinds.items():
        if kind == "human":
            seats[nation] = HumanSeat(screen)
        elif kind == "script" and plan is not None:
            seats[nation] = ScriptSeat(plan, bot)
        else:
            seats[nation] = bot
    return seats


def _not_an_input(log: Path, inputs: list[str | Path | None]) -> None:
    """--force never lets --log overwrite the game's own scenario, script or parent record."""
    for path in inputs:
        if path is not None and log.exists() and Path(path).exists() and log.resolve() == Path(path).resolve():
            raise UsageError(f"--log {log} is a file this game reads; give --log another name")


def _branch_prefix(scenario: Scenario, branch: Branch) -> tuple[Event, ...]:
    """The parent's events through the end of turn N as the game finally went (Game.turn_prefix,
    on the parent's game rebuilt and verified: RecordError if it does not replay)."""
    if branch.turn == 0:
        return ()
    parent = rebuild(scenario, branch.record, branch.record.events).game
    try:
        end = len(parent.turn_prefix(branch.turn))
    except IllegalDecision:
        raise UsageError(f"--turn {branch.turn}: {branch.record.path} has no whole turn {branch.turn}") from None
    return branch.record.events[:end]


def _branch(scenario: Scenario, path: Path | None, turn: int | None, seed: int | None) -> Branch | None:
    if path is None and turn is None:
        return None
    if path is None or turn is None:
        raise UsageError("a branch needs both --from LOG and --turn N")
    if seed is not None:
        raise UsageError("a branch replays the parent game with its own seed; leave out --seed")
    record = read_record(path)
    if record.header.get("scenario") != scenario.id:
        raise UsageError(f"{path} is a game of {record.header.get('scenario')!r}, not {scenario.id!r}")
    scenario_for(record, scenario.path)  # the same rules, or say plainly that they changed
    if not 0 <= turn <= len(record.turns):
        raise UsageError(f"--turn {turn}: {path} has {len(record.turns)} whole turn(s)")
    if turn == len(record.turns) and record.finished:
        raise UsageError(f"--turn {turn}: the game in {path} ended there; branch from an earlier turn")
    return Branch(record, turn)


def resume(path: Path, *, humans: list[str], auto: bool, scenario_path: Path | None,
           table: Table = Table(), plain: bool = False) -> None:
    """`wargame resume`: continue an unfinished game from its record, appending to it. The
    record is locked before it is read, for the whole game (wargame.record.lock)."""
    writer = LogWriter.claim(path)
    try:
        _resume(path, writer, humans=humans, auto=auto, scenario_path=scenario_path, table=table, plain=plain)
    finally:
        writer.close()


def _resume(path: Path, writer: LogWriter, *, humans: list[str], auto: bool, scenario_path: Path | None,
            table: Table, plain: bool = False) -> None:
    record = read_record(path)
    if record.finished:
        outcome = record.outcome()
        raise UsageError(f"{path}: the game is over ({outcome.text if outcome else 'ended'}); nothing to resume")
    scenario = scenario_for(record, scenario_path)
    if not auto:  # the same table as before: White cell and clock; --auto hands everything to the computer
        table = Table.recorded(record.header, table.facilitator, table.clock)
    table.check()
    seats = dict(record.seats)
    if set(seats) != {n.id for n in scenario.nations}:
        raise RecordError(f"{path}: the record's seats do not match the scenario's nations")
    if auto or humans:
        seats = seat_plan(scenario, humans, auto, None)
    elif "script" in seats.values():
        raise UsageError(f"{path} was played from a script; resume with --auto or --human NATION")
    _need_terminal(scenario, seats)
    _need_screen(seats)
    rebuilt = rebuild(scenario, record, record.events)
    for note in record.dropped:
        message(f"wargame: note: dropped {note}; the game goes on from the last whole turn")
    writer.start_at(record.end_offset)
    if rebuilt.missing:  # the last step was cut short: write what it lacked
        writer.write(rebuilt.missing)
        message(f"wargame: note: {path}: the record lost the last {len(rebuilt.missing)} line(s) of its last step; "
                "they are restored")
    game = rebuilt.game
    if game.state.ended:
        writer.close()
        message(f"wargame: note: {path}: the game is over; nothing more to play")
        return
    try:
        console().print(f"Resuming {escape(scenario.title)} after turn {game.state.turn} "
                        f"(seed {record.seed}); appending to {escape(printable(str(path)))}.")
        _play(game, seats, None, writer, table, record.personas, plain=plain)
    except Quit:
        say_stopped(game, path)
    except KeyboardInterrupt:
        say_stopped(game, path)
        raise
    finally:
        writer.close()


def _introduce(scenario: Scenario, seed: int, seats: dict[str, str], branch: Branch | None) -> None:
    out = console()
    seated = ", ".join(f"{scenario.nation(n).name} ({s})" for n, s in seats.items())
    out.print(Rule(escape(scenario.title)))
    out.print(f"[bold]{escape(scenario.model.marking)}[/bold]")
    out.print(escape(scenario.model.summary))
    if branch is not None:
        out.print(f"A branch of {escape(printable(str(branch.record.path)))} after turn {branch.turn}.")
    out.print(f"Seats: {escape(seated)}. Seed {seed} (replay with --seed {seed}).")
    for vid in scenario.variants:
        variant = next(v for v in scenario.model.variants if v.id == vid)
        out.print(f"Variant: {escape(variant.title)}.")
    humans = [n for n, s in seats.items() if s == "human"]
    for nation_id in humans:
        nation = scenario.nation(nation_id)
        out.print(Rule(f"Brief — {escape(nation.name)}"))
        out.print(escape(nation.public_brief))
        if len(humans) == 1:  # with several delegations at one keyboard, each sees its own in private
            out.print(f"[bold]Private:[/bold] {escape(nation.private_brief)}")
