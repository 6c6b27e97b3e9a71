"""The negotiation phase at the full-screen table, driven through Textual's pilot over a real
game loop: each kind of message sent from a delegation's messages screen, the per-turn limit,
refusals in the engine's words, privacy across a sealed hot-seat hand-over, and the record of
such a game verifying."""

from __future__ import annotations

import asyncio
import io
import json
import subprocess
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, SelectionList

from tests.tui_helpers import on, screen_text, table_app, wait_for
from wargame.engine.negotiation import Message
from wargame.game import BotSeat, Game, Seat, load_scenario
from wargame.game.views import NationView
from wargame.players.bot import Bot
from wargame.players.clock import Clock
from wargame.players.human import HumanSeat
from wargame.record.log import LogWriter, RecordSink, header
from wargame.tui.app import Table, TableApp, public_sight

ROOT = Path(__file__).resolve().parent.parent


def run(coro: Coroutine[Any, Any, None]) -> None:
    asyncio.run(coro)


async def typed(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*("space" if c == " " else c for c in text))


async def open_messages(pilot: Pilot[None], app: TableApp) -> None:
    await wait_for(pilot, on(app, "DecideScreen"))
    await pilot.press("m")
    await wait_for(pilot, on(app, "MessagesScreen"))


async def kind(pilot: Pilot[None], app: TableApp, tab: str) -> None:
    """Go to the tab of one kind of message with ← → on the tab bar, as a person would."""
    from textual.widgets import TabbedContent

    tabs = app.screen.query_one(TabbedContent)
    tabs.query_one("Tabs").focus()
    for _ in range(4):
        if tabs.active == tab:
            break
        await pilot.press("right")
    assert tabs.active == tab


async def pick(pilot: Pilot[None], app: TableApp, select_id: str, typed_text: str, value: str) -> None:
    """Open a drop-down with Enter, type the start of an entry's name (it finds it), Enter."""
    select = app.screen.query_one(f"#{select_id}", Select)
    select.focus()
    await pilot.press("enter")
    await pilot.pause()
    await typed(pilot, typed_text)
    await pilot.press("enter")
    await pilot.pause()
    assert select.value == value, (select_id, typed_text)


def messages(app: TableApp) -> list[Message]:
    return [Message.from_data(e.data) for e in app.game.history if e.kind == "message"]


def recorded(app: TableApp, path: Path) -> None:
    """The game's record written to `path` as `wargame play` writes it."""
    s = app.game.scenario
    writer = LogWriter.create(path, header(s, app.game.seed, {n.id: "human" if n.id in app.table.humans else "bot"
                                                           for n in s.nations}))
    app.game.listeners.append(RecordSink(writer))


