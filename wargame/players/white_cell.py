"""The facilitator's console (the White cell): injects, adjustments, free-form proposals, undo,
the clock, comments and a facilitator's ending — each a recorded, replayable action.

The console only asks questions and builds actions (plain dicts, see
wargame.engine.facilitator); the session carries them out and records them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from rich.console import Console
from rich.markup import escape

from wargame.engine.facilitator import FacilitatorError
from wargame.engine.state import State
from wargame.scenario.scenario import Scenario

if TYPE_CHECKING:
    from wargame.game.game import Game
    from wargame.players.clock import Clock

HELP = """White cell commands:
  inject       fire one of the scenario's injects now
  new          write an inject on the spot, with track changes
  adjust       change a track, with a reason
  propose      adjudicate a delegation's free-form proposal: you set the
               chance and the effects
  undo         go back to the start of this turn or the previous one, or take
               back your last action alone (one taken between turns)
  board        the whole board as it stands (s does the same): last turn's
               results, your actions since
  pause        stop the decision clock        resume   restart it
  comment      add a note to the record (it appears in the replay and the
               report)
  end          end the game with your own outcome
  tracks       the names to use in effects (e.g. cohesion -= 1;
               japan.support += 2)
  go           back to the game (or just press Enter)
inject, new, adjust, propose, undo, comment and end ask their questions; or
type one whole on a line, as on the full-screen table:
  inject ID [-- why]                 adjust EFFECTS -- why
  new TITLE : EFFECTS [-- why]       comment TEXT
  propose NATION PERCENT PROPOSAL : IF-SUCCESS : IF-FAILURE [-- why]
  undo (the last action) | undo turn [N]
  end TITLE [: WHAT IT MEANS] [-- why]
Ctrl-C while answering a command's questions cancels that command.
Between turns only (while delegations decide, their situation stands still):
  inject, new, adjust, propose."""


class Host(Protocol):
    """What the console needs from the table running the game (wargame.cli.session.TerminalTable)."""

    @property
    def scenario(self) -> Scenario: ...

    @property
    def state(self) -> State: ...

    def act(self, action: Mapping[str, Any]) -> None: ...

    def undo_targets(self) -> list[int]: ...

    def last_action(self) -> str | None: ...

    @property
    def has_clock(self) -> bool: ...

    def show_board(self) -> None: ...


class GameHost:
    """The parts of the Host that every table answers alike, from its `game` and its decision
    `clock` (mixed into wargame.cli.session.TerminalTable and wargame.serve.white_host.WhiteCellHost)."""

    game: Game
    clock: Clock | None

    @property
    def has_clock(self) -> bool:
        return self.clock is not None

    def undo_targets(self) -> list[int]:
        return self.game.undo_targets()

    def last_action(self) -> str | None:
        """The White cell's last action, to take back, in words (wargame.view.words.event_words)."""
        from wargame.view.words import event_words

        event = self.game.last_action
        return event_words(self.game.scenario, event) if event is not None else None


class Back(Exception):
    """A question answered with nothing: back to the console prompt."""


