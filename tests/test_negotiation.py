"""The negotiation phase: messages as inputs of the game, the per-turn limit, costly signals,
conditional offers, privacy, scripts and the bots' part."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FLAGSHIP_PATH, write
from wargame.engine.events import Decision
from wargame.engine.negotiation import IllegalMessage, Message, offers_kept
from wargame.errors import UsageError
from wargame.game import Game, bot_seats, play
from wargame.game.history import SendMessage, step_of, steps
from wargame.players.bot import Bot
from wargame.players.script import load_script
from wargame.scenario.loader import load
from wargame.scenario.scenario import Scenario


@pytest.fixture(scope="module")
def flagship() -> Scenario:
    return load(FLAGSHIP_PATH)


def _begun(scenario: Scenario, seed: int = 3) -> Game:
    game = Game(scenario, seed)
    game.begin_turn()
    return game


def test_messages_are_sent_within_a_turn_up_to_the_limit(flagship: Scenario) -> None:
    game = Game(flagship, 3)
    with pytest.raises(IllegalMessage, match="during a turn"):
        game.send(Message("japan", "statement", "Too early."))
    game.begin_turn()
    game.send(Message("japan", "statement", "We will not be drawn into a war."))
    game.send(Message("japan", "private", "Quietly, logistics.", ("us",)))
    with pytest.raises(IllegalMessage, match="has sent its 2 message"):
        game.send(Message("japan", "statement", "A third."))
    game.send(Message("us", "statement", "Washington's turn."))  # the limit is per delegation
    game.adjudicate({})
    game.begin_turn()
    game.send(Message("japan", "statement", "A new turn, a new allowance."))


@pytest.mark.parametrize(("message", "error"), [
    (Message("japan", "private", "To whom?"), "at least one addressee"),
    (Message("japan", "statement", "Hello", ("us",)), "public: it has no addressees"),
    (Message("japan", "private", "Hi", ("japan",)), "not another delegation"),
    (Message("japan", "statement", "   "), "says nothing"),
    (Message("japan", "statement", "\x1b[2J"), "printable"),
    (Message("japan", "offer", "", ("us",), if_option="japan.hold", then_option="japan.hold"),
     "not an option of us"),
    (Message("japan", "signal", "", signal="red_line"), "only United States may send"),
    (Message("japan", "signal", "", signal="nope"), "unknown signal"),
    (Message("atlantis", "statement", "Hi"), "unknown nation"),
])
def test_malformed_messages_are_refused(flagship: Scenario, message: Message, error: str) -> None:
    game = _begun(flagship)
    before = game.state
    with pytest.raises(IllegalMessage, match=error):
        game.send(message)
    assert game.state is before and not [e for e in game.history if e.kind == "message"]


def test_a_costly_signal_lands_at_adjudication_once_a_game(flagship: Scenario) -> None:
    game = _begun(flagship)
    deterrence = flagship.names["deterrence"].index
    before = game.state.values[deterrence]
    events = game.send(Message("us", "signal", "Together.", signal="red_line"))
    assert [e.text for e in events] == [
        'United States signals publicly: Draw a public red line on a quarantine: "Together."']
    assert game.state.values[deterrence] == before  # declared now, lands at adjudication
    assert game.state.pending_signals == (("us", "red_line"),)
    assert game.state.to_dict(flagship)["pending_signals"] == [["us", "red_line"]]
    with pytest.raises(IllegalMessage, match="once a game"):  # a once-only signal is closed at once
        game.send(Message("us", "signal", "", signal="red_line"))
    adjudicated = game.adjudicate({})
    assert game.state.values[deterrence] == before + 1
    assert game.state.pending_signals == () and "pending_signals" not in game.state.to_dict(flagship)
    assert [e.data["signal"] for e in adjudicated if e.kind == "effect" and "signal" in e.data] == ["red_line"] * 3
    game.begin_turn()
    with pytest.raises(IllegalMessage, match="once a game"):
        game.send(Message("us", "signal", "", signal="red_line"))


TALK = """
[negotiation]
messages = 1

[[signals]]
id = "cut"
nation = "green"
name = "Cut the supply line"
text = "Green will cut the line."
effects = ["logistics -= 1"]

