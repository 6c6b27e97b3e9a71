"""The bots' part in the negotiation phase (wargame.players.deals): bots bargain with people, not
among themselves. A bot-only game has no offers; bots make offers to a person's, a script's and a
remote delegation's seat; a person's or a script's offer is answered before the order and kept;
a bot's offer is taken up by offering it back; the answer rule's reasons; and games with
exchanges replayed, verified and branched from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FLAGSHIP_PATH, write
from wargame.cli.app import app
from wargame.engine.events import Decision, Event
from wargame.engine.negotiation import Message, offers_kept
from wargame.game import BotSeat, Game, NationView, Seat, bot_seats, play, view_for
from wargame.game.seats import ScriptSeat
from wargame.players.bot import Bot
from wargame.players.deals import AGREED, mirrors, turn_messages
from wargame.players.script import load_script, parse_message
from wargame.scenario.loader import load
from wargame.scenario.scenario import Scenario


@pytest.fixture(scope="module")
def flagship() -> Scenario:
    return load(FLAGSHIP_PATH)


def _messages(history: list[Event]) -> list[tuple[int, Message]]:
    return [(e.turn, Message.from_data(e.data)) for e in history if e.kind == "message"]


def _chosen(history: list[Event], turn: int) -> dict[str, str]:
    return {e.data["nation"]: e.data["option"] for e in history if e.kind == "decision" and e.turn == turn}


def test_a_bot_only_game_has_no_offers(flagship: Scenario) -> None:
    """Between two bots there is no bargaining: a table of bots sends costly signals only, so a
    bot-only game plays as before the bots negotiated (the goldens and the batch path alike)."""
    pact = load(FLAGSHIP_PATH.parent / "pacific-pact.toml")
    for scenario, seed in ((flagship, 7), (flagship, 2027), (pact, 3)):
        game = Game(scenario, seed)
        play(game, bot_seats(scenario))
        kinds = {m.kind for _, m in _messages(game.history)}
        assert kinds <= {"signal"}, (scenario.id, seed, kinds)
        notes = [e.data["note"] for e in game.history if e.kind == "decision"]
        assert not any(n.startswith("keeps the exchange agreed with ") for n in notes)


def test_bots_make_offers_to_a_persons_seat_only(flagship: Scenario) -> None:
    bot = BotSeat(Bot(flagship))
    game = Game(flagship, 7)
    person = Person(game, {}, {}, bot, [])  # a person who lets the bot's rule order for it
    play(game, {n.id: bot for n in flagship.nations} | {"australia": person}, turns=3)
    said = _messages(game.history)
    offers = [(t, m) for t, m in said if m.kind == "offer"]
    assert len({m.sender for _, m in offers}) >= 2
    for _, m in offers:  # to the person only, each the bot's proposal, saying how to agree
        assert m.to == ("australia",) and m.sender != "australia"
        assert m.text == f"To agree, offer it back: offer {m.sender} {m.then_option.partition('.')[2]} " \
                         f"{(m.if_option or '').partition('.')[2]}"  # type: ignore[union-attr]
    assert {m.kind for _, m in said} <= {"signal", "offer"}  # nobody answers: the person made no offer
    assert {m for _, m in offers} <= set(person.heard)  # on its board before its order
    for turn in {t for t, _ in said}:  # within the limit, every nation, every turn
        per_nation = [m.sender for t, m in said if t == turn]
        assert max(per_nation.count(n.id) for n in flagship.nations) <= flagship.messages


def test_a_game_with_a_person_is_the_same_game_every_time_and_rebuilds(flagship: Scenario) -> None:
    def played() -> Game:
        bot = BotSeat(Bot(flagship))
        game = Game(flagship, 2027)
        lines = {1: ["offer us stockpiles maritime_surveillance"]}
        play(game, {n.id: bot for n in flagship.nations} | {"australia": Person(game, lines, {}, bot, [])})
        return game

    first, second = played(), played()
    assert any(m.text == "Agreed." for _, m in _messages(first.history))
    assert any(m.text.startswith("To agree, offer it back: ") for _, m in _messages(first.history))
    assert [e.to_dict() for e in first.history] == [e.to_dict() for e in second.history]
    rebuilt = Game.rebuild(flagship, 2027, first.history)  # no seats: the replies come from the record
    assert rebuilt.state == first.state and rebuilt.history == first.history


def test_a_scripted_delegations_offers_are_answered_at_once_and_an_agreed_one_kept(
        flagship: Scenario, tmp_path: Path) -> None:
    script = load_script(write(tmp_path, "1 us offer australia maritime_surveillance stockpiles Patrols?\n"
                                         "1 us offer japan envoy hold An envoy, please.\n1 us stockpiles\n",
                               "us.txt"), flagship)
    bot = BotSeat(Bot(flagship))
    seats: dict[str, Seat] = {n.id: bot for n in flagship.nations} | {"us": ScriptSeat(script, bot)}
    game = Game(flagship, 3)
    play(game, seats, turns=1)
    said = [m for t, m in _messages(game.history) if "us" in (m.sender, *m.to) and m.kind != "signal"]
    assert [(m.sender, m.kind) for m in said] == [("us", "offer"), ("australia", "offer"), ("us", "offer"),
                                                  ("japan", "private")]
    assert mirrors(said[0], said[1]) and said[1].text == "Agreed."
    assert said[3].text == "We decline: 'Hold current posture' is not worth 'Send an envoy to Beijing' to us."
    decisions = {e.data["nation"]: e.data for e in game.history if e.kind == "decision"}
    assert decisions["australia"]["option"] == "australia.maritime_surveillance"  # not its own first choice
    assert decisions["australia"]["note"].startswith("keeps the exchange agreed with United States")
    assert decisions["japan"]["option"] != "japan.envoy"
    assert [verdict for _, verdict in offers_kept(said[:2], _chosen(game.history, 1))] == ["kept", "kept"]


def test_bots_make_offers_to_a_scripted_seat_which_answers_only_by_its_lines(
        flagship: Scenario, tmp_path: Path) -> None:
    """A script stands for people's recorded decisions: the bots make it offers (in the turns it
    scripts and the turns it leaves out alike); its stand-in bot neither offers nor answers."""
    script = load_script(write(tmp_path, "1 australia maritime_surveillance\n", "aus.txt"), flagship)
    bot = BotSeat(Bot(flagship))
    game = Game(flagship, 7)
    play(game, {n.id: bot for n in flagship.nations} | {"australia": ScriptSeat(script, bot)}, turns=3)
    said = [(t, m) for t, m in _messages(game.history) if m.kind != "signal"]
    assert said and all(m.kind == "offer" and m.to == ("australia",) for _, m in said)
    assert {t for t, _ in said} - {1}  # in turns the script leaves out too


class Person:
    """A delegation at the plain prompt, as wargame.cli.session.TerminalTable has it: messages typed
    during its decision (each sent at once), then its order; what came back before ordering is kept."""

    kind = "human"

    def __init__(self, game: Game, lines: dict[int, list[str]], orders: dict[int, str], otherwise: Seat,
                 log: list[str]) -> None:
        self.game, self.lines, self.orders, self.otherwise, self.log = game, lines, orders, otherwise, log
        self.heard: list[Message] = []

    def decide(self, view: NationView) -> Decision:
        self.log.append(view.nation)
        for line in self.lines.get(view.turn, []):
            self.game.send(parse_message(view.scenario, view.turn, view.nation, line))
        now = view_for(self.game, view.nation)
        self.heard += [m for m in turn_messages(now.events) if view.nation in m.to]
        if view.turn in self.orders:
            return Decision(view.nation, self.orders[view.turn], "human")
        return self.otherwise.decide(view)


class Logged(BotSeat):
    def __init__(self, bot: Bot, log: list[str]) -> None:
        super().__init__(bot)
        self.log = log

    def decide(self, view: NationView) -> Decision:
        self.log.append(view.nation)
        return super().decide(view)


def test_a_person_at_the_prompt_reads_the_bots_answer_before_ordering_and_the_bot_keeps_it(
        flagship: Scenario) -> None:
    order: list[str] = []
    bot = Logged(Bot(flagship), order)
    game = Game(flagship, 3)
    person = Person(game, {1: ["offer australia maritime_surveillance stockpiles"]}, {1: "us.stockpiles"}, bot, order)
    other = Person(game, {}, {}, bot, order)
    play(game, {n.id: bot for n in flagship.nations} | {"china": other, "us": person}, turns=1)
    assert order[:2] == ["us", "china"]  # the people order first (nation order), then the bots
    assert [(m.sender, m.text) for m in person.heard] == [("australia", "Agreed.")]
    assert _chosen(game.history, 1)["australia"] == "australia.maritime_surveillance"


def test_a_person_takes_up_a_bots_offer_by_offering_it_back(flagship: Scenario) -> None:
    bots = bot_seats(flagship)
    plain = Game(flagship, 7)  # with a person for Australia, the US offers it an exchange in week 2
    play(plain, bots | {"australia": Person(plain, {}, {}, bots["us"], [])}, turns=2)
    offer = next(m for t, m in _messages(plain.history) if t == 2 and m.sender == "us" and m.kind == "offer")
    assert offer.to == ("australia",) and offer.text.startswith("To agree, offer it back: offer us ")
    back = offer.text.removeprefix("To agree, offer it back: ")

    order: list[str] = []
    game = Game(flagship, 7)
    person = Person(game, {2: [back]}, {2: offer.if_option or ""}, bots["us"], order)
    play(game, bots | {"australia": person}, turns=2)
    said = [m for t, m in _messages(game.history) if t == 2 and {m.sender, *m.to} == {"us", "australia"}]
    assert said == [offer, Message("australia", "offer", "", ("us",), if_option=offer.then_option,
                                   then_option=offer.if_option)]  # the bot does not answer an agreement
    assert person.heard[0] == offer  # read on its board before its order
    decisions = {e.data["nation"]: e.data for e in game.history if e.kind == "decision" and e.turn == 2}
    assert decisions["us"]["option"] == offer.then_option
    assert decisions["us"]["note"].startswith("keeps the exchange agreed with Australia")


def test_the_answer_rule_says_why_it_declines(flagship: Scenario) -> None:
    bot = Bot(flagship)
    game = Game(flagship, 3)
    game.begin_turn()
    deals, menus, values = bot.deals, bot.menus(game.state), game.state.values
    index = flagship.nation_index
    aus, us = index["australia"], index["us"]

    def answer(asked: str, given: str, bound: str | None = None, out: str | None = None) -> str:
        return deals.answer(aus, menus, values, us, asked, given, bound, out)

    assert answer("australia.maritime_surveillance", "us.stockpiles") == AGREED
    assert answer("australia.commit_forces", "us.stockpiles") == "closed"  # only once the crisis is live
    assert answer("australia.maritime_surveillance", "us.live_combined_ops") == "unavailable"
    assert answer("australia.maritime_surveillance", "us.stockpiles", bound="australia.hold") == "bound"
    assert answer("australia.maritime_surveillance", "us.stockpiles", out="australia.hold") == "out"
    assert answer("australia.hold", "us.hold") == "worth"
    assert answer("australia.maritime_surveillance", "us.stockpiles", bound="australia.maritime_surveillance") == AGREED


def test_a_game_with_exchanges_replays_verifies_and_branches(tmp_path: Path) -> None:
    runner = CliRunner()
    first, again, branch = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    script = write(tmp_path, "1 australia offer us stockpiles maritime_surveillance Patrols for stockpiles?\n"
                             "1 australia maritime_surveillance\n", "aus.txt")
    for log in (first, again):
        played = runner.invoke(app, ["play", "defining-roles", "--script", str(script), "--seed", "7", "--quiet",
                                     "--log", str(log)])
        assert played.exit_code == 0, played.stderr

    def events(log: Path) -> list[dict[str, object]]:
        return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[1:]]

    assert any(e["kind"] == "message" and e.get("said") == "Agreed." for e in events(first))
    assert any(e["kind"] == "message" and str(e.get("said")).startswith("To agree") for e in events(first))
    assert events(first) == events(again)  # byte for byte but the header's time
    verified = runner.invoke(app, ["replay", str(first), "--verify"])
    assert verified.exit_code == 0, verified.stderr
    branched = runner.invoke(app, ["play", "defining-roles", "--from", str(first), "--turn", "2", "--script",
                                   str(script), "--quiet", "--log", str(branch)])
    assert branched.exit_code == 0, branched.stderr
    assert runner.invoke(app, ["replay", str(branch), "--verify"]).exit_code == 0
    assert events(branch) == events(first)  # played on by the same seats, the branch is the same game


def test_a_served_delegations_offer_is_answered_at_once_and_the_computers_seat_keeps_it(flagship: Scenario) -> None:
    """Without a server: a delegation's offer from its browser (ServedGame.send, as the server
    thread calls it) is answered by the computer's seat before the delegation orders, and kept."""
    import threading
    import time

    from wargame.serve.host import ServedGame, Stopped

    game = Game(flagship, 3)
    served = ServedGame(game, {n.id: "human" if n.id == "us" else "bot" for n in flagship.nations})
    served.claim("us")
    failed: list[BaseException] = []

    def loop() -> None:
        try:
            served.play()
        except Stopped:
            pass
        except BaseException as err:  # noqa: BLE001 (reported by the test below)
            failed.append(err)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        for _ in range(200):  # at most 10 s for the first turn's orders to be due
            with served.lock:
                if served.phase == "deciding" and served.due("us"):
                    break
            time.sleep(0.05)
        offer = Message("us", "offer", "Patrols for stockpiles?", ("australia",),
                        if_option="australia.maritime_surveillance", then_option="us.stockpiles")
        assert served.send("us", 1, offer) is None
        with served.lock:
            heard = [(e.data["nation"], e.data["said"]) for e in served.talk if "us" in e.data["to"]]
        assert heard == [("australia", "Agreed.")]  # on the delegation's screen before its order
        assert served.submit("us", 1, "us.stockpiles", "") is None
        for _ in range(200):
            if any(e.kind == "turn_end" for e in list(game.history)):
                break
            time.sleep(0.05)
    finally:
        served.stop()
        thread.join(10)
    assert not failed and not thread.is_alive()
    assert _chosen(game.history, 1)["australia"] == "australia.maritime_surveillance"


