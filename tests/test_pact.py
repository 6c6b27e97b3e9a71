"""The Pacific Defense Pact scenario: its sources, its delegations, the seed rules it keeps and
the path from talks to ratification."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, problems_of, replace_once, write
from wargame.engine.rules import adjudicate, available, begin_turn
from wargame.engine.state import initial_state
from wargame.players.bot import Bot
from wargame.scenario.loader import load
from wargame.scenario.scenario import Scenario
from wargame.view.handout import render_handout

PACT_PATH = ROOT / "scenarios" / "pacific-pact.toml"


@pytest.fixture(scope="module")
def pact() -> Scenario:
    return load(PACT_PATH)


def test_it_cites_the_pact_and_no_asian_nato_articles(pact: Scenario) -> None:
    refs = {s.ref for s in pact.model.sources}
    assert {"001_ec1a0bde10d48f6a.txt", "004_0ca8d6329f6c137b.txt"} <= refs
    assert pact.turns == 8 and pact.turn_label(1) == "Year 1, first half"


def test_six_delegations_each_with_objectives(pact: Scenario) -> None:
    assert [n.id for n in pact.nations] == ["us", "japan", "australia", "philippines", "south_korea", "china"]
    for nation in pact.nations:
        assert len(pact.objectives_of(nation.id)) == 2, nation.id


def test_the_seed_rules_hold_in_the_pact(pact: Scenario) -> None:
    japan, australia = pact.nation("japan"), pact.nation("australia")
    assert japan.non_combat and not any(pact.model.categories[r].combat for r in japan.roles)
    assert not australia.pledge_in_advance
    commit = pact.options["australia.commit_forces"]
    assert commit.real_time and commit.approval is not None
    request = pact.requests["contributions"]
    assert request.sender == "us" and set(request.to) == {"japan", "australia", "philippines", "south_korea"}
    assert "australia.contributions_public_combat" not in pact.options  # no force role in advance


def test_a_combat_option_for_japan_is_refused(tmp_path: Path) -> None:
    text = replace_once(PACT_PATH.read_text(encoding="utf-8"),
                        'id = "japan.live_logistics"\nnation = "japan"\nname = "Rear-area logistics for the response"\n'
                        'text = "Non-combat: fuel and transport from Japanese bases. At once if Tokyo defined a '
                        'logistics role."\ncategory = "logistics"',
                        'id = "japan.live_logistics"\nnation = "japan"\nname = "Rear-area logistics for the response"\n'
                        'text = "Non-combat: fuel and transport from Japanese bases. At once if Tokyo defined a '
                        'logistics role."\ncategory = "combat"')
    messages = [p.message for p in problems_of(write(tmp_path, text))]
    assert any("limited to non-combat roles" in m for m in messages)


def test_taiwan_is_outside_by_policy(pact: Scenario) -> None:
    assert "taiwan" not in {n.id for n in pact.nations}
    assert not any("taiwan" in o.id.split(".", 1)[1] and "join" in o.id for o in pact.options.values())
    asked = next(i for i in pact.injects if i.id == "taipei_asks")
    assert {e.nation for e in asked.expected} >= {"us"}


def test_the_steps_from_talks_to_ratification_open_in_order(pact: Scenario) -> None:
    state, _ = begin_turn(pact, initial_state(pact, 5))
    open_now = {o.id for o in available(pact, state, "japan")}
    assert "japan.open_talks" in open_now and "japan.working_groups" not in open_now
    assert "japan.ratify" not in open_now and "japan.host_hq" not in open_now


def test_handouts_state_objectives_and_the_live_standoff(pact: Scenario) -> None:
    md = render_handout(pact, pact.nation("philippines"))
    assert "**Partners obliged to help at sea**" in md
    assert "Put the pact to the Senate" in md


def test_bot_games_reach_an_outcome_within_the_years(pact: Scenario) -> None:
    bot = Bot(pact, explain=False)
    for seed in range(20):
        state = initial_state(pact, seed)
        while not state.ended:
            state, _ = begin_turn(pact, state)
            state, _ = adjudicate(pact, state, bot.decide_all(state))
        assert state.outcome is not None and state.turn <= pact.turns + 2
