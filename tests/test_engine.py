"""The engine: deterministic, explains every change, resolves in the documented order, ends
games the way the scenario says; and the bot chooses by its nation's interests."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import (
    ENGINE_PATH,
    ROOT,
    decide,
    engine_scenario,
    flagship_scenario,
    last_turn,
    minimal_scenario,
    play_game,
    replace_once,
    started,
    with_values,
    write,
)
from wargame.engine.events import Decision, Event
from wargame.engine.rules import IllegalDecision, adjudicate, available, begin_turn, legal_options
from wargame.engine.state import State, initial_state
from wargame.errors import ScenarioError
from wargame.game import Game, NationView, Seat, bot_seats, play
from wargame.players.bot import Bot
from wargame.scenario.loader import load
from wargame.scenario.scenario import Scenario


def bot_decider(scenario: Scenario) -> dict[str, Seat]:
    return bot_seats(scenario)


def kinds(events: list[Event]) -> list[str]:
    return [e.kind for e in events]


def effects(events: list[Event], target: str | None = None) -> list[Event]:
    return [e for e in events if e.kind == "effect" and (target is None or e.data["target"] == target)]


# ---------------------------------------------------------------- determinism


@pytest.mark.parametrize("seed", [3, 2027])
def test_same_seed_and_decisions_give_identical_events_and_digests(seed: int) -> None:
    scenario = flagship_scenario()
    states_a, events_a = play_game(scenario, seed, bot_decider(scenario))
    states_b, events_b = play_game(scenario, seed, bot_decider(scenario))
    assert [e.to_dict() for e in events_a] == [e.to_dict() for e in events_b]
    assert [s.digest(scenario) for s in states_a] == [s.digest(scenario) for s in states_b]


def test_different_seeds_play_differently() -> None:
    scenario = flagship_scenario()
    games = {tuple(str(e.to_dict()) for e in play_game(scenario, seed, bot_decider(scenario))[1])
             for seed in range(1, 6)}
    assert len(games) > 1


def test_every_turn_end_records_the_digest_of_the_state() -> None:
    scenario = flagship_scenario()
    states, events = play_game(scenario, 5, bot_decider(scenario))
    recorded = [e.data["digest"] for e in events if e.kind == "turn_end"]
    resolved = [s.digest(scenario) for s in states if not s.in_turn]  # after each adjudication
    assert recorded == resolved


def test_the_digest_of_a_state_is_stable(engine: Scenario) -> None:
    assert initial_state(engine, 9).digest(engine) == initial_state(engine, 9).digest(engine)
    assert started(engine, 9).digest(engine) == started(engine, 9).digest(engine)


def test_the_digest_changes_when_a_value_changes(engine: Scenario) -> None:
    state = started(engine, 9)
    heat = state.value(engine, "heat")
    assert with_values(engine, state, {"heat": heat + 1}).digest(engine) != state.digest(engine)


def test_the_digest_changes_with_the_seed(engine: Scenario) -> None:
    assert initial_state(engine, 1).digest(engine) != initial_state(engine, 2).digest(engine)


def test_a_state_is_never_changed_in_place(engine: Scenario) -> None:
    state = started(engine)
    before = state.digest(engine)
    adjudicate(engine, state, decide(("red", "red.surge"), ("white", "white.calm")))
    assert state.digest(engine) == before


# ---------------------------------------------------------------- decisions


def test_an_unavailable_option_is_an_illegal_decision(engine: Scenario) -> None:
    state = started(engine)
    assert not engine.options["red.hot_only"].available.evaluate(state.values)
    with pytest.raises(IllegalDecision, match="needs Heat at least 4"):
        adjudicate(engine, state, decide(("red", "red.hot_only")))


def test_an_option_of_another_nation_is_an_illegal_decision(engine: Scenario) -> None:
    with pytest.raises(IllegalDecision, match="'white.calm' is not an option of Red"):
        adjudicate(engine, started(engine), decide(("red", "white.calm")))


def test_an_unknown_option_is_an_illegal_decision(engine: Scenario) -> None:
    with pytest.raises(IllegalDecision, match="not an option of Red"):
        adjudicate(engine, started(engine), decide(("red", "red.nonsense")))


def test_a_decision_for_an_unknown_nation_is_an_illegal_decision(engine: Scenario) -> None:
    with pytest.raises(IllegalDecision, match="unknown nation 'blue'"):
        adjudicate(engine, started(engine), decide(("blue", "red.hold")))


def test_choices_say_why_an_option_is_unavailable(engine: Scenario) -> None:
    menu = {c.option.id: c for c in legal_options(engine, started(engine), "red")}
    assert not menu["red.hot_only"].ok and menu["red.hot_only"].why_not == "needs Heat at least 4"
    assert menu["red.hold"].ok and menu["red.hold"].why_not == ""


def test_a_conditional_option_becomes_available_when_its_condition_holds(engine: Scenario) -> None:
    hot = with_values(engine, started(engine), {"heat": 4})
    assert engine.options["red.hot_only"] in available(engine, hot, "red")


def test_missing_decisions_take_each_nations_default(engine: Scenario) -> None:
    state = started(engine)
    after, events = adjudicate(engine, state, {})
    made = {e.data["nation"]: (e.data["option"], e.data["by"]) for e in events if e.kind == "decision"}
    assert made == {"red": ("red.hold", "default"), "white": ("white.hold", "default")}
    assert after.values[1:] == state.values[1:]


def test_a_missing_decision_for_one_nation_defaults_only_that_nation(engine: Scenario) -> None:
    _, events = adjudicate(engine, started(engine), decide(("red", "red.big")))
    made = {e.data["nation"]: e.data["option"] for e in events if e.kind == "decision"}
    assert made == {"red": "red.big", "white": "white.hold"}


def test_a_once_only_option_cannot_be_chosen_again(engine: Scenario) -> None:
    state, _ = adjudicate(engine, started(engine), decide(("red", "red.once")))
    state, _ = begin_turn(engine, state)
    menu = {c.option.id: c for c in legal_options(engine, state, "red")}
    assert not menu["red.once"].ok and "only once" in menu["red.once"].why_not
    with pytest.raises(IllegalDecision, match="only once"):
        adjudicate(engine, state, decide(("red", "red.once")))


def test_the_chosen_posture_is_shown(flagship: Scenario) -> None:
    option = flagship.options["japan.envoy"]
    after, _ = adjudicate(flagship, started(flagship), decide(("japan", option.id)))
    assert after.postures[[n.id for n in flagship.nations].index("japan")] == option.posture


# ---------------------------------------------------------------- effects and clamping


def test_effects_change_the_tracks(engine: Scenario) -> None:
    after, events = adjudicate(engine, started(engine), decide(("red", "red.big")))
    assert after.value(engine, "score") == 3
    (change,) = effects(events, "score")
    assert (change.data["before"], change.data["after"]) == (0, 3)
    assert change.text.startswith("score +3: ")


def test_a_change_past_the_maximum_is_held_at_the_maximum(engine: Scenario) -> None:
    state = with_values(engine, started(engine), {"heat": 4})
    after, events = adjudicate(engine, state, decide(("red", "red.surge")))
    assert after.value(engine, "heat") == 5
    (change,) = effects(events, "heat")
    assert change.text.endswith("(held at max 5)")
    assert change.text.startswith("heat +1: ")


def test_a_change_past_the_minimum_is_held_at_the_minimum(engine: Scenario) -> None:
    state = with_values(engine, started(engine), {"heat": 1})
    after, events = adjudicate(engine, state, decide(("red", "red.cool")))
    assert after.value(engine, "heat") == 0
    (change,) = effects(events, "heat")
    assert change.text.endswith("(held at min 0)")


def test_an_unclamped_change_says_nothing_about_holding(engine: Scenario) -> None:
    _, events = adjudicate(engine, started(engine), decide(("red", "red.big")))
    assert "held at" not in effects(events, "score")[0].text


def test_a_flag_change_is_explained(engine: Scenario) -> None:
    after, events = adjudicate(engine, started(engine), decide(("red", "red.once")))
    assert after.value(engine, "alarm")
    (change,) = effects(events, "alarm")
    assert change.text == f"alarm set: {engine.options['red.once'].reason}"


@pytest.mark.parametrize("load", [flagship_scenario, minimal_scenario, engine_scenario],
                         ids=["flagship", "minimal", "engine"])
def test_every_effect_event_has_a_reason(load) -> None:
    scenario = load()
    for seed in range(4):
        _, events = play_game(scenario, seed, bot_decider(scenario))
        changes = effects(events)
        assert changes
        for event in changes:
            assert event.data["reason"].strip()
            assert event.data["reason"] in event.text


def test_an_effect_amount_that_overflows_is_refused_or_clamped(tmp_path: Path) -> None:
    huge = " * ".join(["1000000000"] * 40)
    text = replace_once(ENGINE_PATH.read_text(encoding="utf-8"),
                        'effects = ["score += 3"]', f'effects = ["score += {huge}"]')
    with contextlib.suppress(ScenarioError):  # refusing it at load time is fine
        scenario = load(write(tmp_path, text))
        after, _ = adjudicate(scenario, started(scenario), decide(("red", "red.big")))
        assert after.value(scenario, "score") == scenario.names["score"].hi


# ---------------------------------------------------------------- resolution order


def _gamble(engine: Scenario, passed: bool) -> tuple[State, State, list[Event]]:
    """White's gamble on the first seed where the Council gives that verdict."""
    for seed in range(100):
        before = started(engine, seed, {"score": 5})  # room for every score change to show
        after, events = adjudicate(engine, before, decide(("white", "white.gamble")))
        if any(e.kind == "approval" and e.data["passed"] is passed for e in events):
            return before, after, events
    raise AssertionError("no seed gave that approval verdict")


