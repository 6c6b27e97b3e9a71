"""The situation room's facts and panes, outcomes in the open, options by their game-long
number with their detail in words, and the bot's reasoning in words."""

from __future__ import annotations

import re

from tests.conftest import bot_game, turn_from
from tests.test_board import (
    MINIMAL,
    _plain_environment,  # noqa: F401 - the autouse fixture, for this module too
    assert_fits,
    flagship,
    flat,
    show,
)
from wargame.engine.rules import begin_turn
from wargame.engine.rules import legal_options as choices
from wargame.engine.state import initial_state as new_game
from wargame.players.bot import Bot
from wargame.scenario.loader import load
from wargame.view.board import render_board, render_outcomes
from wargame.view.handout import render_handout
from wargame.view.options import option_by_number, option_detail, option_number
from wargame.view.situation import render_situation, situation


def test_an_outcome_is_split_into_its_conditions_in_the_scenarios_words() -> None:
    s = flagship()
    holds = next(o for o in s.outcomes if o.id == "deterrence_holds")
    progress = s.progress(holds.when, s.initial)
    assert [p.words for p in progress.parts] == [
        "Deterrence credibility at least 8", "Coalition cohesion at least 6", "Logistics readiness at least 5",
        "Escalation at most 5", "Bloc politics (Beijing's perception) at most 7", "from Week 6"]
    assert [p.source for p in progress.parts][0] == "deterrence >= 8"
    start = {name: s.initial[slot.index] for name, slot in s.names.items()}
    assert [p.met for p in progress.parts] == [start["deterrence"] >= 8, start["cohesion"] >= 6,
                                                start["logistics"] >= 5, start["escalation"] <= 5,
                                                start["bloc_politics"] <= 7, False]
    assert (progress.met, progress.total, progress.holds) == (2, 6, False)


def test_an_or_inside_a_condition_stays_one_part() -> None:
    s = load(MINIMAL)
    from wargame.scenario.expr import compile_expression

    cond = compile_expression("escalation >= 2 and (turn >= 3 or escalation >= 4)", s.names, "bool")
    progress = s.progress(cond, s.initial)
    assert progress.total == 2
    assert progress.parts[1].source == "turn >= 3 or escalation >= 4"


def test_closed_options_give_their_reason_in_the_scenarios_words() -> None:
    s = flagship()
    state, _ = begin_turn(s, new_game(s, 7))
    why = {c.option.id: c.why_not for c in choices(s, state, "us")}
    assert why["us.propose_pact"] == ("needs partners that defined a role (Colby's request: define your role) "
                                      "at least 3; from Week 3; not: Pacific Defense Pact talks under way")
    assert "colby.defined" not in why["us.propose_pact"] and ">=" not in why["us.propose_pact"]


def test_options_keep_their_number_from_turn_to_turn() -> None:
    s = flagship()
    seen: dict[int, str] = {}
    for state, _ in [(new_game(s, 3), []), *bot_game(s, seed=3)]:
        for number, choice in enumerate(choices(s, state, "japan"), 1):
            assert option_number(s, choice.option) == number
            assert option_by_number(s, "japan", number) == choice.option
            assert seen.setdefault(number, choice.option.id) == choice.option.id
    assert option_by_number(s, "japan", 0) is None and option_by_number(s, "japan", 99) is None


def test_option_detail_says_chance_success_failure_approval_and_costs_in_words() -> None:
    s = flagship()
    detail = dict(option_detail(s, s.options["china.grey_zone"], s.initial))
    assert detail["Chance"].endswith("that it succeeds") and re.match(r"\d+% now", detail["Chance"])
    assert detail["If it succeeds"].startswith("Escalation +1")
    assert "Grey-zone leverage (Beijing) -1" in detail["If it fails"]
    commit = dict(option_detail(s, s.options["australia.commit_forces"], s.initial, open_now=False,
                                why_not="only in real time"))
    assert commit["Now"] == "closed — only in real time"
    assert commit["Approval"].startswith("Parliament must approve: 50% now; if refused: Coalition cohesion -1")
    assert "Domestic support (Australia) -1" in commit["Costs"] and "Deterrence credibility +2" in commit["Gains"]
    assert "Escalation up by max(0, min(1, 7 - Escalation))" in commit["Always"]  # an amount judged in play
    text = " ".join(v for _, v in option_detail(s, s.options["japan.yokota_cell"], s.initial))
    assert "+=" not in text and "-=" not in text and "yokota_expanded" not in text


def test_the_bots_reasoning_reads_as_words() -> None:
    s = flagship()
    state, _ = begin_turn(s, new_game(s, 7))
    for nation in s.nations:
        note = Bot(s).choose(state, nation.id).note
        assert re.fullmatch(r"(favours .+|the least cost to .+|no change to its interests either way) "
                            r"\(score [-+]\d+\.\d\)", note), note
        assert "x1" not in note and "." not in note.split(" (score")[0]


def test_the_situation_room_fits_one_screen_and_shows_each_part() -> None:
    s = flagship()
    turns = bot_game(s, seed=7)
    events = [e for _, evs in turns[:4] for e in evs]
    state, begun = begin_turn(s, turns[3][0])
    events += begun
    for width in (80, 100, 120):
        text = show(render_situation(s, state, events, clock="2:31", seat="Japan deciding"), width)
        assert_fits(text, width)
        assert len(text.splitlines()) <= 30
        words = flat(text)
        for part in ("Escalation ladder", "◀", "Tracks", "Nations", "How it ends", "This turn",
                     "Results of Week 4", "⏱ 2:31", "Japan deciding"):
            assert part in words, (width, part)
    facts = situation(s, state, events)
    deterrence = facts.tracks["deterrence"]
    assert len(deterrence.history) == 6 and deterrence.history[-1] == state.value(s, "deterrence")
    assert [e.kind for e in facts.this_turn][0] == "turn_start"
    assert {e.turn for e in facts.last_turn} == {4}


def test_the_board_and_the_brief_say_how_the_game_ends() -> None:
    s = flagship()
    state = new_game(s, 1)
    text = flat(show(render_outcomes(s, state), 100))
    assert "Deterrence holds — 2 of 6 met" in text and "✗ from Week 6" in text
    state, events = turn_from(s, state)
    assert "How the game ends" in flat(show(render_board(s, state, events), 100))
    handout = render_handout(s, s.nation("japan"))
    assert "## How the game ends" in handout
    assert "**Deterrence holds** — 2 of 6 conditions met at the start" in handout