def run_console(out: Console, host: Host, *, where: str) -> None:
    """Take commands until the facilitator goes back to the game. An undo is carried out by the
    host (which may leave this call by raising)."""
    from wargame.cli.prompt import on_terminal

    out = on_terminal(out)
    leave = "Enter to finish" if host.state.ended else "Enter to go back to the game"
    out.print(f"[bold reverse] WHITE CELL [/bold reverse] {escape(where)} — help lists the commands; {leave}.")
    while True:
        try:
            line = " ".join(out.input("[bold]white cell>[/bold] ").split())
        except EOFError:
            return
        word, _, rest = line.partition(" ")
        command = word.lower()
        if command in ("", "go", "back", "continue") and not rest:
            return
        if command in ("board", "s") and not rest:
            host.show_board()
            continue
        if command in BETWEEN_TURNS and host.state.in_turn:  # say so before asking anything
            out.print(f"[bold]Not now:[/bold] {escape(command)} changes the situation, and the delegations are "
                      "deciding on it as it stands. Do it between turns, or undo to the start of this turn.")
            continue
        handler = COMMANDS.get(command)
        if rest and command in ONE_LINE:  # the whole command on the line: no questions asked
            try:
                given = _one_line(host, line)
            except FacilitatorError as err:
                out.print(f"[bold]Not understood:[/bold] {escape(str(err))}")
                continue
            handler = _given(given)  # carried out below, as an asked one is
        elif handler is None or rest:
            out.print(_not_a_command(command))
            continue
        try:
            action = handler(out, host)
            if action is not None:
                host.act(action)
                if action["action"] == "end":
                    return
        except (Back, KeyboardInterrupt):  # Ctrl-C at a question cancels the command, not the game
            out.print("\nNothing done.")
        except FacilitatorError as err:
            out.print(f"[bold]Not done:[/bold] {escape(str(err))}")


def _one_line(host: Host, line: str) -> dict[str, Any]:
    """The action a command given whole on one line asks for (`adjust cohesion += 1 -- allies
    reassured`, `inject han_kuang -- brought forward`), read by the full-screen table's parser
    (wargame.tui.commands.parse). FacilitatorError, saying what is wrong and the command's usage,
    when the words do not make one."""
    from wargame.tui.commands import Go, parse

    action = parse(host.scenario, line, turn=host.state.turn)
    if isinstance(action, Go):  # not reached: the console leaves on go before it asks the parser
        raise FacilitatorError("go takes nothing after it")
    return action


def _given(action: dict[str, Any]) -> Callable[[Console, Host], dict[str, Any]]:
    """A handler that asks nothing: the action given on the command line."""
    return lambda out, host: action


def _not_a_command(command: str) -> str:
    """What the console says to a line it cannot take (markup, escaped)."""
    if command in ("help", "?", "h"):
        return escape(HELP)
    if command in COMMANDS or command in ("board", "s", "go", "back", "continue"):
        return f"{escape(command)} takes nothing after it; type help."
    return f"Unknown command {escape(command)!r}; type help."


def _ask(out: Console, question: str, *, required: bool = True) -> str:
    try:
        answer = out.input(f"  {question}: ").strip()
    except EOFError:
        raise Back() from None
    if required and not answer:
        raise Back()
    return answer


def _effects(out: Console, host: Host, question: str, *, required: bool = False) -> list[str]:
    """Track changes, asked again until every one checks against the scenario's names."""
    from wargame.engine.facilitator import typed_effects

    while True:
        text = _ask(out, question + " (e.g. cohesion -= 1; escalation += 2)", required=required)
        effects = [part.strip() for part in text.split(";") if part.strip()]
        try:
            typed_effects(host.scenario, effects)
            return effects
        except FacilitatorError as err:
            out.print(f"  [bold]Not understood:[/bold] {escape(str(err))} — type tracks for the names")


def _number(out: Console, question: str, low: int, high: int) -> int:
    """A whole number in low..high, asked again until it is one."""
    while True:
        answer = _ask(out, question)
        if answer.isdecimal() and low <= int(answer) <= high:
            return int(answer)
        out.print(f"  Choose a number from {low} to {high}.")


def _inject(out: Console, host: Host) -> dict[str, Any]:
    from wargame.view.injects import standing
    from wargame.view.options import effects_hint

    injects = host.scenario.injects
    for i, inject in enumerate(injects, start=1):
        now = standing(host.scenario, host.state, inject)
        effects = effects_hint(host.scenario, inject.effects) or "no direct effect"
        out.print(f"  {i:>2}. {escape(inject.title)} — {escape(now)}\n      [italic]{escape(effects)}[/italic]")
    number = _number(out, "Which inject (number)", 1, len(injects))
    return {"action": "inject", "inject": injects[number - 1].id,
            "reason": _ask(out, "Why now (optional)", required=False)}