def test_approval_then_effects_then_chance_then_its_outcome(engine: Scenario) -> None:
    _, _, events = _gamble(engine, passed=True)
    white = [e for e in events if e.kind in ("approval", "effect", "chance")]
    assert [e.kind for e in white] == ["chance", "approval", "effect", "chance", "effect"]
    assert white[0].data["subject"].startswith("Council")  # the approval roll
    assert white[1].data["passed"] is True
    assert white[2].data["target"] == "heat"  # `effects`
    assert white[3].data["subject"] == "White: Gamble"  # the option's own chance
    assert white[4].data["target"] == "score"  # on_success / on_failure
    assert white[4].data["reason"].endswith(("(succeeded)", "(failed)"))


def test_a_denied_approval_applies_only_on_denied(engine: Scenario) -> None:
    before, after, events = _gamble(engine, passed=False)
    assert [e.data["target"] for e in effects(events)] == ["score"]
    assert effects(events)[0].data["reason"].startswith("Council rejected")
    assert after.value(engine, "heat") == before.value(engine, "heat")
    assert after.value(engine, "score") == before.value(engine, "score") + 1
    assert len([e for e in events if e.kind == "chance"]) == 1  # the approval roll only


def test_nations_resolve_in_the_order_they_are_listed(engine: Scenario) -> None:
    _, events = adjudicate(engine, started(engine), decide(("white", "white.calm"), ("red", "red.big")))
    assert [e.data["target"] for e in effects(events)] == ["score", "heat"]  # red first