[[options]]
id = "blue.supply"
nation = "blue"
name = "Run supplies"
category = "logistics"
available = "logistics >= 2"
"""


def test_a_signal_sent_after_a_decision_changes_no_legal_option_until_adjudication(tmp_path: Path) -> None:
    from wargame.engine.rules import legal_options

    scenario = load(_talk_fixture(tmp_path))
    game = _begun(scenario, seed=2)
    menus = {n: legal_options(scenario, game.state, n) for n in ("blue", "green")}
    assert {c.option.id: c.ok for c in menus["blue"]}["blue.supply"] is True
    logistics = game.state.value(scenario, "logistics")
    game.send(Message("green", "signal", "", signal="cut"))  # after blue chose "Run supplies"
    assert {n: legal_options(scenario, game.state, n) for n in ("blue", "green")} == menus
    events = game.adjudicate({"blue": Decision("blue", "blue.supply", "human")})
    assert [e.kind for e in events[:3]] == ["decision", "decision", "effect"]  # the signal lands first
    assert events[2].data["signal"] == "cut" and events[2].text.endswith("Green signalled: Cut the supply line")
    assert game.state.value(scenario, "logistics") == logistics - 1
    closed = {c.option.id: c for c in legal_options(scenario, game.state, "blue")}["blue.supply"]
    assert logistics - 1 < 2 and not closed.ok  # landed: now (after the turn) it is closed


def _talk_fixture(tmp_path: Path) -> Path:
    minimal = Path(__file__).parent / "fixtures" / "minimal.toml"
    path = tmp_path / "talk.toml"
    path.write_text(minimal.read_text(encoding="utf-8") + TALK, encoding="utf-8")
    return path


def test_offers_are_judged_by_what_both_chose() -> None:
    offer = Message("us", "offer", "", ("australia",), if_option="australia.talisman_sabre",
                    then_option="us.stockpiles")
    assert offers_kept([offer], {"australia": "australia.talisman_sabre", "us": "us.stockpiles"}) == [(offer, "kept")]
    assert offers_kept([offer], {"australia": "australia.talisman_sabre", "us": "us.hold"}) == [(offer, "broken")]
    assert offers_kept([offer], {"australia": "australia.hold", "us": "us.hold"}) == [(offer, "not taken up")]


def test_a_message_is_an_input_that_rebuilds(flagship: Scenario) -> None:
    game = _begun(flagship)
    game.send(Message("us", "offer", "Define it.", ("japan",), if_option="japan.yokota_cell",
                      then_option="us.stockpiles"))
    game.adjudicate({})
    segments = steps(game.history)
    sent = [step_of(s) for s in segments if s[0].kind == "message"]
    assert sent == [SendMessage(Message("us", "offer", "Define it.", ("japan",), if_option="japan.yokota_cell",
                                        then_option="us.stockpiles"))]
    rebuilt = Game.rebuild(flagship, 3, game.history)
    assert rebuilt.state == game.state and [e.to_dict() for e in rebuilt.history] == [e.to_dict() for e in game.history]


def test_bots_send_only_the_costly_signals_their_interests_value(flagship: Scenario) -> None:
    game = Game(flagship, 7)
    play(game, bot_seats(flagship), turns=2)
    sent = [e for e in game.history if e.kind == "message"]
    assert sent and all(e.data["message"] == "signal" for e in sent)
    bot = Bot(flagship)
    for e in sent:  # each was worth more than SIGNAL_WORTH to its nation's interests
        assert flagship.signals[e.data["signal"]].nation in (None, e.data["nation"])
    assert bot.signal(game.state, "japan") is None  # Japan's one signal is spent


def test_script_message_lines(flagship: Scenario, tmp_path: Path) -> None:
    path = write(tmp_path, "1 japan say Hello all.\n1 us tell japan,australia A word.\n"
                           "1 us offer japan yokota_cell stockpiles If you do, we do.\n1 us signal red_line\n"
                           "1 japan yokota_cell\n", "script.txt")
    script = load_script(path, flagship)
    assert [m.kind for m in script.messages_of(1, "us")] == ["private", "offer", "signal"]
    assert script.messages_of(1, "japan") == [Message("japan", "statement", "Hello all.")]
    assert script.messages_of(1, "us")[1].if_option == "japan.yokota_cell"
    bad = write(tmp_path, "1 us offer japan nothing stockpiles\n1 us tell atlantis Hi\n1 us signal nope\n", "bad.txt")
    with pytest.raises(UsageError) as info:
        load_script(bad, flagship)
    message = str(info.value)
    assert "bad.txt:1: japan has no option 'nothing'" in message
    assert "bad.txt:2: unknown nation in 'atlantis'" in message and "bad.txt:3: expected a signal" in message


def test_signal_mistakes_in_a_scenario_are_located(tmp_path: Path) -> None:
    text = FLAGSHIP_PATH.read_text(encoding="utf-8").replace(
        'id = "red_line"\nnation = "us"', 'id = "red_line"\nnation = "usa"', 1)
    from tests.conftest import line_of, only_problem
    problem = only_problem(write(tmp_path, text))
    assert problem.key.startswith("signals[0].nation") and "unknown nation 'usa'" in problem.message
    assert problem.line == line_of(text, 'nation = "usa"')


def test_at_one_keyboard_a_signal_after_a_sealed_choice_plays_on_and_verifies(tmp_path: Path) -> None:
    """The reported case: blue seals "Run supplies", then green signals `cut`, which would close
    it. The signal lands at adjudication, so blue's order stands and the game plays on."""
    import json
    import subprocess
    import sys

    pexpect = pytest.importorskip("pexpect")
    from tests.test_table import ROOT, Terminal

    scenario, log = _talk_fixture(tmp_path), tmp_path / "game.jsonl"
    term = Terminal("play", str(scenario), "--human", "blue", "--human", "green", "--plain", "--seed", "2",
                    "--log", str(log))
    term.expect("Pass to Blue")
    term.send("")
    term.expect(r"Blue.{0,40}your choice")
    term.send("5")  # Run supplies
    term.expect("why, in a line")
    term.send("")
    term.expect("Pass to Green")
    term.send("")
    term.expect(r"Green.{0,40}your choice")
    term.send("signal cut")
    term.expect("lands when the turn is adjudicated")
    term.expect(r"Green.{0,40}your choice")
    term.send("1")
    term.expect("why, in a line")
    term.send("")
    while True:  # every later turn: both hold, the reveal is seen, until the game ends
        index = term.child.expect([r"Pass to \w+", r"your choice", "why, in a line", "seen the orders",
                                   pexpect.EOF])
        if index == 4:
            break
        term.send("1" if index == 1 else "")
    term.child.close()
    assert term.child.exitstatus == 0
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    first = [e for e in rows if e["turn"] == 1 and e["kind"] in ("decision", "effect")]
    assert [e["option"] for e in first[:2]] == ["blue.supply", "green.hold"] and first[2]["signal"] == "cut"
    verified = subprocess.run([sys.executable, "-m", "wargame", "replay", "--verify", str(log),
                               "--scenario", str(scenario)], cwd=ROOT, capture_output=True, text=True)
    assert verified.returncode == 0, verified.stderr


