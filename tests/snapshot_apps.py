"""The table's main screens over a fixed game (the flagship, seed 3, bots through Week 2; for a
delegation's screens, Week 3's negotiation phase besides), each in an app of its own with no game loop
running, for the snapshot tests and the screenshots in docs/screens/ (`python -m tests.snapshot_apps`
writes them again).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.screen import Screen

from wargame.engine.negotiation import Message
from wargame.game import Game, bot_seats, load_scenario, play_turn, view_for
from wargame.record.verify import PlayedTurn
from wargame.tui.app import nation_sight, public_sight
from wargame.tui.remote import RemoteApp
from wargame.tui.replay import ReplayApp
from wargame.tui.screens import DecideScreen, RoomScreen, pass_screen, reveal_screen
from wargame.tui.talk import Desk, MessagesScreen
from wargame.tui.whitecell import WhiteCellScreen

ROOT = Path(__file__).resolve().parent.parent


@cache
def played() -> Game:
    """The flagship after two bot turns, Week 3 begun (a White cell inject between)."""
    s = load_scenario("defining-roles")
    game = Game(s, 3)
    seats = bot_seats(s)
    play_turn(game, seats)
    play_turn(game, seats)
    game.facilitate({"action": "inject", "inject": "han_kuang", "reason": "brought forward"})
    game.begin_turn()
    return game


@cache
def talked() -> Game:
    """`played`, then Week 3's negotiation phase: a public statement, a private message to Japan,
    an offer to Japan, one to Australia that Japan may not see, and Japan's own statement."""
    game = Game.rebuild(played().scenario, played().seed, played().history)
    for message in (
            Message("us", "statement", "Deterrence is a team effort: every partner's role counts."),
            Message("australia", "private", "We decide in real time, but our logistics can be ready.", to=("japan",)),
            Message("us", "offer", "Define it and we stock forward.", to=("japan",),
                    if_option="japan.colby_private_logistics", then_option="us.stockpiles"),
            Message("philippines", "private", "Not for Tokyo's ears.", to=("australia",)),
            Message("japan", "statement", "Japan acts within its limits.")):
        game.send(message)
    return game


def desk(game: Game, nation: str) -> Desk:
    """A delegation's desk over a game that sends nothing (a snapshot shows, it does not play)."""
    return Desk(nation, look=lambda: view_for(game, nation), send=lambda message: "not in a snapshot")


class OneScreen(App[None]):
    """An app that shows one screen."""

    TITLE = "wargame"

    def __init__(self, make: type[Screen[object]] | object) -> None:
        super().__init__()
        self.make = make

    def compose(self) -> ComposeResult:
        return iter(())

    def on_mount(self) -> None:
        self.push_screen(self.make())  # type: ignore[operator]


def room() -> App[None]:
    return OneScreen(lambda: RoomScreen(public_sight(played())))


def decide() -> App[None]:
    game = talked()
    view = view_for(game, "japan")
    return OneScreen(lambda: DecideScreen(nation_sight(view, seat="Japan deciding"), "japan", view.options,
                                          desk=desk(game, "japan")))


def messages() -> App[None]:
    return OneScreen(lambda: MessagesScreen(desk(talked(), "japan")))


def white_cell() -> App[None]:
    return OneScreen(lambda: WhiteCellScreen(played(), "During Week 3"))


def hand_over() -> App[None]:
    return OneScreen(lambda: pass_screen("Australia", facilitator=True))


def reveal() -> App[None]:
    from wargame.view.reveal import reveal_body
    from wargame.view.situation import situation

    sight = public_sight(played())
    facts = situation(sight.scenario, sight.state, sight.events)
    return OneScreen(lambda: reveal_screen("Every delegation has decided. The orders of Week 2 are revealed "
                                           "together:", reveal_body(facts)))


def replay() -> App[None]:
    game = played()
    turns, events = [], list(game.history)
    ends = [i for i, e in enumerate(events) if e.kind == "turn_end"]
    start = 0
    for number, end in enumerate(ends, start=1):
        after = Game.rebuild(game.scenario, game.seed, events[:end + 1]).state
        turns.append(PlayedTurn(number, game.scenario.turn_label(number), tuple(events[start:end + 1]),
                                after, end + 1))
        start = end + 1
    return ReplayApp(game.scenario, turns, title="game.jsonl")


def seat_frames(nation: str) -> list[dict[str, Any]]:
    """What a served game's server sends `nation`'s seat over the played game, Week 3 being
    decided: the welcome and the seat's snapshot (the United States has decided; its clock of
    5 minutes paused by the White cell, so the screen is still)."""
    from wargame.engine.events import Decision
    from wargame.serve.host import ServedGame
    from wargame.serve.panes import seat_room
    from wargame.serve.view import public_view, seat_view

    game = played()
    served = ServedGame(game, {n.id: "human" if n.id in ("us", "japan") else "bot" for n in game.scenario.nations},
                        clock=300)
    served.phase, served.claimed = "deciding", {"us", "japan"}
    served.decisions = {"us": Decision("us", "us.hold", "human", "")}
    assert served.clock is not None
    served.clock.pause()  # by the White cell: a still screen
    snapshot = seat_view(served, nation, public_view(served), seat_room(served, nation))
    return [{"type": "welcome", "kind": "seat", "nation": nation, "name": game.scenario.nation(nation).name},
            snapshot]


class RemoteSeat(RemoteApp):
    """The full-screen `wargame join` fed the frames a server would send, with no connection."""

    def __init__(self, frames: list[dict[str, Any]]) -> None:
        super().__init__("http://127.0.0.1:8765/", "ABCDE-FGHJK", connect=False)
        self.frames = frames
        self.briefed = True  # the brief shown over the first decision is another screen

    def on_mount(self) -> None:
        self.call_after_refresh(self._feed)

    def _feed(self) -> None:
        self.welcomed(self.frames[0])
        for frame in self.frames[1:]:
            self.receive(frame)


def remote_room() -> App[None]:
    return RemoteSeat(seat_frames("us"))


def remote_decide() -> App[None]:
    return RemoteSeat(seat_frames("japan"))


SCREENS = {"room": room, "decide": decide, "white-cell": white_cell, "hand-over": hand_over,
           "reveal": reveal, "replay": replay, "messages": messages, "remote-room": remote_room,
           "remote-decide": remote_decide}


def main() -> None:
    """Write docs/screens/NAME-WxH.svg for every screen (or those named as arguments) at 100x30
    and 80x24."""
    import sys

    from textual._doc import take_svg_screenshot

    from tests.test_tui_snapshots import settled

    out = ROOT / "docs" / "screens"
    out.mkdir(parents=True, exist_ok=True)
    for name, make in SCREENS.items():
        if sys.argv[1:] and name not in sys.argv[1:]:
            continue
        for size in ((100, 30), (80, 24)):
            svg = take_svg_screenshot(app=make(), terminal_size=size, run_before=settled)
            (out / f"{name}-{size[0]}x{size[1]}.svg").write_text(svg, encoding="utf-8")
            print(f"wrote docs/screens/{name}-{size[0]}x{size[1]}.svg")


if __name__ == "__main__":
    main()
