"""Per-nation views: nothing private to one nation reaches another's view.

A flagship game where the US asks for roles at once and every partner answers privately the
moment it can, with a person-like note on each decision; every seat records the views it was
given. Each view of nation B is then searched for what belongs to another nation A alone.
"""

from __future__ import annotations

import dataclasses
import itertools
import json

import pytest

from tests.conftest import flagship_scenario
from wargame.engine.events import Decision
from wargame.game import BotSeat, Game, NationView, Seat, play, view_for
from wargame.game.views import event_for, hidden_option_id
from wargame.players.bot import Bot
from wargame.scenario.scenario import Scenario


class Secretive:
    """Asks for roles first (the US), answers privately whenever it can (partners), notes a
    secret reason on every decision, and keeps every view it is shown."""

    kind = "script"

    def __init__(self, bot: BotSeat) -> None:
        self.bot = bot
        self.seen: list[NationView] = []

    def decide(self, view: NationView) -> Decision:
        self.seen.append(view)
        open_ids = [c.option.id for c in view.options if c.ok]
        private = [o for o in open_ids if "_private_" in o]
        ask = [o for o in open_ids if o == "us.request_roles"]
        choice = (private or ask or [self.bot.decide(view).option])[0]
        return Decision(view.nation, choice, "script", f"secret reason of {view.nation}")


@pytest.fixture(scope="module")
def game_and_seats() -> tuple[Game, dict[str, Seat], Secretive]:
    scenario = flagship_scenario()
    seat = Secretive(BotSeat(Bot(scenario)))
    game = Game(scenario, 11)
    play(game, {n.id: seat for n in scenario.nations})
    return game, {n.id: seat for n in scenario.nations}, seat


def _private_options(scenario: Scenario, nation: str) -> set[str]:
    return {o.id for o in scenario.options_by_nation[nation] if o.answer is not None and o.answer.kind == "private"}


def _dump(view: NationView) -> str:
    """Everything the view holds, as a remote delegation would be sent it."""
    return json.dumps(view.to_dict(), ensure_ascii=False)


def test_the_game_has_secrets_to_keep(game_and_seats: tuple[Game, dict[str, Seat], Secretive]) -> None:
    game, _, _ = game_and_seats
    roles = dict(zip([n.id for n in game.scenario.nations], game.state.roles, strict=True))
    private = {n: r for n, r in roles.items() if r.startswith("private:")}
    assert len(private) >= 2, roles  # several partners defined a role privately
    assert any(e.kind == "role" and e.data["answer"] == "private" and e.data["category"] for e in game.history)


def test_no_view_holds_another_nations_brief_role_or_notes(
        game_and_seats: tuple[Game, dict[str, Seat], Secretive]) -> None:
    game, _, seat = game_and_seats
    scenario = game.scenario
    finals = [view_for(game, n.id) for n in scenario.nations]
    for view in seat.seen + finals:
        text = _dump(view)
        for other in scenario.nations:
            if other.id == view.nation:
                continue
            assert other.private_brief not in text, (view.nation, other.id)
            assert f"secret reason of {other.id}" not in text, (view.nation, other.id)
            for option_id in _private_options(scenario, other.id):
                assert f'"{option_id}"' not in text, (view.nation, option_id)
            role = view.state.roles[scenario.nation_index[other.id]]
            assert not role.startswith("private:"), (view.nation, other.id, role)
        for event in view.events:
            if event.kind == "role" and event.data["nation"] != view.nation and event.data["answer"] == "private":
                assert event.data["category"] is None


def test_a_nation_sees_its_own_secrets(game_and_seats: tuple[Game, dict[str, Seat], Secretive]) -> None:
    game, _, _ = game_and_seats
    scenario = game.scenario
    for nation in scenario.nations:
        view = view_for(game, nation.id)
        assert view.private_brief == nation.private_brief
        assert view.role == game.state.roles[scenario.nation_index[nation.id]]
        mine = [e for e in view.events if e.kind == "decision" and e.data["nation"] == nation.id]
        assert mine and all(e.data["note"] == f"secret reason of {nation.id}" for e in mine)


def test_a_private_answer_is_named_to_others_without_its_role(
        game_and_seats: tuple[Game, dict[str, Seat], Secretive]) -> None:
    game, _, _ = game_and_seats
    scenario = game.scenario
    answer = next(e for e in game.history if e.kind == "decision" and "_private_" in e.data["option"])
    option = scenario.options[answer.data["option"]]
    other = next(n.id for n in scenario.nations if n.id != option.nation)
    seen = event_for(scenario, answer, other)
    assert seen.data["option"] == hidden_option_id(option) == f"{option.nation}.colby_private"
    assert seen.text == answer.text  # the text already names only the public part
    assert event_for(scenario, answer, option.nation) is answer


def test_orders_are_sealed_until_the_turn_is_adjudicated(
        game_and_seats: tuple[Game, dict[str, Seat], Secretive]) -> None:
    _, _, seat = game_and_seats
    for view in seat.seen:  # taken while the turn's orders were being given
        assert view.state.in_turn
        assert not [e for e in view.events if e.kind == "decision" and e.turn == view.turn]


def test_no_digest_in_a_view_gives_away_a_private_role(
        game_and_seats: tuple[Game, dict[str, Seat], Secretive]) -> None:
    """A turn_end's digest hashes the whole state, private roles included: with the rest of the
    state in the view, trying each category of another nation would find its private role."""
    game, _, _ = game_and_seats
    scenario = game.scenario
    view = view_for(game, "china")
    state = view.state
    hidden = [i for i, role in enumerate(state.roles) if role == "private"]
    assert hidden
    digests = {e["digest"] for e in view.to_dict()["events"] if "digest" in e}
    for combo in itertools.product(*(scenario.nations[i].roles for i in hidden)):
        roles = list(state.roles)
        for i, category in zip(hidden, combo, strict=True):
            roles[i] = f"private:{category}"
        guess = dataclasses.replace(state, roles=tuple(roles)).digest(scenario)
        assert guess not in digests, roles


def test_a_view_sent_away_does_not_give_the_dice(game_and_seats: tuple[Game, dict[str, Seat], Secretive]) -> None:
    """The chance draws are one seeded stream: a delegation holding the seed or the generator's
    state could tell the next roll before choosing."""
    game, _, _ = game_and_seats
    sent = view_for(game, "china").to_dict()
    assert "rng" not in sent["state"] and "seed" not in sent["state"]
    assert str(game.state.rng) not in _dump(view_for(game, "china"))


def test_a_view_of_an_unknown_nation_is_refused_at_once() -> None:
    game = Game(flagship_scenario(), 1)  # no private role yet: nothing else would look the nation up
    with pytest.raises(KeyError, match="atlantis"):
        view_for(game, "atlantis")
