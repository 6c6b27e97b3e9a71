"""The three mechanics the flagship is about, checked as rules of the engine and the loader:
Colby's role request, Australia committing only in real time, Japan's non-combat limit.

Numbers are read from the scenario (its effects, its approval chance), never hard-coded, so
the tests hold while the flagship is being tuned."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from tests.conftest import (
    FLAGSHIP_PATH,
    decide,
    flagship_scenario,
    minimal_scenario,
    problems_of,
    replace_once,
    started,
    with_values,
    write,
)
from wargame.engine.events import Event
from wargame.engine.rules import IllegalDecision, adjudicate, available, begin_turn, legal_options
from wargame.engine.state import State
from wargame.scenario.expr import Effect
from wargame.scenario.scenario import OptionInfo, Scenario

FLAGSHIP = FLAGSHIP_PATH.read_text(encoding="utf-8")

# (scenario, request id) for the request tests; (scenario, nation) for the real-time tests
REQUESTS = [pytest.param(flagship_scenario, "colby", id="flagship-colby"),
            pytest.param(minimal_scenario, "ask", id="minimal-ask")]
REAL_TIME = [pytest.param(flagship_scenario, "australia", id="flagship-australia"),
             pytest.param(minimal_scenario, "green", id="minimal-green")]
Loader = Callable[[], Scenario]


# ---------------------------------------------------------------- helpers


def answers(scenario: Scenario, nation: str, request: str) -> list[OptionInfo]:
    return [o for o in scenario.options_by_nation[nation]
            if o.answer is not None and o.answer.request == request]


def answer(scenario: Scenario, nation: str, request: str, kind: str) -> OptionInfo:
    return next(o for o in answers(scenario, nation, request) if o.answer.kind == kind)


def opener(scenario: Scenario, request: str) -> OptionInfo:
    return next(o for o in scenario.options.values() if o.opens == request)


def request_open(scenario: Scenario, request: str, seed: int = 1) -> State:
    """The decision point of turn 2, after the sender opened the request in turn 1."""
    ask = opener(scenario, request)
    state, _ = adjudicate(scenario, started(scenario, seed), decide((ask.nation, ask.id)))
    assert not state.ended
    state, _ = begin_turn(scenario, state)
    return state


def expected_after(state: State, effects: Iterable[Effect]) -> dict[str, float]:
    """What the effects should leave in each track they touch, applied in order and clamped."""
    values = list(state.values)
    touched: dict[str, float] = {}
    for effect in effects:
        slot = effect.slot
        amount = effect.constant if effect.constant is not None else effect.value(values)
        if slot.kind == "bool":
            new = bool(amount)
        else:
            old = values[slot.index]
            raw = {"+=": old + round(amount), "-=": old - round(amount), "=": round(amount)}[effect.op]
            new = min(max(raw, slot.lo), slot.hi)
        values[slot.index] = new
        touched[effect.target] = new
    return touched


def values_where(scenario: Scenario, state: State, live: bool) -> dict[str, float]:
    """A ladder value at which the crisis is (or is not) live, found from crisis_live itself."""
    ladder = scenario.ladder
    assert ladder is not None
    for rung in range(ladder.lo, ladder.hi + 1):
        candidate = with_values(scenario, state, {ladder.name: rung})
        if bool(scenario.crisis_live.evaluate(candidate.values)) is live:
            return {ladder.name: rung}
    raise AssertionError(f"no ladder value makes the crisis {'live' if live else 'calm'}")


def force_options(scenario: Scenario, nation: str) -> list[OptionInfo]:
    categories = scenario.model.categories
    return [o for o in scenario.options_by_nation[nation]
            if o.category in categories and categories[o.category].force]


def role_of(scenario: Scenario, state: State, nation: str) -> str:
    return state.roles[[n.id for n in scenario.nations].index(nation)]


def events_of(events: list[Event], kind: str, **data: object) -> list[Event]:
    return [e for e in events if e.kind == kind and all(e.data.get(k) == v for k, v in data.items())]


# ---------------------------------------------------------------- Colby's request


def test_the_flagship_request_goes_from_the_us_to_the_four_partners(flagship: Scenario) -> None:
    request = flagship.requests["colby"]
    assert request.sender == "us"
    assert set(request.to) == {"japan", "australia", "philippines", "taiwan"}
    assert opener(flagship, "colby").nation == "us"


@pytest.mark.parametrize(("load", "req"), REQUESTS)
def test_partners_cannot_answer_before_the_request_is_made(load: Loader, req: str) -> None:
    scenario = load()
    state = started(scenario)
    for nation in scenario.requests[req].to:
        menu = [c for c in legal_options(scenario, state, nation) if c.option.answer is not None]
        assert menu, f"{nation} has no answer options"
        for choice in menu:
            assert not choice.ok
            assert choice.why_not == "the request has not been made"


@pytest.mark.parametrize(("load", "req"), REQUESTS)
def test_answering_an_unmade_request_is_an_illegal_decision(load: Loader, req: str) -> None:
    scenario = load()
    nation = scenario.requests[req].to[0]
    option = answer(scenario, nation, req, "decline")
    with pytest.raises(IllegalDecision, match="the request has not been made"):
        adjudicate(scenario, started(scenario), decide((nation, option.id)))


@pytest.mark.parametrize(("load", "req"), REQUESTS)
def test_the_senders_option_opens_the_request(load: Loader, req: str) -> None:
    scenario = load()
    ask = opener(scenario, req)
    state, events = adjudicate(scenario, started(scenario), decide((ask.nation, ask.id)))
    assert state.value(scenario, f"{req}.open")
    assert events_of(events, "request", request=req, nation=ask.nation)


@pytest.mark.parametrize(("load", "req"), REQUESTS)
def test_after_the_request_each_partner_can_answer_every_way(load: Loader, req: str) -> None:
    scenario = load()
    state = request_open(scenario, req)
    for nation in scenario.requests[req].to:
        kinds = {o.answer.kind for o in available(scenario, state, nation) if o.answer is not None}
        assert kinds == {"public", "private", "defer", "decline"}, nation


def test_every_flagship_partner_can_define_a_role_it_holds(flagship: Scenario) -> None:
    request = flagship.requests["colby"]
    for nation in request.to:
        defined = {o.answer.category for o in answers(flagship, nation, "colby")
                   if o.answer.kind == "public"}
        real_time = not flagship.nation(nation).pledge_in_advance
        forbidden = {c for c, cat in flagship.model.categories.items() if cat.force and real_time}
        assert defined == (set(request.categories) & set(flagship.nation(nation).roles)) - forbidden


@pytest.mark.parametrize("nation", ["japan", "australia", "philippines", "taiwan"])
def test_a_public_definition_counts_sets_the_role_and_applies_its_effects(
    flagship: Scenario, nation: str
) -> None:
    before = request_open(flagship, "colby")
    option = answer(flagship, nation, "colby", "public")
    expected = expected_after(before, option.effects)
    after, events = adjudicate(flagship, before, decide((nation, option.id)))

    assert after.value(flagship, "colby.defined") == before.value(flagship, "colby.defined") + 1
    assert after.value(flagship, "colby.public") == before.value(flagship, "colby.public") + 1
    assert role_of(flagship, after, nation) == f"public:{option.answer.category}"
    for target, value in expected.items():
        assert after.value(flagship, target) == value, target
    assert events_of(events, "role", nation=nation, answer="public")


def test_a_public_definition_includes_the_roles_own_effects(flagship: Scenario) -> None:
    option = answer(flagship, "japan", "colby", "public")
    role_effects = flagship.model.categories[option.answer.category].role_effects
    assert [e.source for e in option.effects][-len(role_effects):] == role_effects


def test_the_answering_nation_stands_in_for_its_placeholder(flagship: Scenario) -> None:
    targets = {e.target for e in answer(flagship, "taiwan", "colby", "public").effects}
    assert not any("{nation}" in t for t in targets)
    assert not any(t.startswith("japan.") for t in targets)


@pytest.mark.parametrize(("load", "req"), REQUESTS)
def test_a_private_definition_counts_as_defined_but_not_public(load: Loader, req: str) -> None:
    scenario = load()
    nation = scenario.requests[req].to[0]
    before = request_open(scenario, req)
    option = answer(scenario, nation, req, "private")
    after, _ = adjudicate(scenario, before, decide((nation, option.id)))
    assert after.value(scenario, f"{req}.defined") == before.value(scenario, f"{req}.defined") + 1
    assert after.value(scenario, f"{req}.public") == before.value(scenario, f"{req}.public")
    assert role_of(scenario, after, nation).startswith("private:")


@pytest.mark.parametrize(("load", "req"), REQUESTS)
def test_defer_keeps_the_answer_open_for_a_later_turn(load: Loader, req: str) -> None:
    scenario = load()
    nation = scenario.requests[req].to[0]
    state, _ = adjudicate(scenario, request_open(scenario, req),
                       decide((nation, answer(scenario, nation, req, "defer").id)))
    assert role_of(scenario, state, nation) == "defer"
    assert state.value(scenario, f"{req}.defined") == 0
    state, _ = begin_turn(scenario, state)
    kinds = {o.answer.kind for o in available(scenario, state, nation) if o.answer is not None}
    assert kinds == {"public", "private", "defer", "decline"}
    state, _ = adjudicate(scenario, state, decide((nation, answer(scenario, nation, req, "public").id)))
    assert state.value(scenario, f"{req}.defined") == 1
    assert role_of(scenario, state, nation).startswith("public:")


@pytest.mark.parametrize(("load", "req"), REQUESTS)
def test_decline_closes_the_answer(load: Loader, req: str) -> None:
    scenario = load()
    nation = scenario.requests[req].to[0]
    state, _ = adjudicate(scenario, request_open(scenario, req),
                       decide((nation, answer(scenario, nation, req, "decline").id)))
    assert state.value(scenario, f"{req}.declined") == 1
    assert state.value(scenario, f"{req}.defined") == 0
    assert role_of(scenario, state, nation) == "decline"
    state, _ = begin_turn(scenario, state)
    menu = [c for c in legal_options(scenario, state, nation) if c.option.answer is not None]
    assert menu and all(not c.ok and c.why_not == "already answered" for c in menu)


def test_a_defined_role_cannot_be_answered_again(flagship: Scenario) -> None:
    public = answer(flagship, "philippines", "colby", "public")
    state, _ = adjudicate(flagship, request_open(flagship, "colby"), decide(("philippines", public.id)))
    state, _ = begin_turn(flagship, state)
    with pytest.raises(IllegalDecision, match="already answered"):
        adjudicate(flagship, state, decide(("philippines", public.id)))


def test_the_us_can_ask_only_once(flagship: Scenario) -> None:
    ask = opener(flagship, "colby")
    state = request_open(flagship, "colby")
    assert ask not in available(flagship, state, "us")


def test_all_four_partners_answering_publicly_counts_four(flagship: Scenario) -> None:
    before = request_open(flagship, "colby")
    partners = flagship.requests["colby"].to
    after, _ = adjudicate(flagship, before, decide(
        *((n, answer(flagship, n, "colby", "public").id) for n in partners)))
    assert after.value(flagship, "colby.defined") == len(partners)
    assert after.value(flagship, "colby.public") == len(partners)


# ---------------------------------------------------------------- Australia: real time only


@pytest.mark.parametrize(("load", "nation"), REAL_TIME)
def test_a_real_time_nation_makes_no_pledges(load: Loader, nation: str) -> None:
    scenario = load()
    assert scenario.nation(nation).pledge_in_advance is False
    assert not [p for p in scenario.pledges.values() if p.nation == nation]
    assert not [o for o in scenario.options_by_nation[nation] if o.pledge is not None]


@pytest.mark.parametrize(("load", "nation"), REAL_TIME)
def test_force_options_are_unavailable_until_the_crisis_is_live(load: Loader, nation: str) -> None:
    scenario = load()
    forces = force_options(scenario, nation)
    assert forces, f"{nation} has no force option to test"
    state = started(scenario)
    calm = with_values(scenario, state, values_where(scenario, state, live=False))
    for choice in legal_options(scenario, calm, nation):
        if choice.option in forces:
            assert not choice.ok
            assert "real time" in choice.why_not


@pytest.mark.parametrize(("load", "nation"), REAL_TIME)
def test_force_options_are_available_once_the_crisis_is_live(load: Loader, nation: str) -> None:
    scenario = load()
    state = started(scenario)
    live = with_values(scenario, state, values_where(scenario, state, live=True))
    offered = available(scenario, live, nation)
    for option in force_options(scenario, nation):
        assert option in offered


def test_committing_before_the_crisis_is_live_is_an_illegal_decision(flagship: Scenario) -> None:
    state = started(flagship)
    calm = with_values(flagship, state, values_where(flagship, state, live=False))
    (commit,) = force_options(flagship, "australia")
    with pytest.raises(IllegalDecision, match="real time"):
        adjudicate(flagship, calm, decide(("australia", commit.id)))


@pytest.mark.parametrize(("load", "nation"), REAL_TIME)
def test_every_force_option_of_a_real_time_nation_needs_approval(load: Loader, nation: str) -> None:
    scenario = load()
    for option in force_options(scenario, nation):
        assert option.real_time and option.approval is not None
        assert f"{nation}.support" in option.approval.chance.names


def _approval_rate(scenario: Scenario, nation: str, option: OptionInfo, support: int,
                   seeds: range) -> tuple[float, float]:
    """(the chance the scenario gives, the share of seeds in which approval passed)."""
    passed = 0
    chance = 0.0
    for seed in seeds:
        state = started(scenario, seed)
        values = {**values_where(scenario, state, live=True), f"{nation}.support": support}
        state = with_values(scenario, state, values)
        chance = min(max(float(option.approval.chance.evaluate(state.values)), 0.0), 1.0)
        _, events = adjudicate(scenario, state, decide((nation, option.id)))
        (verdict,) = events_of(events, "approval", nation=nation, option=option.id)
        passed += verdict.data["passed"]
    return chance, passed / len(seeds)


@pytest.mark.parametrize(("load", "nation"), REAL_TIME)
def test_approval_follows_domestic_support(load: Loader, nation: str) -> None:
    scenario = load()
    (option,) = force_options(scenario, nation)
    support = scenario.names[f"{nation}.support"]
    seeds = range(300)
    low_chance, low_rate = _approval_rate(scenario, nation, option, int(support.lo), seeds)
    high_chance, high_rate = _approval_rate(scenario, nation, option, int(support.hi), seeds)
    assert high_chance > low_chance
    assert high_rate > low_rate
    assert abs(low_rate - low_chance) < 0.12
    assert abs(high_rate - high_chance) < 0.12


def test_a_rejected_commitment_applies_only_the_denial(flagship: Scenario) -> None:
    (option,) = force_options(flagship, "australia")
    for seed in range(200):
        state = started(flagship, seed)
        live = with_values(flagship, state, {**values_where(flagship, state, live=True),
                                             "australia.support": 0})
        after, events = adjudicate(flagship, live, decide(("australia", option.id)))
        (verdict,) = events_of(events, "approval", nation="australia")
        if verdict.data["passed"]:
            continue
        assert not [e for e in events if e.kind == "effect" and e.data["reason"] == option.reason]
        for target, value in expected_after(live, option.approval.on_denied).items():
            assert after.value(flagship, target) == value, target
        return
    pytest.fail("Parliament never rejected at the lowest support")


@pytest.mark.parametrize(("load", "req", "nation"), [
    pytest.param(flagship_scenario, "colby", "australia", id="flagship"),
    pytest.param(minimal_scenario, "ask", "green", id="minimal"),
])
def test_a_real_time_nations_answers_never_define_a_force_role(
    load: Loader, req: str, nation: str
) -> None:
    scenario = load()
    categories = scenario.model.categories
    asked_force = [c for c in scenario.requests[req].categories
                   if categories[c].force and c in scenario.nation(nation).roles]
    assert asked_force, "the request must ask for a force role the nation holds"
    for option in answers(scenario, nation, req):
        cat = categories.get(option.category)
        assert cat is None or not (cat.force or cat.combat), option.id


def _append(text: str) -> str:
    return FLAGSHIP + "\n" + text


def test_a_pledge_for_australia_fails_validation(tmp_path: Path) -> None:
    path = write(tmp_path, _append(
        '[[pledges]]\nid = "aus_pledge"\nnation = "australia"\nname = "Pledge"\n'
        'trigger = "escalation >= 8"\n'))
    problems = problems_of(path)
    assert any(p.key == "pledges[0].nation" and "pledge_in_advance" in p.message for p in problems)


def test_a_pledging_option_for_australia_fails_validation(tmp_path: Path) -> None:
    text = _append(
        '[[pledges]]\nid = "aus_pledge"\nnation = "australia"\nname = "Pledge"\n'
        'trigger = "escalation >= 8"\n\n'
        '[[options]]\nid = "australia.promise"\nnation = "australia"\nname = "Promise"\n'
        'category = "diplomacy"\npledge = "aus_pledge"\n')
    problems = problems_of(write(tmp_path, text))
    assert any("pledge_in_advance = false" in p.message for p in problems)


def test_a_combat_option_for_australia_without_approval_fails_validation(tmp_path: Path) -> None:
    path = write(tmp_path, _append(
        '[[options]]\nid = "australia.rush"\nnation = "australia"\nname = "Rush in"\n'
        'category = "combat"\n'))
    problems = problems_of(path)
    count = len(flagship_scenario().model.options)
    assert [p.key for p in problems] == [f"options[{count}].approval"]
    assert "real time" in problems[0].message


def test_the_commitment_without_its_approval_fails_validation(tmp_path: Path) -> None:
    start = FLAGSHIP.index('approval = { body = "Parliament"')
    line = FLAGSHIP[start:FLAGSHIP.index("\n", start) + 1]
    problems = problems_of(write(tmp_path, replace_once(FLAGSHIP, line, "")))
    assert len(problems) == 1 and "needs an approval" in problems[0].message


# ---------------------------------------------------------------- Japan: non-combat only


def test_japan_is_non_combat_and_holds_no_combat_role(flagship: Scenario) -> None:
    japan = flagship.nation("japan")
    assert japan.non_combat
    assert not [r for r in japan.roles if flagship.model.categories[r].combat]


def test_no_japanese_option_has_a_combat_category(flagship: Scenario) -> None:
    categories = flagship.model.categories
    assert any(categories[c].combat for c in flagship.requests["colby"].categories)
    options = flagship.options_by_nation["japan"]
    assert answers(flagship, "japan", "colby"), "japan must have answer options to check"
    for option in options:
        category = categories.get(option.category)
        assert category is None or not category.combat, option.id


def test_japan_never_gets_a_combat_option_in_play(flagship: Scenario) -> None:
    top = flagship.ladder.hi
    state = with_values(flagship, request_open(flagship, "colby"), {flagship.ladder.name: top})
    for option in available(flagship, state, "japan"):
        category = flagship.model.categories.get(option.category)
        assert category is None or not category.combat, option.id


def test_a_japanese_combat_option_fails_to_load(tmp_path: Path) -> None:
    path = write(tmp_path, _append(
        '[[options]]\nid = "japan.strike"\nnation = "japan"\nname = "Strike"\n'
        'category = "combat"\n'))
    problems = problems_of(path)
    count = len(flagship_scenario().model.options)
    assert [p.key for p in problems] == [f"options[{count}].category"]
    assert "japan may not take 'combat' roles" in problems[0].message


def test_adding_combat_to_japans_roles_fails_to_load(tmp_path: Path) -> None:
    roles = 'roles = ["intelligence", "humanitarian", "logistics", "diplomacy"]\nnon_combat = true'
    text = replace_once(FLAGSHIP, roles, roles.replace('"diplomacy"]', '"diplomacy", "combat"]'))
    problems = problems_of(write(tmp_path, text))
    assert [p.key for p in problems] == ["nations[1].roles[4]"]
    assert "japan is non_combat" in problems[0].message
    assert "'combat' is a combat role category" in problems[0].message