def verify(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wargame", "replay", "--verify", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_a_public_statement_and_a_private_message_then_the_turn_s_limit() -> None:
    async def go() -> None:
        app = table_app(["japan"], seed=3)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_messages(pilot, app)
            text = screen_text(app)
            assert "2 of 2 messages left this turn" in text
            assert "Australia signals publicly" in text  # the bots' costly signals, with their effects
            await kind(pilot, app, "say")
            await pilot.press("tab")
            await typed(pilot, "We stand firm")
            await pilot.press("enter")
            await pilot.pause()
            text = screen_text(app)
            assert 'Sent: Japan (public statement): "We stand firm"' in text
            assert "1 of 2 messages left this turn" in text

            await kind(pilot, app, "tell")
            await pilot.press("tab")  # the list of delegations: tick Australia with Space
            to = app.screen.query_one("#tell-to", SelectionList)
            assert to.has_focus
            await pilot.press("down", "space")
            assert to.selected == ["australia"]
            await pilot.press("tab")
            await typed(pilot, "Quietly")
            await pilot.press("enter")
            await pilot.pause()
            assert "Sent: Japan to Australia (private)" in screen_text(app)
            assert "0 of 2 messages left this turn" in screen_text(app)

            await kind(pilot, app, "signal")  # over the limit: the engine says so, nothing is sent
            app.screen.query_one("#signal-list", OptionList).focus()
            await pilot.press("enter")
            await pilot.press("enter")
            await pilot.pause()
            assert "Not sent: Japan has sent its 2 message(s) this turn." in screen_text(app)
            assert len(messages(app)) == 4  # two bots' signals and Japan's two

            await pilot.press("escape")  # the decide screen again, from the game as it now is
            await wait_for(pilot, lambda: on(app, "DecideScreen")() and "0 of 2" in screen_text(app))
            assert "Quietly" in screen_text(app)
        mine = [m for m in messages(app) if m.sender == "japan"]
        assert [(m.kind, m.to, m.text) for m in mine] == [
            ("statement", (), "We stand firm"), ("private", ("australia",), "Quietly")]
    run(go())


def test_an_offer_and_a_costly_signal_from_the_full_screen_and_the_record_verifies(tmp_path: Path) -> None:
    log = tmp_path / "talk.jsonl"

    async def go() -> None:
        app = table_app(["japan"], seed=3)
        recorded(app, log)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_messages(pilot, app)
            await kind(pilot, app, "offer")
            await pick(pilot, app, "offer-to", "U", "us")
            await pick(pilot, app, "offer-if", "2", "us.request_roles")  # by name, from the US's own options
            await pick(pilot, app, "offer-then", "2", "japan.yokota_cell")
            app.screen.query_one("#offer-words", Input).focus()
            await typed(pilot, "Ask plainly")
            await pilot.press("enter")
            await pilot.pause()
            text = screen_text(app)
            assert "Sent: Japan to United States (offer): if United States chooses 'Ask partners" in text
            assert "Reply: United States to Japan" in text  # the bot's answer, at once, before the order

            await kind(pilot, app, "signal")
            text = screen_text(app)
            assert "Costs and effects: Domestic support (Japan) +1" in text and "Once a game" in text
            app.screen.query_one("#signal-list", OptionList).focus()
            await pilot.press("enter")
            assert app.screen.query_one("#signal-words", Input).has_focus
            await pilot.press("enter")
            await pilot.pause()
            assert "Sent: Japan signals publicly: Say Japan acts only within its non-combat limits" in \
                screen_text(app)
            await pilot.press("escape")
            await wait_for(pilot, lambda: on(app, "DecideScreen")() and "Japan signals publicly" in screen_text(app))
            await pilot.press("1", "enter", "enter")
            await wait_for(pilot, lambda: on(app, "Message")() and "revealed together" in screen_text(app), "reveal")
            await pilot.press("n")
            await wait_for(pilot, lambda: app.game.state.turn == 2 and on(app, "DecideScreen")(), "week 2")
            await pilot.press("q")
            await wait_for(pilot, on(app, "Confirm"))
            await pilot.press("y")
        mine = [m for m in messages(app) if m.sender == "japan"]
        assert [(m.kind, m.to, m.text, m.if_option, m.then_option, m.signal) for m in mine] == [
            ("offer", ("us",), "Ask plainly", "us.request_roles", "japan.yokota_cell", None),
            ("signal", (), "", None, None, "not_a_bloc")]
        moved = {e.data["target"] for e in app.game.history if e.kind == "effect" and e.data.get("signal")
                 == "not_a_bloc"}
        assert moved == {"japan.support", "bloc_politics", "deterrence"}  # the signal's declared effects

    run(go())
    result = verify(log)  # `wargame replay --verify`: the messages are inputs of the record
    assert result.returncode == 0, result.stderr
    assert "genuine — 1 turn(s)" in result.stdout
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [r["message"] for r in rows[1:] if r["kind"] == "message" and r["nation"] == "japan"] == \
        ["offer", "signal"]


def test_a_refused_offer_is_said_in_words_and_the_seminar_limit_holds() -> None:
    async def go() -> None:
        app = table_app(["japan"], seed=3, scenario=load_scenario("defining-roles", variants=("seminar",)))
        async with app.run_test(size=(80, 24)) as pilot:
            await open_messages(pilot, app)
            assert "1 of 1 message left this turn" in screen_text(app)
            await kind(pilot, app, "offer")
            app.screen.query_one("#offer-words", Input).focus()
            await pilot.press("enter")  # nothing picked: the form says what is missing
            assert "Pick the delegation, the option you ask of it and the option you offer first" in \
                screen_text(app)
            await pick(pilot, app, "offer-to", "A", "australia")
            await pick(pilot, app, "offer-if", "1", "australia.hold")
            await pick(pilot, app, "offer-then", "1", "japan.hold")
            words = app.screen.query_one("#offer-words", Input)
            words.value = "x" * 301  # pasted: longer than a message may be
            words.focus()
            await pilot.press("enter")
            await pilot.pause()
            assert "Not sent: a message is at most 300 printable characters." in screen_text(app)
            words.value = ""
            await kind(pilot, app, "say")
            await pilot.press("tab")
            app.screen.query_one("#say-words", Input).value = "[bold]Yes[/bold] [link=x]no"  # never markup
            await pilot.press("enter")
            await pilot.pause()
            text = screen_text(app)
            assert "0 of 1 message left this turn" in text and '"[bold]Yes[/bold] [link=x]no"' in text
            await kind(pilot, app, "offer")
            app.screen.query_one("#offer-words", Input).focus()
            await pilot.press("enter")  # the offer as picked, now over the turn's limit
            await pilot.pause()
            text = screen_text(app)
            assert "Not sent: Japan has sent its 1 message(s) this turn." in text
            assert "Traceback" not in text
            assert [m.kind for m in messages(app) if m.sender == "japan"] == ["statement"]
            await pilot.press("escape")
            await wait_for(pilot, on(app, "DecideScreen"))
    run(go())


class Whisper(BotSeat):
    """Australia's seat: a bot that tells Japan something privately in Week 1."""

    def negotiate(self, view: NationView) -> list[Message]:
        said = [Message("australia", "private", f"{SECRET} plan, for Japan only", to=("japan",))]
        return said + super().negotiate(view) if view.turn == 1 else super().negotiate(view)


SECRET = "Zanzibar"


def test_a_private_message_to_japan_is_never_on_the_screen_for_the_us_seat() -> None:
    s = load_scenario("defining-roles")
    game = Game(s, 3)
    bot = BotSeat(Bot(s))

    def seats(table: Table) -> dict[str, Seat]:
        human = HumanSeat(table)
        return {n.id: human if n.id in ("us", "japan") else Whisper(bot.bot) if n.id == "australia" else bot
                for n in s.nations}

    async def go() -> None:
        app = TableApp(game, seats, ["us", "japan"])
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, lambda: on(app, "Message")() and "to United States" in screen_text(app))
            assert any(SECRET in e.text for e in game.history)  # sent before anyone decides
            assert SECRET not in screen_text(app)  # the hand-over
            assert not any(SECRET in e.text for e in public_sight(game).events)  # the room's events
            await pilot.press("enter")
            await wait_for(pilot, on(app, "DetailsScreen"), "the US's brief")
            await pilot.press("escape")
            await wait_for(pilot, on(app, "DecideScreen"))
            text = screen_text(app)
            assert "Australia signals publicly" in text and SECRET not in text  # its messages strip
            await pilot.press("m")
            await wait_for(pilot, on(app, "MessagesScreen"))
            text = screen_text(app)
            assert "Australia signals publicly" in text and SECRET not in text  # its messages screen
            await pilot.press("escape")
            await wait_for(pilot, on(app, "DecideScreen"))
            await pilot.press("1", "enter", "enter")

            await wait_for(pilot, lambda: on(app, "Message")() and "to Japan" in screen_text(app))
            assert SECRET not in screen_text(app)
            await pilot.press("enter")
            await wait_for(pilot, on(app, "DetailsScreen"), "Japan's brief")
            await pilot.press("escape")
            await wait_for(pilot, on(app, "DecideScreen"))
            assert f'Australia to Japan (private): "{SECRET} plan' in screen_text(app)  # Japan's own strip
            await pilot.press("m")
            await wait_for(pilot, on(app, "MessagesScreen"))
            assert f"{SECRET} plan, for Japan only" in screen_text(app)
            await pilot.press("escape")
            await wait_for(pilot, on(app, "DecideScreen"))
            await pilot.press("1", "enter", "enter")
            await wait_for(pilot, lambda: on(app, "Message")() and "revealed together" in screen_text(app))
            assert SECRET not in screen_text(app)
    run(go())


