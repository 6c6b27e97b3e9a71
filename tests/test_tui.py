"""The full-screen table driven headless through Textual's pilot: key presses in, screens out,
over a real game loop (bots in the other seats)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.tui_helpers import on, screen_text, table_app, wait_for
from wargame.players.clock import Clock
from wargame.tui.commands import Go, complete, parse, vocabulary
from wargame.tui.screens import clock_text


async def type_line(pilot: object, line: str) -> None:
    await pilot.press(*("space" if c == " " else c for c in line), "enter")  # type: ignore[attr-defined]


def run(coro: object) -> None:
    import asyncio

    asyncio.run(coro)  # type: ignore[arg-type]


def test_a_delegation_decides_by_an_options_game_long_number() -> None:
    async def go() -> None:
        app = table_app(["japan"])
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, on(app, "DecideScreen"))
            text = screen_text(app)
            assert "Japan decides — Week 1" in text and "3 — Share Yokota cell assessments" in text
            await pilot.press("3", "enter")  # a closed option: its reason, in the scenario's words
            assert "cannot be chosen now: needs Yokota analysis cell expanded" in screen_text(app)
            await pilot.press("i", "space", "7", "enter")  # i N: the option in full, not chosen
            await pilot.pause()
            text = screen_text(app)
            assert "7. Send an envoy to Beijing" in text and "that it succeeds" in text
            assert "If it fails" in text and "Coalition cohesion -1" in text
            await pilot.press("2", "enter")
            text = screen_text(app)
            assert "Why, in a line" in text and "Chosen: 2. Expand the Yokota analysis cell" in text
            for key in "intelligence first":
                await pilot.press("space" if key == " " else key)
            await pilot.press("enter")
            await wait_for(pilot, lambda: on(app, "Message")() and "revealed together" in screen_text(app), "reveal")
            text = screen_text(app)  # every nation's order, what it changed, and the tracks that moved
            for nation in app.game.scenario.nations:
                assert f"{nation.name}: " in text, nation.name
            assert "Japan: Expand the Yokota analysis cell" in text
            assert "▲+1 Deterrence credibility" in text  # the US's order, what it changed
            assert "What changed" in text and "▼-1 Coalition cohesion 3 → 2: TALISMAN SABRE under way" in text
            await pilot.press("end")  # the box scrolls to the rest of the tracks that moved
            assert "▲+1 Escalation 2 → 3: China: Coast guard" in screen_text(app)
            await pilot.pause(0.3)
            assert on(app, "Message")() and app.game.state.turn == 1  # it stays up until a key
            await pilot.press("n")
            await wait_for(pilot, lambda: app.game.state.turn == 2 and on(app, "DecideScreen")(), "week 2")
            decided = [e for e in app.game.history if e.kind == "decision" and e.data["nation"] == "japan"]
            assert [(e.data["option"], e.data["by"], e.data.get("note")) for e in decided] == [
                ("japan.yokota_cell", "human", "intelligence first")]
            assert "3 Share Yokota cell assessments" in screen_text(app)  # open now, the same number
    run(go())


def test_the_game_over_box_shows_the_outcome_the_last_results_and_the_final_board() -> None:
    async def go() -> None:
        app = table_app(["japan"])
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(app.game.scenario.turns):
                await wait_for(pilot, on(app, "DecideScreen"))
                await pilot.press("1", "enter", "enter")
                await wait_for(pilot, on(app, "Message"), "the reveal or the end")
                if app.game.over:
                    break
                await pilot.press("n")
            text = screen_text(app)
            assert "The game is over" in text and "Game over after" in text
            assert "Results of" in text and "Japan: " in text  # not a bare box
            assert "d Final board" in text and "s Situation room" in text
            await pilot.press("d")
            await wait_for(pilot, on(app, "DetailsScreen"), "the final board")
            assert "Whole board" in screen_text(app)
            await pilot.press("escape")
            await wait_for(pilot, on(app, "Message"))
            await pilot.press("enter")
    run(go())


def test_quit_shows_at_80_by_24_and_the_palette_s_quit_asks_first() -> None:
    async def go() -> None:
        app = table_app(["japan"])
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, on(app, "DecideScreen"))
            footer = screen_text(app).rsplit("▁", 1)[-1]
            for shown in ("q Quit", "m Messages", "s Situation", "b Brief", "^p palette"):
                assert shown in footer, shown
            await pilot.press("ctrl+p")
            await wait_for(pilot, on(app, "CommandPalette"), "the palette")
            await pilot.press("Q", "u", "i", "t")
            await wait_for(pilot, lambda: "Quit the game (asks first)" in screen_text(app), "the palette's Quit")
            await pilot.press("enter")
            await wait_for(pilot, on(app, "Confirm"), "the question")
            assert "Quit the game?" in screen_text(app)
            await pilot.press("n")
            await wait_for(pilot, on(app, "DecideScreen"))
            assert not app.stopped and app.is_running
    run(go())


def test_details_open_on_a_key_and_close_again() -> None:
    async def go() -> None:
        app = table_app(["japan"])
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, on(app, "DecideScreen"))
            for key, words in (("g", "Deterrence holds — 2 of 6 met"), ("b", "Private brief — Japan"),
                               ("l", "Week 1"), ("h", "Deterrence credibility"), ("s", "Escalation ladder")):
                await pilot.press(key)
                await wait_for(pilot, on(app, "DetailsScreen"))
                assert words in screen_text(app), key
                await pilot.press("escape")
                await wait_for(pilot, on(app, "DecideScreen"))
    run(go())


def test_quitting_asks_first_and_says_how_to_resume(tmp_path: object) -> None:
    async def go() -> None:
        app = table_app(["japan"], log=tmp_path / "game.jsonl")  # type: ignore[operator]
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, on(app, "DecideScreen"))
            await pilot.press("q")
            await wait_for(pilot, on(app, "Confirm"))
            assert "Quit the game?" in screen_text(app)
            question = app.screen.question  # type: ignore[attr-defined]
            assert f"`wargame resume {tmp_path / 'game.jsonl'}` plays on" in question  # type: ignore[operator]
            await pilot.press("n")
            await wait_for(pilot, on(app, "DecideScreen"))
            assert not app.stopped
            await pilot.press("q")
            await wait_for(pilot, on(app, "Confirm"))
            await pilot.press("y")
            await pilot.pause()
        assert app.stopped
    run(go())


def test_hot_seat_is_sealed_reveal_stays_and_the_white_cells_inject_reaches_every_board() -> None:
    async def go() -> None:
        app = table_app(["japan", "australia"], seed=3, facilitator=True)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, on(app, "WhiteCellScreen"))
            text = screen_text(app)
            assert "WHITE CELL" in text and "han_kuang" in text  # the inject list, ids and effects
            await type_line(pilot, "inject han_kuang")
            assert "Done: Facilitator fires an inject" in screen_text(app)
            await type_line(pilot, "undo")  # a mistaken inject is taken back alone
            assert "takes back the last action" in screen_text(app)
            await type_line(pilot, "inject han_kuang")
            await pilot.press("escape")
            await wait_for(pilot, on(app, "Message"), "the hand-over")
            text = screen_text(app)
            assert "Pass the keyboard to Japan" in text and "Options" not in text  # nothing else on screen
            await pilot.press("enter")
            await wait_for(pilot, on(app, "DetailsScreen"), "Japan's private brief")  # at its first turn
            await pilot.press("escape")
            await wait_for(pilot, on(app, "DecideScreen"))
            await pilot.press("l")
            await wait_for(pilot, on(app, "DetailsScreen"))
            assert "Facilitator fires an inject" in screen_text(app)  # the White cell's inject, on Japan's screen
            await pilot.press("escape")
            await pilot.press("2", "enter", "enter")
            await wait_for(pilot, lambda: on(app, "Message")() and "Australia" in screen_text(app))
            assert "Yokota" not in screen_text(app)  # Japan's choice stays sealed
            await pilot.press("enter")
            await wait_for(pilot, on(app, "DetailsScreen"))
            await pilot.press("escape")
            await wait_for(pilot, on(app, "DecideScreen"))
            await pilot.press("1", "enter", "enter")
            await wait_for(pilot, lambda: on(app, "Message")() and "revealed together" in screen_text(app))
            assert "Expand the Yokota analysis cell" in screen_text(app)
            await pilot.pause(0.3)
            assert "revealed together" in screen_text(app)  # it stays up until someone moves on
            await pilot.press("n")
            await wait_for(pilot, on(app, "WhiteCellScreen"), "the White cell before week 2")
        actions = [e.data.get("action") for e in app.game.history if e.kind == "facilitator"]
        assert actions == ["inject", "undo", "inject"]
    run(go())


def test_a_timed_out_delegation_is_told_and_holds() -> None:
    async def go() -> None:
        app = table_app(["japan", "australia"], seed=3, clock=Clock(0.2))
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, on(app, "Message"))
            await pilot.press("enter")  # Japan's time runs while its brief is open: the brief closes for the notice
            await wait_for(pilot, lambda: "Time is up for Japan" in screen_text(app), "the clock's notice")
            await pilot.press("enter")
            await wait_for(pilot, lambda: "Pass the keyboard to Australia" in screen_text(app))
            assert "Time is up for Japan" in screen_text(app)  # and said again at the hand-over
            await pilot.press("enter")  # Australia's time runs out too
            await wait_for(pilot, lambda: "Time is up for Australia" in screen_text(app), "Australia's notice")
            await pilot.press("enter")
            await wait_for(pilot, lambda: "revealed together" in screen_text(app), "the reveal")
            shown = " ".join(screen_text(app).replace("┃", " ").split())
            assert "Time ran out for Japan and Australia: their default orders were taken." in shown
            assert "Japan: Hold: study the situation (time ran out)" in shown
        held = [e.data for e in app.game.history if e.kind == "decision" and e.data["nation"] in ("japan", "australia")]
        assert [d["by"] for d in held] == ["clock", "clock"]
    run(go())


def test_a_paused_clock_says_so() -> None:
    clock = Clock(90, now=lambda: 0.0)
    clock.start()
    assert clock_text(clock).plain == "⏱ 1:30 left"
    clock.pause()
    assert clock_text(clock).plain == "⏸ clock paused (1:30 left)"


def test_white_cell_command_lines() -> None:
    from wargame.engine.facilitator import FacilitatorError
    from wargame.game import load_scenario

    s = load_scenario("defining-roles")
    assert parse(s, "inject han_kuang -- brought forward") == {"action": "inject", "inject": "han_kuang",
                                                               "reason": "brought forward"}
    assert parse(s, "adjust cohesion -= 1; escalation += 1 -- misread the cable") == {
        "action": "adjust", "effects": ["cohesion -= 1", "escalation += 1"], "reason": "misread the cable"}
    assert parse(s, "undo") == {"action": "undo", "last_action": True}
    assert parse(s, "undo turn", turn=3) == {"action": "undo", "to_turn": 3}
    assert parse(s, "propose japan 40% joint patrol : deterrence += 1 : cohesion -= 1")["chance"] == 0.4
    assert parse(s, "") == Go()
    with pytest.raises(FacilitatorError, match="usage: adjust EFFECTS -- why"):
        parse(s, "adjust cohesion -= 1")
    with pytest.raises(FacilitatorError, match="no inject 'nope'"):
        parse(s, "inject nope")
    words = vocabulary(s)
    assert complete(words, "inj") == "inject" and complete(words, "inject han") == "inject han_kuang"
    assert complete(words, "adjust cohe") == "adjust cohesion"


def test_the_help_never_imports_textual() -> None:
    code = ("import sys; sys.argv = ['wargame', '--help']\nfrom wargame.cli.app import main\ntry:\n    main()\n"
            "except SystemExit:\n    pass\nprint('textual' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("False")


def test_replay_steps_and_jumps(tmp_path: object) -> None:
    from typer.testing import CliRunner

    from wargame.cli.app import app as cli
    from wargame.record.reader import read_record
    from wargame.record.verify import scenario_for, timeline
    from wargame.tui.replay import ReplayApp

    log = tmp_path / "game.jsonl"  # type: ignore[operator]
    played = CliRunner().invoke(cli, ["play", "defining-roles", "--auto", "--seed", "7", "--log", str(log)])
    assert played.exit_code == 0
    record = read_record(log)
    scenario = scenario_for(record)
    turns = timeline(scenario, record)

    async def go() -> None:
        app = ReplayApp(scenario, turns)
        async with app.run_test(size=(100, 30)) as pilot:
            assert "Week 1 — turn 1 of" in screen_text(app)
            await pilot.press("n", "n")
            assert app.at == 2 and "Week 3 — turn 3 of" in screen_text(app)
            await pilot.press("p")
            assert app.at == 1
            await pilot.press("5", "enter")
            assert app.at == 4
            assert "Week 5 — turn 5 of" in screen_text(app)
            from tests.test_board import show

            board = " ".join(show(app.board, 100).split())
            assert "why: favours" in board and "Coalition cohesion" in board  # decisions with their rationale
            await pilot.press("end")
            assert app.at == len(turns) - 1
    run(go())
    assert json.loads(log.read_text(encoding="utf-8").splitlines()[-1])["kind"] == "game_end"


def test_the_room_cut_to_its_height_counts_the_rows_not_shown_and_names_the_key() -> None:
    """At 80x24 the table's room cannot hold every nation and outcome: the last line of each of
    those panes counts the rest and names the key that shows it (as a remote seat's room does);
    the White cell's narrower room counts them too; where every row fits, nothing is said."""
    import asyncio

    from tests.snapshot_apps import room, white_cell

    async def shown(make: object, size: tuple[int, int]) -> str:
        app = make()  # type: ignore[operator]
        async with app.run_test(size=size) as pilot:
            await wait_for(pilot, lambda: "Nations" in screen_text(app) and "more" in screen_text(app)
                           or size[1] > 30 and "Philippines" in screen_text(app), "the room")
            await pilot.pause()
            return screen_text(app)

    small = asyncio.run(shown(room, (80, 24)))
    assert "… 3 more (d: whole board)" in small  # 3 of the 6 nations shown, and the line
    assert "… 8 more (g: how it ends)" in small  # 3 of the 11 outcomes
    assert "Philippines" not in small
    cell = asyncio.run(shown(white_cell, (80, 24)))
    assert "… 2 more" in cell and "(d: whole board)" not in cell  # no key shows the board there
    tall = asyncio.run(shown(room, (100, 50)))
    assert "more (d: whole board)" not in tall and "Philippines" in tall  # every nation fits
    assert "… 4 more (g: how it ends)" in tall  # at most 8 lines: the outcomes still do not fit


def test_fitted_cuts_rows_to_the_lines_there_are_and_leaves_anything_else() -> None:
    from rich.console import Console
    from rich.text import Text

    from wargame.tui.room import fitted
    from wargame.view.situation import _Rows

    rows = _Rows((0, 1))
    for i in range(5):
        rows.add(Text(f"row{i}"), Text("x"))
    console = Console(width=30, color_system=None)
    with console.capture() as seen:
        console.print(fitted(rows, 3, "d: whole board"))
    assert seen.get().splitlines() == ["row0 x", "row1 x", "… 3 more (d: whole board)"]
    assert fitted(rows, 5, "d") is rows and fitted(rows, 1, "d") is rows  # fits; no room for the line
    with console.capture() as seen:
        console.print(fitted(rows, 2))
    assert seen.get().splitlines() == ["row0 x", "… 4 more"]
    words = Text("not rows")
    assert fitted(words, 1, "d") is words