SPOOF = 'Agreed.' + ' ' * 80 + '✉ China to Japan (private): "We stand down."'


@pytest.mark.parametrize("text", ["Line one\u2028✉ fake", "Read \u202eesrever", "zero\u200bwidth", "para\u2029graph"])
def test_a_message_with_format_or_separator_characters_is_refused(flagship: Scenario, text: str) -> None:
    game = _begun(flagship)
    with pytest.raises(IllegalMessage, match=r"invisible format or line-separator characters \(U\+"):
        game.send(Message("china", "private", text, ("japan",)))
    assert not [e for e in game.history if e.kind == "message"]


def test_runs_of_whitespace_are_one_space_so_a_message_cannot_pad_out_a_fake_line(flagship: Scenario) -> None:
    import io

    from rich.console import Console

    from wargame.view.messages import message_log
    game = _begun(flagship)
    game.send(Message("china", "private", SPOOF, ("japan",)))
    game.send(Message("china", "statement", "Tabs\t\tand\n\nnewlines \u3000 too."))
    said = [e.data["said"] for e in game.history if e.kind == "message"]
    assert said == ['Agreed. ✉ China to Japan (private): "We stand down."', "Tabs and newlines too."]
    assert Message("china", "statement", "  a   b  ").text == "a b"
    out = io.StringIO()
    Console(file=out, width=60, color_system=None).print(message_log(flagship, game.history, "japan"))
    lines = out.getvalue().splitlines()
    assert len(lines) > 3  # the turn's heading and two messages, the first wrapped
    marks = [line for line in lines if line[:1] in "✉◆⇄⚑"]
    assert len(marks) == 2  # one per message: a wrapped line is indented under the words
    assert all(line.startswith("  ") for line in lines[1:] if line not in marks)


def test_the_report_matches_a_signal_sent_twice_in_a_turn_to_each_landing_in_order(tmp_path: Path) -> None:
    from wargame.record.log import LogWriter, header
    from wargame.record.reader import read_record
    from wargame.record.verify import timeline
    from wargame.view.report_data import build_report

    path = _talk_fixture(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("messages = 1", "messages = 2"), encoding="utf-8")
    scenario = load(path)
    game = Game(scenario, 2)
    events = game.begin_turn()
    logistics = game.state.value(scenario, "logistics")
    events += game.send(Message("green", "signal", "First", signal="cut"))
    events += game.send(Message("green", "signal", "Second", signal="cut"))
    events += game.adjudicate({})
    log = tmp_path / "twice.jsonl"
    writer = LogWriter.create(log, header(scenario, 2, {n.id: "bot" for n in scenario.nations}))
    writer.write(events)
    writer.close()
    record = read_record(log)
    facts = build_report(scenario, record, timeline(scenario, record))
    sent = [m for m in facts.turns[0].messages if m.kind == "signal"]
    assert [m.text.endswith(said) for m, said in zip(sent, ('"First"', '"Second"'), strict=True)] == [True, True]
    assert [[c.describe() for c in m.changes] for m in sent] == [
        [f"Logistics -1 → {logistics - 1}"], [f"Logistics -1 → {logistics - 2}"]]