def test_time_running_out_while_writing_a_message_closes_the_messages_screen() -> None:
    now = [0.0]

    async def go() -> None:
        app = table_app(["japan"], seed=3, clock=Clock(60, now=lambda: now[0]))
        async with app.run_test(size=(80, 24)) as pilot:
            await open_messages(pilot, app)
            assert "1:00 left" in screen_text(app)  # the clock is on the messages screen too
            now[0] = 61.0
            await wait_for(pilot, lambda: "Time is up for Japan" in screen_text(app), "the clock's notice")
            await pilot.press("enter")
            await wait_for(pilot, lambda: "revealed together" in screen_text(app), "the reveal")
            await pilot.press("n")
            await wait_for(pilot, lambda: app.game.state.turn == 2, "week 2")
        held = [e.data for e in app.game.history if e.kind == "decision" and e.data["nation"] == "japan"]
        assert held[0]["by"] == "clock"
    run(go())


def test_the_room_shows_public_statements_and_signals_only() -> None:
    from rich.console import Console

    from wargame.game.views import view_for
    from wargame.tui.app import nation_sight
    from wargame.tui.room import this_turn
    from wargame.view.situation import situation

    s = load_scenario("defining-roles")
    game = Game(s, 3)
    game.begin_turn()
    game.send(Message("us", "statement", "Deterrence is a team sport"))
    game.send(Message("australia", "private", f"{SECRET} plan", to=("japan",)))
    game.send(Message("japan", "offer", "Ask plainly", to=("us",), if_option="us.request_roles",
                      then_option="japan.yokota_cell"))
    game.send(Message("china", "signal", signal="consequences"))

    def shown(sight: object) -> str:
        console = Console(width=200, record=True, file=io.StringIO())
        facts = situation(sight.scenario, sight.state, sight.events)  # type: ignore[attr-defined]
        console.print(this_turn(facts))
        return console.export_text()

    for sight in (public_sight(game), nation_sight(view_for(game, "japan"))):  # the room, shared or one seat's
        text = shown(sight)
        assert 'United States (public statement): "Deterrence is a team sport"' in text
        assert "China signals publicly: Warn of consequences" in text and "Coalition cohesion -1" in text
        assert SECRET not in text and "offer" not in text