def _new(out: Console, host: Host) -> dict[str, Any]:
    return {"action": "free_inject", "title": _ask(out, "Title"),
            "detail": _ask(out, "What happens (optional)", required=False),
            "effects": _effects(out, host, "Track changes, separated by ;"),
            "reason": _ask(out, "Why (optional)", required=False)}


def _adjust(out: Console, host: Host) -> dict[str, Any]:
    return {"action": "adjust", "effects": _effects(out, host, "Change", required=True),
            "reason": _ask(out, "Reason")}


def _propose(out: Console, host: Host) -> dict[str, Any]:
    nations = host.scenario.nations
    for i, nation in enumerate(nations, start=1):
        out.print(f"  {i}. {escape(nation.name)}")
    who = _number(out, "Which delegation proposes (number)", 1, len(nations))
    proposal = _ask(out, "The proposal, in a line")
    while True:
        text = _ask(out, "Chance of success, in percent (0-100)").rstrip("%").strip()
        try:
            percent = float(text)
        except ValueError:
            percent = -1.0
        if 0 <= percent <= 100:
            break
        out.print("  A percentage from 0 to 100, e.g. 40.")
    return {"action": "adjudicate", "nation": nations[who - 1].id, "proposal": proposal,
            "chance": round(percent / 100, 4), "on_success": _effects(out, host, "If it succeeds"),
            "on_failure": _effects(out, host, "If it fails"), "reason": _ask(out, "Why (optional)", required=False)}


def _undo(out: Console, host: Host) -> dict[str, Any]:
    targets = host.undo_targets()
    last = host.last_action()
    if not targets and last is None:
        raise FacilitatorError("there is no turn to go back to yet")
    for i, turn in enumerate(targets, start=1):
        out.print(f"  {i}. the start of {escape(host.scenario.turn_label(turn))} (turn {turn})")
    if last is not None:
        out.print(f"  {len(targets) + 1}. take back only your last action: {escape(last)}")
    number = _number(out, "Back to (number)", 1, len(targets) + (last is not None))
    where: dict[str, Any] = {"last_action": True} if number > len(targets) else {"to_turn": targets[number - 1]}
    return {"action": "undo", **where, "reason": _ask(out, "Why (optional)", required=False)}


def _clock(paused: bool) -> Callable[[Console, Host], dict[str, Any] | None]:
    def handler(out: Console, host: Host) -> dict[str, Any] | None:
        if not host.has_clock:
            raise FacilitatorError("there is no decision clock in this game (start it with --clock SECONDS)")
        return {"action": "clock", "paused": paused}

    return handler


def _comment(out: Console, host: Host) -> dict[str, Any]:
    return {"action": "comment", "note": _ask(out, "Comment")}


def _end(out: Console, host: Host) -> dict[str, Any]:
    title = _ask(out, "The outcome's title")
    detail = _ask(out, "What it means (optional)", required=False)
    reason = _ask(out, "Why end here (optional)", required=False)
    if _ask(out, "End the game now? (yes/no)").lower() not in ("y", "yes"):
        raise Back()
    return {"action": "end", "title": title, "detail": detail, "reason": reason}


def _tracks(out: Console, host: Host) -> None:
    from wargame.view.common import track_label

    for name, slot in host.scenario.names.items():
        if slot.writable:
            out.print(f"  {name:<28} {escape(track_label(host.scenario, name))}")
    return None


BETWEEN_TURNS = {"inject", "new", "adjust", "propose"}
ONE_LINE = {"inject", "new", "adjust", "propose", "undo", "comment", "end"}  # these take their words on the line too

COMMANDS: dict[str, Callable[[Console, Host], dict[str, Any] | None]] = {
    "inject": _inject,
    "new": _new,
    "adjust": _adjust,
    "propose": _propose,
    "undo": _undo,
    "pause": _clock(True),
    "resume": _clock(False),
    "comment": _comment,
    "end": _end,
    "tracks": _tracks,
}
