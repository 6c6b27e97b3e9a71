"""Building the full-screen table over a real game for the pilot and snapshot tests."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

from textual.app import App
from textual.pilot import Pilot

from wargame.game import BotSeat, Game, Seat, load_scenario
from wargame.players.bot import Bot
from wargame.players.clock import Clock
from wargame.players.human import HumanSeat
from wargame.scenario.scenario import Scenario
from wargame.tui.app import Table, TableApp


def table_app(humans: list[str], *, seed: int = 7, facilitator: bool = False, clock: Clock | None = None,
              scenario: Scenario | None = None, log: Path | None = None) -> TableApp:
    """The flagship (or `scenario`) with `humans` at the keyboard and bots in every other seat."""
    s = scenario or load_scenario("defining-roles")
    game = Game(s, seed)
    bot = BotSeat(Bot(s))

    def seats(table: Table) -> dict[str, Seat]:
        human = HumanSeat(table)
        return {n.id: (human if n.id in humans else bot) for n in s.nations}

    return TableApp(game, seats, humans, facilitator=facilitator, clock=clock, log=log)


async def wait_for(pilot: Pilot[None], ready: Callable[[], bool], what: str = "the screen") -> None:
    """Let the app (and the game loop's thread) run until `ready()`; fail after ~10 s."""
    for _ in range(400):
        if ready():
            await pilot.pause()  # and drawn
            return
        await pilot.pause(0.025)
    raise AssertionError(f"{what} never came; the screen is {type(pilot.app.screen).__name__}")


def on(app: TableApp, name: str) -> Callable[[], bool]:
    """Whether the screen on top is of class `name`."""
    return lambda: type(app.screen).__name__ == name and app.screen.is_mounted


def screen_text(app: App[None]) -> str:
    """The words on the screen now, as a person reads them (from the app's own screenshot, with
    whitespace collapsed)."""
    svg = app.export_screenshot()
    body = svg[svg.index("<g class=\"terminal-"):] if "<g class=\"terminal-" in svg else svg
    runs = re.findall(r"<text[^>]*>([^<]*)</text>", body)
    return " ".join(html.unescape("".join(runs)).replace("\xa0", " ").split())