def test_scheduled_injects_come_before_triggered_ones() -> None:
    scenario = flagship_scenario()
    scheduled = {i.id for i in scenario.injects if i.turn is not None}
    for seed in range(6):
        _, events = play_game(scenario, seed, bot_decider(scenario))
        for turn in {e.turn for e in events}:
            fired = [e.data["inject"] in scheduled for e in events
                     if e.kind == "inject" and e.turn == turn]
            assert fired == sorted(fired, reverse=True), f"seed {seed}, turn {turn}"


def test_a_turn_that_ends_nothing_closes_with_its_digest(engine: Scenario) -> None:
    _, events = adjudicate(engine, started(engine), {})
    assert events[-1].kind == "turn_end" and "game_end" not in kinds(events)


# ---------------------------------------------------------------- pledges


def test_a_pledge_fires_after_the_decisions_that_make_its_trigger_hold(engine: Scenario) -> None:
    state, _ = adjudicate(engine, started(engine), decide(("red", "red.promise")))
    state, _ = begin_turn(engine, state)
    state, events = adjudicate(engine, state, decide(("red", "red.surge")))
    order = [(e.kind, e.data.get("target")) for e in events if e.kind in ("effect", "pledge_fired")]
    assert order == [("effect", "heat"), ("pledge_fired", None), ("effect", "score")]
    assert effects(events, "score")[0].data["reason"].endswith("Bonus when hot")
    assert state.fired_pledges == ("bonus",)


