"""The full-screen table: a Textual app over the one session loop (wargame.game.session.play).

The loop runs in a thread of its own and never touches the screen: the `Table` is its observer
(between turns, a turn done, the game over) and the keyboard of every human seat; each of those
calls shows a screen in the app and waits for its answer. Screens only display and collect
input; every change to the game goes through the Game (White cell actions included, while the
loop waits). Imported only by the commands that open the full screen.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from wargame.engine.events import Decision
from wargame.engine.negotiation import Message
from wargame.engine.rules import IllegalDecision
from wargame.game.game import Game
from wargame.game.seats import Seat
from wargame.game.session import Observer, TurnAbandoned, play
from wargame.game.views import NationView, event_for, role_for, view_for, visible
from wargame.players.clock import Clock
from wargame.players.human import HumanSeat, Quit
from wargame.tui import screens
from wargame.tui.base import GuardedApp, run_guarded
from wargame.tui.room import Sight
from wargame.tui.screens import Confirm, DecideScreen, DetailsScreen, RoomScreen, Tab
from wargame.tui.talk import Desk
from wargame.tui.whitecell import WhiteCellScreen


def public_sight(game: Game, seat: str = "", clock: str = "") -> Sight:
    """What everyone in the room may see: no private role, no private answer, no one's notes,
    no private message or offer."""
    s = game.scenario
    events = [event_for(s, e, "") for e in game.history if visible(e, "")]
    state = game.state.evolve(roles=tuple(role_for(r, False) for r in game.state.roles))
    return Sight(s, state, events, seat, clock)


def nation_sight(view: NationView, seat: str = "", clock: str = "") -> Sight:
    return Sight(view.scenario, view.state, view.events, seat, clock)


def whole_sight(game: Game) -> Sight:
    """Everything: the White cell's view, and the view of a game with no one else to hide from."""
    return Sight(game.scenario, game.state, list(game.history), "White cell")


def tabs_for(sight: Sight, nation: str | None) -> list[Tab]:
    """The details tabs for one viewer (`nation` None: the room, which has no brief or options)."""
    from wargame.engine.rules import legal_options
    from wargame.view.board import render_board, render_outcomes
    from wargame.view.details import event_log, options_text, track_history
    from wargame.view.situation import render_situation, situation

    s, st = sight.scenario, sight.state
    start = max((i for i, e in enumerate(sight.events) if e.kind == "turn_start"), default=0)
    tabs = [Tab("room", "Situation", render_situation(s, st, sight.events, clock=sight.clock, seat=sight.seat))]
    if nation is not None:
        info = s.nation(nation)
        tabs.append(Tab("options", "Options", options_text(s, st, legal_options(s, st, nation))))
        tabs.append(Tab("brief", "Brief", Group(Text(f"Private brief — {info.name}", style="bold"),
                                                Text(info.private_brief or "No private brief."), Text(""),
                                                Text("Public brief", style="bold"), Text(info.public_brief))))
    tabs += [Tab("outcomes", "How it ends", render_outcomes(s, st)),
             Tab("log", "Event log", event_log(s, sight.events)),
             Tab("history", "Track history", track_history(situation(s, st, sight.events))),
             Tab("board", "Whole board", render_board(s, st, sight.events[start:]))]
    return tabs


