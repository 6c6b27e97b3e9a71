"""`wargame replay`: the board as it was after each turn, rebuilt from a record; `--verify`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from rich.markup import escape

from wargame.cli.output import console, json_text, message, printable
from wargame.cli.prompt import stdin_is_terminal
from wargame.errors import RecordError, UsageError
from wargame.game.game import Game
from wargame.record.reader import Record, read_record
from wargame.record.verify import PlayedTurn, Rebuild, partial_timeline, scenario_for, verify
from wargame.scenario.scenario import Scenario


def _notes(record: Record) -> None:
    for note in record.dropped:
        message(f"wargame: note: {record.path}: left off {note}")


def verify_record(path: Path, scenario_path: Path | None, json_out: bool) -> int:
    """0 when the record is genuine, 1 naming the first turn that diverges."""
    record = read_record(path)
    _notes(record)
    scenario = scenario_for(record, scenario_path)
    run = Rebuild(Game(scenario, record.seed))
    turns, events, divergence = verify(scenario, record, run)
    result: dict[str, Any] = {"log": str(path), "genuine": divergence is None, "turns": turns, "events": events,
                              "finished": record.finished}
    if divergence is not None:
        result |= {"diverges_at": divergence.turn, "difference": divergence.what}
    if json_out:
        print(json_text(result))
    elif divergence is None:
        state = "finished" if record.finished else "unfinished"
        print(printable(f"{path}: genuine — {turns} turn(s), {events} events re-adjudicated and identical "
                        f"({state} game)"))
        if run.missing:
            message(f"wargame: note: {path}: the record lost the last {len(run.missing)} line(s) of its last step "
                    "to a cut-off write; `wargame resume` restores them")
    else:
        message(f"wargame: error: {path}: not genuine: it diverges at turn {divergence.turn}: {divergence.what}")
    return 0 if divergence is None else 1


def _full_screen_possible() -> bool:
    from wargame.cli.play import full_screen_possible

    return full_screen_possible()


def replay_record(path: Path, turn: int | None, step: bool, json_out: bool, scenario_path: Path | None,
                  plain: bool = False) -> int:
    record = read_record(path)
    _notes(record)
    if not record.turns:  # a damaged log (status 1), like any record cut short
        raise RecordError(f"{path}: the record holds no whole turn to show (it was cut off before its first "
                          f"turn ended); `wargame resume {path}` plays the game from its start")
    numbers = [t.number for t in record.turns]
    if turn is not None and turn not in numbers:
        raise UsageError(f"--turn {turn}: {path} has turns 1 to {max(numbers)}")
    scenario = scenario_for(record, scenario_path, strict=False)
    if scenario.sha256 != record.header.get("scenario_sha256"):
        message(f"wargame: warning: {scenario.path} has changed since this game was played; "
                "the boards may not match the record (see --verify)")
    views, broken = partial_timeline(scenario, record)
    shown = [v for v in views if turn is None or v.number == turn]
    if json_out:
        print(json_text([_as_json(scenario, s) for s in shown]))
    elif step and stdin_is_terminal() and sys.stdout.isatty():
        if plain or not _full_screen_possible():
            _page(scenario, shown)
        else:
            from wargame.tui.base import run_guarded
            from wargame.tui.replay import ReplayApp

            run_guarded(ReplayApp(scenario, shown, title=str(path)))
    else:
        for s in shown:
            _show(scenario, s)
    if broken is not None:
        message(f"wargame: error: {path}: the record does not replay at {broken}; later turns are not shown")
        return 1
    return 0


def _as_json(scenario: Scenario, view: PlayedTurn) -> dict[str, Any]:
    return {"turn": view.number, "label": view.label, "digest": view.state.digest(scenario),
            "state": view.state.to_dict(scenario), "events": [e.to_dict() for e in view.events]}


def _show(scenario: Scenario, view: PlayedTurn) -> None:
    from wargame.view.board import render_board

    console().print(render_board(scenario, view.state, list(view.events), secrets=True))


def _page(scenario: Scenario, steps: list[PlayedTurn]) -> None:
    """Step through the turns: Enter or n for next, p previous, a turn number to jump, q to quit."""
    out = console()
    i, redraw = 0, True
    while True:
        if redraw:
            out.clear()
            _show(scenario, steps[i])
        redraw = True
        prompt = (f"{escape(scenario.turn_label(steps[i].number))} ({i + 1} of {len(steps)} turns played) — "
                  "[bold]n[/bold]ext (Enter), [bold]p[/bold]revious, a turn number, [bold]q[/bold]uit: ")
        try:
            answer = out.input(prompt).strip().lower()
        except EOFError:
            out.print()
            return
        if answer in ("", "n", "next"):
            if i + 1 < len(steps):
                i += 1
            else:
                out.print("That was the last turn.")
                return
        elif answer in ("p", "prev", "previous"):
            i = max(i - 1, 0)
        elif answer.isdigit() and any(s.number == int(answer) for s in steps):
            i = next(k for k, s in enumerate(steps) if s.number == int(answer))
        elif answer in ("q", "quit"):
            return
        else:
            out.print(f"Not understood: {escape(answer)!r}")
            redraw = False