def test_a_pledge_waits_until_its_trigger_holds(engine: Scenario) -> None:
    state, events = adjudicate(engine, started(engine), decide(("red", "red.promise")))
    assert "pledge_made" in kinds(events) and "pledge_fired" not in kinds(events)
    assert state.active_pledges == ("bonus",)
    state, _ = begin_turn(engine, state)
    state, events = adjudicate(engine, with_values(engine, state, {"heat": 2}), {})
    assert "pledge_fired" in kinds(events)
    assert state.active_pledges == () and state.fired_pledges == ("bonus",)


def test_a_pledge_fires_once_while_its_trigger_keeps_holding(engine: Scenario) -> None:
    state = with_values(engine, started(engine), {"heat": 2})
    state, events = adjudicate(engine, state, decide(("red", "red.promise")))
    assert kinds(events).count("pledge_fired") == 1
    score = state.value(engine, "score")
    state, _ = begin_turn(engine, state)
    state, events = adjudicate(engine, with_values(engine, state, {"heat": 2}), {})
    assert "pledge_fired" not in kinds(events)
    assert state.value(engine, "score") == score


def test_a_pledge_that_has_fired_never_fires_again(minimal: Scenario) -> None:
    state = initial_state(minimal, 1)
    fired = 0
    for _ in range(3):
        state, _ = begin_turn(minimal, state)
        state = with_values(minimal, state, {"escalation": 4, "logistics": 0})
        open_to_blue = [o.id for o in available(minimal, state, "blue")]
        choice = "blue.promise" if "blue.promise" in open_to_blue else "blue.hold"
        state, events = adjudicate(minimal, state, decide(("blue", choice)))
        fired += kinds(events).count("pledge_fired")
        if state.ended:
            break
    assert fired == 1
    assert "blue.promise" not in [o.id for o in available(minimal, state, "blue")]


def test_a_pledge_cannot_be_made_twice(minimal: Scenario) -> None:
    state, _ = begin_turn(minimal, initial_state(minimal, 1))
    state, _ = adjudicate(minimal, state, decide(("blue", "blue.promise")))
    state, _ = begin_turn(minimal, state)
    why = {c.option.id: c.why_not for c in legal_options(minimal, state, "blue")}
    assert why["blue.promise"] == "the pledge is already made"
    with pytest.raises(IllegalDecision):
        adjudicate(minimal, state, decide(("blue", "blue.promise")))


# ---------------------------------------------------------------- outcomes


def test_the_game_ends_at_the_first_matching_outcome(engine: Scenario) -> None:
    state = with_values(engine, started(engine), {"heat": 5, "score": 9})
    after, events = adjudicate(engine, state, {})
    assert after.ended and after.outcome == "boil"
    assert events[-1].kind == "game_end" and events[-1].data["outcome"] == "boil"


def test_a_later_outcome_fires_when_the_earlier_ones_do_not(engine: Scenario) -> None:
    after, _ = adjudicate(engine, with_values(engine, started(engine), {"score": 9}), {})
    assert after.ended and after.outcome == "rich"


def test_an_outcome_reached_by_play_ends_the_game(engine: Scenario) -> None:
    state = with_values(engine, started(engine), {"heat": 3})
    after, events = adjudicate(engine, state, decide(("red", "red.surge")))
    assert after.outcome == "boil" and after.ended
    with pytest.raises(IllegalDecision, match="the game is over"):
        begin_turn(engine, after)
    with pytest.raises(IllegalDecision, match="the game is over"):
        adjudicate(engine, after, {})


def test_end_outcomes_wait_for_the_last_turn(engine: Scenario) -> None:
    quiet = next(o for o in engine.outcomes if o.id == "quiet")
    assert quiet.at_end
    states, events = play_game(engine, 1, lambda s, st: {})
    resolved = states[1::2]
    assert len(resolved) == engine.turns
    for state in resolved[:-1]:
        assert quiet.when.evaluate(state.values)  # it held all along...
        assert not state.ended and state.outcome is None  # ...but did not end the game
    assert resolved[-1].ended and resolved[-1].outcome == "quiet"
    assert kinds(events).count("game_end") == 1


def test_the_catch_all_end_outcome_fires_when_nothing_else_does(engine: Scenario) -> None:
    def warm(scenario: Scenario, state: State):
        return decide(("red", "red.medium")) if state.value(scenario, "heat") < 3 else {}

    states, _ = play_game(engine, 1, warm)
    assert states[-1].ended and states[-1].outcome == "other"


