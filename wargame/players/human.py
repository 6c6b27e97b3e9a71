"""A person at the keyboard choosing from a numbered menu. The only seat that prompts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from rich.console import Console
from rich.markup import escape

from wargame.engine.events import Decision
from wargame.engine.rules import legal_options
from wargame.engine.state import State
from wargame.players.clock import Clock, TimedOut, read_line
from wargame.scenario.scenario import Scenario

if TYPE_CHECKING:
    from wargame.game.views import NationView

HELP = ("Type the number of an option (it keeps its number all game). Also: i N (all about option N, "
        "open or closed: chance now, success and failure, approval, costs), b (your private brief), "
        "s (the board again), q (quit; finished turns stay in the log).")
TALK_HELP = (" Before your order you may send messages: say TEXT (public), tell NATION[,NATION] TEXT "
             "(private), offer NATION THEIR_OPTION OUR_OPTION [TEXT], signal ID [TEXT] (a costly signal).")
VERBS = ("say ", "tell ", "offer ", "signal ")
FACILITATOR_HELP = " The facilitator: f opens the White cell console."


class Quit(Exception):
    """The person asked to stop the game."""


class ConsoleRequested(Exception):
    """The facilitator's key was pressed at a seat's prompt."""


def ask(console: Console, scenario: Scenario, state: State, nation_id: str, *,
        clock: Clock | None = None, facilitator: bool = False,
        show_board: Callable[[], None] | None = None,
        send: Callable[[str], str | None] | None = None,
        replies: Callable[[], list[str]] | None = None) -> Decision:
    """Show the nation's menu and read a choice until it is a valid one. With a clock, the
    nation's default is taken when time runs out; with a facilitator, `f` opens the console.
    With `send`, a line starting say/tell/offer/signal is a message of the negotiation phase,
    handed to `send`, which returns what went wrong or None; then `replies` gives the answers
    that came at once (a bot's to an offer), to show under "Sent."."""
    from wargame.cli.prompt import on_terminal
    from wargame.view.menu import render_options
    from wargame.view.options import option_by_number, option_detail, signal_hint

    console = on_terminal(console)  # the dialogue stays on the screen when stdout is a file
    nation = scenario.nation(nation_id)
    menu = legal_options(scenario, state, nation_id)
    by_id = {c.option.id: c for c in menu}
    talking = send is not None and bool(scenario.messages)
    help_text = HELP + (TALK_HELP if talking else "") + (FACILITATOR_HELP if facilitator else "")
    signals = [g for g in scenario.signals.values() if g.nation in (None, nation_id)] if talking else []
    console.print(render_options(scenario, state, nation_id, menu))
    while True:
        try:
            prompt = f"[bold]{escape(nation.name)}[/bold] — your choice (an option's number, ? for help): "
            answer = read_line(console, prompt, clock)
        except EOFError:
            raise Quit() from None
        except TimedOut:
            assert clock is not None
            default = scenario.options[nation.default]
            console.print(f"Time is up: {escape(nation.name)} holds — {escape(default.name)}.")
            return Decision(nation_id, nation.default, "clock", f"timed out after {clock.seconds:g} seconds")
        said = answer.strip()
        answer = said.lower()
        if send is not None and scenario.messages and answer.startswith(VERBS):
            problem = send(said)
            words = said.split()
            signal = scenario.signals.get(words[1]) if answer.startswith("signal ") and len(words) > 1 else None
            if problem:
                console.print(escape(problem))
            elif signal is not None:  # its effects wait for the adjudication: no option changes now
                console.print(escape(f"Sent: {signal.name} ({signal_hint(scenario, signal)})."))
            else:
                console.print("Sent.")
            if not problem and replies is not None:  # a bot answers an offer at once
                for line in replies():
                    console.print(escape(line))
            continue
        if facilitator and answer in ("f", "!"):
            raise ConsoleRequested()
        picked = option_by_number(scenario, nation_id, int(answer)) if answer.isdecimal() else None
        if picked is not None and not by_id[picked.id].ok:
            console.print(f"{escape(answer)}. {escape(picked.name)} cannot be chosen now: "
                          f"{escape(by_id[picked.id].why_not)}.")
            continue
        if picked is not None:
            option = picked
            try:
                note = console.input(f"{escape(option.name)} — why, in a line? (Enter to skip): ")
            except EOFError:
                raise Quit() from None
            return Decision(nation_id, option.id, "human", " ".join(note.split())[:500])
        if answer in ("q", "quit"):
            try:
                sure = console.input("Quit the game? The finished turns stay in the record, and "
                                     "`wargame resume` plays on from there. (y/n): ")
            except EOFError:
                raise Quit() from None
            if sure.strip().lower() in ("y", "yes"):
                raise Quit()
            continue
        if answer in ("s", "board") and show_board is not None:
            show_board()
            console.print(render_options(scenario, state, nation_id, menu))
            continue
        if answer in ("b", "brief"):
            console.print(f"[bold]Private brief — {escape(nation.name)}[/bold]\n{escape(nation.private_brief)}")
            continue
        if answer.startswith("i ") and answer[2:].strip().isdecimal():
            shown = option_by_number(scenario, nation_id, int(answer[2:].strip()))
            if shown is not None:
                choice = by_id[shown.id]
                for heading, text in option_detail(scenario, shown, state.values, open_now=choice.ok,
                                                   why_not=choice.why_not):
                    console.print(f"[bold]{escape(heading):>14}[/bold]  {escape(text)}")
                continue
        if answer in ("?", "h", "help"):
            console.print(help_text)
            for g in signals:
                console.print(escape(f"  signal {g.id}: {g.name} ({signal_hint(scenario, g)})"))
            continue
        console.print(f"Not a choice: {escape(answer)!r}. {help_text}")


def ask_seats(console: Console, scenario: Scenario) -> list[str]:
    """Ask which nations the people at the keyboard will play."""
    from wargame.cli.prompt import on_terminal

    console = on_terminal(console)
    playable = [n for n in scenario.nations if n.playable]
    console.print("[bold]Who is at the keyboard?[/bold] The computer plays every other nation.")
    for i, nation in enumerate(playable, start=1):
        console.print(f"  {i}. {escape(nation.name)}")
    while True:
        try:
            answer = console.input("Nation number(s), comma-separated (Enter for 1): ")
        except EOFError:
            raise Quit() from None
        answer = answer.strip() or "1"
        parts = [p.strip() for p in answer.replace(" ", ",").split(",") if p.strip()]
        if parts and all(p.isdecimal() and 1 <= int(p) <= len(playable) for p in parts):
            return list(dict.fromkeys(playable[int(p) - 1].id for p in parts))
        by_name = {n.id: n.id for n in playable} | {n.name.lower(): n.id for n in playable}
        if parts and all(p.lower() in by_name for p in parts):
            return list(dict.fromkeys(by_name[p.lower()] for p in parts))
        console.print(f"Choose from 1 to {len(playable)}, e.g. 2 or 2,3.")


class Keyboard(Protocol):
    """Where a person answers: the terminal table (wargame.cli.session.TerminalTable)."""

    def ask(self, view: NationView) -> Decision: ...


class HumanSeat:
    """A person at the keyboard decides for the nation, from its view; the table shows the menu,
    passes the keyboard in sealed hot-seat, and lets the facilitator in."""

    kind = "human"

    def __init__(self, keyboard: Keyboard) -> None:
        self.keyboard = keyboard

    def decide(self, view: NationView) -> Decision:
        return self.keyboard.ask(view)