def test_what_an_option_can_be_worth_is_bounded_as_the_offer_search_assumes(flagship: Scenario) -> None:
    """The offer search skips wishes by an upper bound of their worth (deals._bound): no worth a
    bot weighs in a game ever exceeds it, so the search finds what a full search would."""
    from wargame.game import Observer

    deals = Bot(flagship, personas={"china": "hawk", "australia": "dove"}).deals
    states = []

    class Turns(Observer):
        def turn_done(self, game: Game) -> None:
            states.append(game.state.values)

    for seed in (1, 7):
        play(Game(flagship, seed), bot_seats(flagship), [Turns()])
    assert len(states) > 10
    for (scorer, ub) in deals.worth.values():
        plan = scorer[2]
        assert all(plan.score(values) <= ub for values in states)  # type: ignore[attr-defined]


def test_the_computers_seats_make_offers_to_a_served_delegation(flagship: Scenario) -> None:
    """Without a server: in a served game the computer's seats make offers to a remote
    delegation's seat (in week 2 of seed 7 three of them offer Australia an exchange), which
    reads them before its order; they make none to each other."""
    import threading
    import time

    from wargame.serve.host import ServedGame, Stopped

    game = Game(flagship, 7)
    served = ServedGame(game, {n.id: "human" if n.id == "australia" else "bot" for n in flagship.nations})
    served.claim("australia")
    failed: list[BaseException] = []

    def loop() -> None:
        try:
            served.play()
        except Stopped:
            pass
        except BaseException as err:  # noqa: BLE001 (reported by the test below)
            failed.append(err)

    def due(turn: int) -> None:
        for _ in range(200):  # at most 10 s for the turn's orders to be due
            with served.lock:
                if served.phase == "deciding" and game.state.turn == turn and served.due("australia"):
                    return
            time.sleep(0.05)
        raise AssertionError(f"turn {turn} never came to Australia")

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        due(1)
        assert served.submit("australia", 1, "australia.maritime_surveillance", "") is None
        due(2)
        with served.lock:
            heard = [Message.from_data(e.data) for e in served.talk if e.turn == 2 and e.data["message"] == "offer"]
    finally:
        served.stop()
        thread.join(10)
    assert not failed and not thread.is_alive()
    assert len(heard) >= 2 and all(m.to == ("australia",) and m.sender != "australia" for m in heard)
    offers = [m for _, m in _messages(game.history) if m.kind == "offer"]
    assert offers and all(m.to == ("australia",) for m in offers)  # none between the computer's seats