# ---------------------------------------------------------------- the bot


def test_the_bot_picks_the_option_that_raises_its_interest_most(engine: Scenario) -> None:
    bot = Bot(engine)
    for seed in range(20):
        assert bot.choose(started(engine, seed), "red").option == "red.big"


def test_the_bot_avoids_what_its_nation_dislikes(engine: Scenario) -> None:
    bot = Bot(engine)
    for seed in range(20):
        assert bot.choose(started(engine, seed), "white").option == "white.calm"


def test_the_bots_note_explains_the_score(engine: Scenario) -> None:
    decision = Bot(engine).choose(started(engine), "red")
    assert decision.by == "bot"
    assert decision.note.endswith("(score +3.0)")
    assert decision.note.startswith("favours Score")  # in words: the track it expects to raise


def test_the_bots_note_reaches_the_log(engine: Scenario) -> None:
    state = started(engine)
    _, events = adjudicate(engine, state, Bot(engine).decide_all(state))
    notes = {e.data["nation"]: e.data.get("note", "") for e in events if e.kind == "decision"}
    assert "favours Score" in notes["red"] and "favours lower Heat" in notes["white"]


def test_the_bot_only_chooses_available_options(flagship: Scenario) -> None:
    bot = Bot(flagship)
    for seed in range(3):
        state = started(flagship, seed)
        for nation in flagship.nations:
            assert bot.choose(state, nation.id).option in {
                o.id for o in available(flagship, state, nation.id)}


# ---------------------------------------------------------------- random legal play


def _check_in_range(scenario: Scenario, state: State) -> None:
    for name, slot in scenario.names.items():
        value = state.values[slot.index]
        assert slot.lo <= value <= slot.hi, f"{name} = {value} outside {slot.lo}..{slot.hi}"
        if slot.kind == "num" and name != "turn":
            assert float(value).is_integer(), f"{name} = {value} is not whole"


class _Drawn:
    """A seat choosing any open option, drawn by hypothesis (and so shrunk to a simple failing game)."""

    kind = "script"

    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def decide(self, view: NationView) -> Decision:
        options = [c.option for c in view.options if c.ok]
        assert view.scenario.nation(view.nation).default in {o.id for o in options}
        choice = self.data.draw(st.sampled_from(options), label=view.nation)
        return Decision(view.nation, choice.id, "script")


def _random_play(scenario: Scenario, data: st.DataObject) -> None:
    game = Game(scenario, data.draw(st.integers(0, 2**64 - 1), label="seed"))
    game.listeners.append(lambda g, events: _check_in_range(scenario, g.state))
    seat = _Drawn(data)
    state = play(game, {n.id: seat for n in scenario.nations})
    assert 1 <= state.turn <= last_turn(scenario)
    assert game.history[-1].kind == "game_end"
    assert state.ended
    assert state.outcome is not None  # every shipped and fixture scenario ends in a catch-all


_RANDOM = settings(max_examples=40, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@_RANDOM
@given(data=st.data())
def test_random_legal_play_on_the_flagship_stays_in_range_and_ends(data: st.DataObject) -> None:
    _random_play(flagship_scenario(), data)


@_RANDOM
@given(data=st.data())
def test_random_legal_play_on_the_minimal_scenario_stays_in_range_and_ends(data: st.DataObject) -> None:
    _random_play(minimal_scenario(), data)


@_RANDOM
@given(data=st.data())
def test_random_legal_play_on_the_engine_scenario_stays_in_range_and_ends(data: st.DataObject) -> None:
    _random_play(engine_scenario(), data)


@_RANDOM
@given(data=st.data())
def test_random_legal_play_on_the_pact_and_the_live_fixture_stays_in_range_and_ends(data: st.DataObject) -> None:
    for path in (ROOT / "scenarios" / "pacific-pact.toml", ROOT / "tests" / "fixtures" / "live.toml"):
        _random_play(load(path), data)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**64 - 1))
def test_bot_play_on_the_flagship_stays_in_range_and_ends(seed: int) -> None:
    scenario = flagship_scenario()
    states, _ = play_game(scenario, seed, bot_decider(scenario))
    for state in states:
        _check_in_range(scenario, state)
    assert states[-1].ended and sum(not s.in_turn for s in states) <= last_turn(scenario)