def test_the_screens_say_what_is_true_after_each_message_at_80_by_24() -> None:
    """`m` opens the messages from the number entry; the signal's detail, the status line, the
    offer's boxes, the strip and the highlighted option follow what was sent and picked."""
    from textual.widgets import TabbedContent

    async def go() -> None:
        app = table_app(["japan"], seed=3)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, on(app, "DecideScreen"))
            text = screen_text(app)
            assert "s: the room" in text and "m: read all and send" in text
            options = app.screen.query_one("#options", OptionList)
            await pilot.press("down", "down")
            kept = options.highlighted
            await pilot.press("1")  # a digit goes to the number entry, which has focus now
            entry = app.screen.query_one("#entry", Input)
            assert entry.has_focus and entry.value == "1"
            await pilot.press("m")
            await wait_for(pilot, on(app, "MessagesScreen"))
            assert entry.value == "1"  # `m` opened the messages, it was not typed
            assert "lands when the turn is adjudicated" in screen_text(app)  # the bots' signals in the log
            await kind(pilot, app, "signal")
            assert "Open now" in screen_text(app)
            await kind(pilot, app, "say")
            for said in ("One", "Two"):
                words = app.screen.query_one("#say-words", Input)
                words.focus()
                await typed(pilot, said)
                await pilot.press("enter")
                await pilot.pause()
            assert "Sent: Japan (public statement)" in screen_text(app)
            await kind(pilot, app, "signal")
            text = screen_text(app)
            assert "Sent:" not in text  # the last tab's status is gone
            assert "Cannot be sent now: Japan has sent its 2" in text and "Open now" not in text
            await kind(pilot, app, "offer")
            await pick(pilot, app, "offer-to", "U", "us")
            app.screen.query_one("#offer-to", Select).clear()
            await pilot.pause()
            assert app.screen.query_one("#offer-if", Select).prompt == "their option (pick To first)"
            assert app.screen.query_one(TabbedContent).active == "offer"
            await pilot.press("escape")
            await wait_for(pilot, lambda: on(app, "DecideScreen")() and "0 of 2" in screen_text(app))
            text = screen_text(app)
            assert "m: read all" in text and "read all and send" not in text
            assert app.screen.query_one("#options", OptionList).highlighted == kept
            await pilot.press("1", "enter")  # a choice's note: `m` is a letter there
            note = app.screen.query_one("#entry", Input)
            await wait_for(pilot, lambda: note.has_focus and "Why, in a line" in note.placeholder)
            await typed(pilot, "mm")
            assert note.value == "mm" and on(app, "DecideScreen")()
    run(go())
