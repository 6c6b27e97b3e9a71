"""Rendering one situation frame at 120 columns: the situation room against the full board.

Target: one situation-room frame (wargame.view.situation) in <= 10 ms of CPU at 120 columns;
the full situation board (wargame.view.board, the renderer before the situation room) is
rendered in the same run on the same game as the baseline, and the ratio is printed. The game
is the flagship, seed 7, played by bots to the start of Week 5 (the busiest board of its
first half). Each figure is the median of RUNS renders into a string (no terminal).

    python benchmarks/bench_render.py [RUNS]
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from collections.abc import Callable

from rich.console import Console, RenderableType

from wargame.engine.events import Event
from wargame.engine.state import State
from wargame.game import Game, bot_seats, load_scenario, play_turn
from wargame.scenario.scenario import Scenario
from wargame.view.board import render_board
from wargame.view.situation import render_situation

WIDTH = 120


def game(turns: int = 4) -> tuple[Scenario, State, list[Event], list[Event]]:
    """The flagship after `turns` bot turns and the next turn's start: (scenario, state, all
    events, the last turn's events as the board shows them)."""
    s = load_scenario("defining-roles")
    game, seats = Game(s, 7), bot_seats(s)
    last: list[Event] = []
    for _ in range(turns):
        last = play_turn(game, seats)
    last = last + game.begin_turn()
    return s, game.state, list(game.history), last


def cpu_ms(make: Callable[[], RenderableType], runs: int) -> float:
    times = []
    for _ in range(runs):
        console = Console(file=io.StringIO(), width=WIDTH, force_terminal=True, color_system="truecolor")
        start = time.process_time()
        console.print(make())
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    s, state, events, last = game()
    cpu_ms(lambda: render_situation(s, state, events), 3)  # warm up
    cpu_ms(lambda: render_board(s, state, last), 3)
    room = cpu_ms(lambda: render_situation(s, state, events, clock="2:31", seat="Japan deciding"), runs)
    board = cpu_ms(lambda: render_board(s, state, last), runs)
    print(f"situation room frame at {WIDTH} columns: median {room:.1f} ms CPU over {runs} runs (target <= 10 ms)")
    print(f"full situation board (baseline) at {WIDTH} columns: median {board:.1f} ms CPU")
    print(f"ratio {room / board:.2f} of the baseline")


if __name__ == "__main__":
    main()
