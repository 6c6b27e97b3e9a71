"""`wargame play`: seats, the turn loop, the board after every turn, the log."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

from rich.markup import escape
from rich.rule import Rule

from wargame.cli.output import console
from wargame.engine.events import Decision, Event
from wargame.engine.turn import begin_turn, new_game, resolve
from wargame.errors import NeedsTerminal, UsageError
from wargame.players.bot import Bot
from wargame.players.human import Quit, ask, ask_seats
from wargame.players.script import Script, load_script
from wargame.record.log import LogWriter, header
from wargame.scenario.catalog import resolve as resolve_scenario
from wargame.scenario.loader import load
from wargame.scenario.scenario import Scenario


def _stdin_is_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


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


def run(name: str, *, seed: int | None, humans: list[str], auto: bool,
        script: Path | None, log: Path | None) -> None:
    scenario = load(resolve_scenario(name))
    out = console()
    plan = load_script(script, scenario) if script is not None else None
    if plan is not None and auto:
        raise UsageError("--auto and --script do not go together: --script already decides its seats")
    seats = seat_plan(scenario, humans, auto, plan)
    wants_people = not auto and not humans and plan is None
    if wants_people:
        if not _stdin_is_terminal():
            raise NeedsTerminal(
                "standard input is not a terminal, so nobody can be asked which nation to play; "
                "use --auto to let the computer play every seat, or --script FILE for set decisions")
        try:
            for nation in ask_seats(out, scenario):
                seats[nation] = "human"
        except Quit:
            raise KeyboardInterrupt from None
    if "human" in seats.values() and not _stdin_is_terminal():
        who = ", ".join(scenario.nation(n).name for n, s in seats.items() if s == "human")
        raise NeedsTerminal(
            f"a decision for {who} is due but standard input is not a terminal; "
            "use --auto to let the computer play every seat, or --script FILE to supply decisions")
    if seed is None:
        seed = secrets.randbelow(1_000_000)
    writer = LogWriter(log, header(scenario, seed, seats)) if log is not None else None
    try:
        _play(scenario, seed, seats, plan, writer)
    except Quit:
        raise KeyboardInterrupt from None
    finally:
        if writer is not None:
            writer.close()


def _play(scenario: Scenario, seed: int, seats: dict[str, str], plan: Script | None,
          writer: LogWriter | None) -> None:
    from wargame.view.board import render_board

    out = console()
    seated = ", ".join(f"{scenario.nation(n).name} ({s})" for n, s in seats.items())
    out.print(Rule(escape(scenario.title)))
    out.print(f"[bold]{escape(scenario.model.marking)}[/bold]")
    out.print(escape(scenario.model.summary))
    out.print(f"Seats: {escape(seated)}. Seed {seed} (replay with --seed {seed}).")
    for nation_id, seat in seats.items():
        if seat == "human":
            nation = scenario.nation(nation_id)
            out.print(Rule(f"Brief — {escape(nation.name)}"))
            out.print(escape(nation.public_brief))
            out.print(f"[bold]Private:[/bold] {escape(nation.private_brief)}")
    state = new_game(scenario, seed)
    bot = Bot(scenario)
    while not state.ended:
        state, opening = begin_turn(scenario, state)
        if "human" in seats.values():
            _announce(scenario, state.turn, opening)
        decisions: dict[str, Decision] = {}
        for nation in scenario.nations:
            seat = seats[nation.id]
            if seat == "human":
                decisions[nation.id] = ask(out, scenario, state, nation.id)
            elif seat == "script":
                assert plan is not None
                decisions[nation.id] = plan.decision(state.turn, nation.id)
            else:
                decisions[nation.id] = bot.choose(state, nation.id)
        state, closing = resolve(scenario, state, decisions)
        events = opening + closing
        if writer is not None:
            writer.turn(events)
        out.print(render_board(scenario, state, events))


def _announce(scenario: Scenario, turn: int, events: list[Event]) -> None:
    """Before people decide: what happened at the start of this turn."""
    out = console()
    out.print(Rule(f"{escape(scenario.turn_label(turn))} — turn {turn} of {scenario.turns}"))
    injects = {i.id: i for i in scenario.injects}
    for event in events:
        if event.kind == "inject":
            inject = injects[event.data["inject"]]
            out.print(f"[bold]▶ {escape(inject.title)}[/bold]")
            if inject.text:
                out.print(f"  {escape(inject.text)}")
        elif event.kind == "effect":
            out.print(f"  {escape(event.text)}")
