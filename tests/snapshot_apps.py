"""The table's main screens over a fixed game (the flagship, seed 3, bots through Week 2; for a
delegation's screens, Week 3's negotiation phase besides), each in an app of its own with no game loop
running, for the snapshot tests and the screenshots in docs/screens/ (`python -m tests.snapshot_apps`
writes them again).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from textual.app import App, ComposeResult
from textual.screen import Screen

from wargame.engine.negotiation import Message
from wargame.game import Game, bot_seats, load_scenario, play_turn, view_for
from wargame.record.verify import PlayedTurn
from wargame.tui.app import nation_sight, public_sight
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
    from wargame.view.situation import results, situation

    sight = public_sight(played())
    facts = situation(sight.scenario, sight.state, sight.events)
    return OneScreen(lambda: reveal_screen("Every delegation has decided. The orders of Week 2 are revealed "
                                           "together:", results(facts)))


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


SCREENS = {"room": room, "decide": decide, "white-cell": white_cell, "hand-over": hand_over,
           "reveal": reveal, "replay": replay, "messages": messages}


def main() -> None:
    """Write docs/screens/NAME-WxH.svg for every screen at 100x30 and 80x24."""
    from textual._doc import take_svg_screenshot

    from tests.test_tui_snapshots import settled

    out = ROOT / "docs" / "screens"
    out.mkdir(parents=True, exist_ok=True)
    for name, make in SCREENS.items():
        for size in ((100, 30), (80, 24)):
            svg = take_svg_screenshot(app=make(), terminal_size=size, run_before=settled)
            (out / f"{name}-{size[0]}x{size[1]}.svg").write_text(svg, encoding="utf-8")
            print(f"wrote docs/screens/{name}-{size[0]}x{size[1]}.svg")


if __name__ == "__main__":
    main()