class TableApp(GuardedApp[None]):
    """The table: the situation room, the delegations deciding, the White cell, the reveal."""

    TITLE = "wargame"
    BINDINGS = [Binding("ctrl+c", "quit_game", "Quit", show=False)]

    def __init__(self, game: Game, seats: Callable[[Table], Mapping[str, Seat]], humans: list[str], *,
                 facilitator: bool = False, clock: Clock | None = None, log: Path | None = None) -> None:
        super().__init__()
        self.game = game
        self.table = Table(self, game, humans, facilitator=facilitator, clock=clock, log=log)
        self.seats = seats(self.table)
        self.failure: BaseException | None = None
        self.stopped = False
        self.room = RoomScreen(self.table.sight())

    def on_mount(self) -> None:
        self.push_screen(self.room)
        threading.Thread(target=self._play_game, name="wargame-loop", daemon=True).start()

    def _play_game(self) -> None:
        try:
            play(self.game, self.seats, [self.table])
        except Quit:
            pass
        except BaseException as err:  # shown after the screen closes, as any error of the command
            self.failure = err
        self.call_from_thread(self.exit)

    # ------------------------------------------------------------ actions from any screen

    def open_details(self, tab: str, nation: str | None = None, sight: Sight | None = None) -> None:
        """The details tabs over the screen, on `tab`; a lone delegation's room has its options and brief."""
        if nation is None and sight is None and len(self.table.humans) == 1:
            nation = self.table.humans[0]
        self.push_screen(DetailsScreen(tabs_for(sight or self.table.sight(), nation), tab))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette's commands, its Quit asking first as `q` does (Textual's own Quit
        leaves at once, the game with it)."""
        for command in super().get_system_commands(screen):
            if command.title == "Quit":
                yield SystemCommand("Quit", "Quit the game (asks first)", self.action_quit_game)
            else:
                yield command

    def action_quit_game(self) -> None:
        if isinstance(self.screen, Confirm):
            return  # already asking
        where = f" The finished turns are in {self.table.log}; `wargame resume {self.table.log}` plays on " \
                "from the last whole turn." if self.table.log is not None else ""

        def answered(yes: bool | None) -> None:
            if yes:
                self.stopped = True
                self.table.wake(screens.QUIT)
                self.exit()

        self.push_screen(Confirm(f"Quit the game?{where}"), answered)

    def action_white_cell(self) -> None:
        """w in the room opens nothing by itself: the White cell comes between turns or from a seat."""
        self.notify("The White cell opens between turns, and with w at a delegation's screen.")


class Table(Observer):
    """The loop's observer and every human seat's keyboard, in the loop's thread: each call shows
    a screen in the app and waits for its answer."""

    def __init__(self, app: TableApp, game: Game, humans: list[str], *, facilitator: bool, clock: Clock | None,
                 log: Path | None) -> None:
        self.app = app
        self.game = game
        self.humans = humans
        self.facilitator = facilitator
        self.clock = clock
        self.log = log
        self.briefed: set[str] = set()
        self.notice = ""  # told at the next hand-over: a delegation that ran out of time
        self._waiting: queue.Queue[object] | None = None

    @property
    def sealed(self) -> bool:
        return len(self.humans) >= 2

    def sight(self) -> Sight:
        """What the room shows: with one delegation at the keyboard, its own view; with several,
        only what all may see; with none, everything."""
        if len(self.humans) == 1:
            return nation_sight(view_for(self.game, self.humans[0]))
        return public_sight(self.game) if self.humans else whole_sight(self.game)

    # ------------------------------------------------------------ waiting for a screen

    def wait(self, make: Callable[[], Screen[Any]]) -> object:
        """Show the screen `make` builds and wait for what it returns (Quit if the app quits)."""
        box: queue.Queue[object] = queue.Queue()
        self._waiting = box

        def show() -> None:
            self.app.push_screen(make(), box.put)

        self.app.call_from_thread(show)
        answer = box.get()
        self._waiting = None
        if answer == screens.QUIT:
            raise Quit()
        return answer

    def wake(self, answer: object) -> None:
        """Give the waiting loop an answer from outside its screen (quitting)."""
        if self._waiting is not None:
            self._waiting.put(answer)

    def refresh(self) -> None:
        self.app.call_from_thread(lambda: self.app.room.show(self.sight()))

    # ------------------------------------------------------------ the observer

    def between_turns(self, game: Game) -> bool:
        self.refresh()
        if not self.facilitator:
            return False
        return self.white_cell(f"Before {game.scenario.turn_label(game.state.turn + 1)}")

    def deciding(self, game: Game) -> None:
        self.refresh()

    def turn_done(self, game: Game) -> None:
        """After each adjudication, a game with someone at the keyboard shows the orders revealed
        and what they changed until a key moves on (a bots-only game goes straight on)."""
        self.refresh()
        if self.humans and not game.over:
            headline, body = self._revealed(game)
            self.wait(lambda: screens.reveal_screen(headline, body))

    def _revealed(self, game: Game) -> tuple[str, RenderableType]:
        """The reveal's headline and body for the turn just adjudicated: every nation's order and
        what it changed, and the tracks that moved, as the room's viewer may see them."""
        from wargame.view.reveal import reveal_body
        from wargame.view.situation import situation
        from wargame.view.words import clocked

        sight = self.sight()
        facts = situation(sight.scenario, sight.state, sight.events)
        headline = screens.reveal_headline(game.scenario.turn_label(game.state.turn),
                                           clocked(game.scenario, facts.last_turn))
        return headline, reveal_body(facts)

    def abandoned(self, game: Game) -> None:
        self.refresh()
        label = game.scenario.turn_label(game.state.turn + 1)
        self.app.call_from_thread(lambda: self.app.notify(f"Back to the start of {label}."))

    def game_over(self, game: Game) -> bool:
        self.refresh()
        ending = next((e for e in reversed(game.history) if e.kind == "game_end"), None)
        title = str(ending.data.get("title") or ending.text) if ending is not None else "no outcome"
        said = f"Game over after {game.scenario.turn_label(game.state.turn)}: {title}."
        if self.log is not None:
            said += f"\nThe record is in {self.log}; `wargame replay {self.log}` shows it again."
        keys = {"enter": ("go", "Finish"), "s": ("room", "Situation room")}
        body: RenderableType = Text(said, style="bold")
        if self.humans:  # the outcome, the last turn's results, and the final board on a key
            body = self._final(game, said)
            keys["d"] = ("board", "Final board")
        if self.facilitator:
            keys["w"] = (screens.WHITE_CELL, "White cell (undo plays on)")
        while True:
            answer = self.wait(lambda: screens.Message(body, keys, title="The game is over"))
            if answer == "room":
                self.wait(lambda: _RoomPeek(self.sight()))
            elif answer == "board":
                self.wait(lambda: DetailsScreen(tabs_for(self.sight(), None), "board"))
            elif answer == screens.WHITE_CELL:
                if self.white_cell("The game is over — undo plays on"):
                    return True
            else:
                return False

    def _final(self, game: Game, said: str) -> RenderableType:
        """The game-over box: the outcome and why, the last turn's orders and changes, the keys."""
        from wargame.view.reveal import reveal_body
        from wargame.view.situation import results_title, situation

        sight = self.sight()
        facts = situation(sight.scenario, sight.state, sight.events)
        ending = next((e for e in reversed(game.history) if e.kind == "game_end"), None)
        why = Text(ending.text) if ending is not None and ending.text not in said else Text("")
        return Group(Text(said, style="bold"), why, Text(""), Text(results_title(facts), style="bold"),
                     reveal_body(facts),
                     Text("\ns: the situation room   d: the final board   Enter: finish", style="dim"))

    def finished(self, game: Game) -> None:
        self.refresh()

    # ------------------------------------------------------------ the White cell

    def white_cell(self, where: str) -> bool:
        """The White cell's screen; True when it went back to a turn's start or ended the game."""
        if self.clock is not None:
            self.clock.hold()
        try:
            answer = self.wait(lambda: WhiteCellScreen(self.game, where, on_action=self._acted))
        finally:
            if self.clock is not None:
                self.clock.release()
        self.refresh()
        return answer == "back"

    def _acted(self, action: Mapping[str, Any]) -> None:
        if action["action"] == "clock" and self.clock is not None:
            (self.clock.pause if action["paused"] else self.clock.resume)()

    # ------------------------------------------------------------ the keyboard of a human seat

    def ask(self, view: NationView) -> Decision:
        nation = self.game.scenario.nation(view.nation)
        if self.sealed:
            while True:
                notice, self.notice = self.notice, ""

                def hand_over(notice: str = notice) -> Screen[Any]:
                    return screens.pass_screen(nation.name, self.facilitator, notice)

                answer = self.wait(hand_over)
                if answer != screens.WHITE_CELL:
                    break
                if self.white_cell(f"During {self.game.scenario.turn_label(self.game.state.turn)}"):
                    raise TurnAbandoned()
        first = view.nation not in self.briefed and self.sealed
        self.briefed.add(view.nation)
        if self.clock is not None:
            self.clock.start()
        seat = view.nation
        desk = Desk(seat, look=lambda: view_for(self.game, seat), send=self.send_message)
        while True:
            answer = self.wait(self._decide_screen(view, nation.name, first, desk))
            first = False
            if isinstance(answer, Decision):
                return answer
            if answer == screens.AGAIN:  # messages were sent: the game as it now is (a signal lands at adjudication)
                view = desk.look()
                self.refresh()
                continue
            if answer == screens.TIMED_OUT:
                assert self.clock is not None
                default = self.game.scenario.options[nation.default]
                told = f"Time is up for {nation.name}: it holds — {default.name}."

                def tell(told: str = told) -> Screen[Any]:
                    return screens.notice_screen(told, "The clock")

                self.wait(tell)
                self.notice = told
                return Decision(view.nation, nation.default, "clock", f"timed out after {self.clock.seconds:g} seconds")
            if answer == screens.WHITE_CELL and self.white_cell(
                    f"During {self.game.scenario.turn_label(self.game.state.turn)}"):
                raise TurnAbandoned()


    def _decide_screen(self, view: NationView, name: str, first: bool, desk: Desk) -> Callable[[], Screen[Any]]:
        """What builds a delegation's decide screen (in the app's thread) from its view."""
        sight = nation_sight(view, seat=f"{name} deciding")

        def details(tab: str) -> None:
            self.app.open_details(tab, view.nation, sight)

        return lambda: DecideScreen(sight, view.nation, view.options, clock=self.clock, facilitator=self.facilitator,
                                    brief_first=first, details=details, desk=desk)

    def send_message(self, message: Message) -> str | None:
        """A delegation's message from its messages screen, sent through the Game (the plain
        prompt's path: recorded, replayed, verified); None, or what the engine refused, in words.
        Called while the loop waits for that delegation's screen."""
        try:
            self.game.send(message)
        except IllegalDecision as err:  # IllegalMessage: over the limit, to no one, not well formed
            return str(err)
        return None


class _RoomPeek(RoomScreen):
    """The situation room on top of another screen, closed with Escape or Enter."""

    BINDINGS = [Binding("escape", "close", "Back"), Binding("enter", "close", "Back")]

    def action_close(self) -> None:
        self.dismiss(None)


def run_table(game: Game, kinds: Mapping[str, str], seat_for: Callable[[str, HumanSeat], Seat], *,
              facilitator: bool = False, clock: Clock | None = None, log: Path | None = None) -> bool:
    """Play `game` on the full screen until it ends or someone quits. `kinds` names each nation's
    seat ("human", "bot", "script"); `seat_for(nation, human_seat)` builds the Seat of every nation.
    True if the game was stopped before its end (quit). Raises what the loop raised."""
    humans = [n for n, kind in kinds.items() if kind == "human"]

    def seats(table: Table) -> dict[str, Seat]:
        human = HumanSeat(table)
        return {n: seat_for(n, human) for n in kinds}

    app = TableApp(game, seats, humans, facilitator=facilitator, clock=clock, log=log)
    run_guarded(app)
    if app.failure is not None:
        raise app.failure
    return app.stopped or not game.over


__all__ = ["Table", "TableApp", "public_sight", "run_table"]
