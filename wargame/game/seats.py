"""Seats: who decides for a nation. A seat is given what its nation may see (a NationView, with
the legal options) and returns a Decision. Seats are objects; the record's header names each
by its `kind` ("bot", "script", "human", "default", …).

Here are the seats that need no person: a bot, a script (with a bot for the turns it leaves
out) and the nation's default. A person at a terminal is wargame.players.human.HumanSeat; a
remote delegation will be another Seat.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

from wargame.engine.events import Decision
from wargame.engine.negotiation import Message
from wargame.game.views import NationView
from wargame.players.bot import Bot
from wargame.players.deals import mirrors, offer_message, reply_message, standing
from wargame.players.script import Script
from wargame.scenario.scenario import Scenario


@runtime_checkable
class Seat(Protocol):
    """Decides for one nation each turn.

    `kind` is what the record's header calls the seat. `decide` gets the nation's view (its
    `options` are the legal options, closed ones with the reason) and returns a Decision for
    `view.nation` of an open option; the game refuses anything else with IllegalDecision. A
    seat that lets the facilitator act mid-turn may raise wargame.game.session.TurnAbandoned."""

    kind: str

    def decide(self, view: NationView) -> Decision: ...


def messages_of(seat: Seat, view: NationView) -> list[Message]:
    """What a seat says in the negotiation phase: a seat may have `negotiate(view)` returning
    the messages its nation sends this turn (a list of wargame.engine.negotiation.Message);
    one without it says nothing."""
    negotiate = getattr(seat, "negotiate", None)
    return list(negotiate(view)) if negotiate is not None else []


COMPUTER_KINDS = frozenset({"bot", "default"})  # seats played by the computer: no bargaining among them


def people(seats: Mapping[str, Seat]) -> frozenset[str]:
    """The nations whose seat is not a computer player (its kind is not in COMPUTER_KINDS): a
    person at the table or the prompt, a remote delegation of `wargame serve`, and a script,
    which stands for people's recorded decisions. Bots make offers only to these nations."""
    return frozenset(n for n, seat in seats.items() if seat.kind not in COMPUTER_KINDS)


def offers_of(seat: Seat, view: NationView, partners: frozenset[str]) -> list[Message]:
    """A seat's conditional offers to the nations `partners` (those of people: `people`), made
    once every seat's `negotiate` messages are in: a seat may have `propose(view, partners)` (a
    bot does); one without it, or with no partner, makes none."""
    propose = getattr(seat, "propose", None)
    return list(propose(view, partners)) if propose is not None and partners else []


def answers(seat: Seat) -> bool:
    """Whether a seat answers the offers made to it as they arrive (`answer(view, offer)`): such a
    seat (a bot) decides after the others, so it has read every message sent before the orders."""
    return getattr(seat, "answer", None) is not None


def answer_of(seat: Seat, view: NationView, offer: Message) -> list[Message]:
    """A seat's answer to an offer made to its nation (none from a seat that does not answer)."""
    answer = getattr(seat, "answer", None)
    return list(answer(view, offer)) if answer is not None else []


class BotSeat:
    """The computer player (wargame.players.bot): the best expected change to its nation's
    interests, with a small seeded jitter; in the negotiation phase a costly signal, an offer to
    a people's seat and answers to the offers made to it, by the rules of wargame.players.deals.
    One Bot may serve every nation's seat (it keeps nothing of a game: all it needs is in the
    view)."""

    kind = "bot"

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    def decide(self, view: NationView) -> Decision:
        """The bot's choice; its side of an exchange agreed this turn, if there is one."""
        offers = view.turn_messages(("offer",))
        if not offers:  # a game of bots alone, and most turns with people: nothing agreed
            return self.bot.choose(view.state, view.nation)
        now = standing(view.scenario, view.state, view.nation, offers)
        return self.bot.choose(view.state, view.nation, now.bound, now.partner)

    def negotiate(self, view: NationView) -> list[Message]:
        """At most one costly signal a turn (wargame.players.bot.Bot.signal)."""
        signal = self.bot.signal(view.state, view.nation)
        return [signal] if signal is not None else []

    def propose(self, view: NationView, partners: frozenset[str]) -> list[Message]:
        """At most one conditional offer a turn, to one of the nations `partners` (people's
        seats; never another bot's), if two messages are left (deals.Deals.propose)."""
        scenario, nation = view.scenario, view.nation
        index = scenario.nation_index
        them = frozenset(index[p] for p in partners if p != nation)
        if not them:
            return []
        now = standing(scenario, view.state, nation, view.turn_messages(("offer",)))
        if now.left < 2:
            return []
        found = self.bot.deals.propose(index[nation], self.bot.menus(view.state), view.state.values, now.bound, them)
        if found is None:
            return []
        partner, asked, given = found
        return [offer_message(scenario, nation, scenario.nations[partner].id, asked, given)]

    def answer(self, view: NationView, offer: Message) -> list[Message]:
        """The answer to an offer made to this nation (deals.Deals.answer): the exchange offered
        back, a private "We decline: ...", or nothing (its own offer offered back, which is an
        agreement; or no message left)."""
        scenario, nation = view.scenario, view.nation
        if offer.kind != "offer" or offer.to != (nation,):
            return []
        now = standing(scenario, view.state, nation, view.turn_messages(("offer",)))
        if any(mirrors(mine, offer) for mine in now.offers) or now.left < 1:
            return []
        index = scenario.nation_index
        verdict = self.bot.deals.answer(index[nation], self.bot.menus(view.state), view.state.values,
                                        index[offer.sender], offer.if_option or "", offer.then_option or "",
                                        now.bound, now.out)
        return [reply_message(scenario, nation, offer, verdict, now.bound)]


class ScriptSeat:
    """Decisions read from a script file (wargame.players.script); a turn the script says nothing
    of for this nation is decided by `otherwise` (a bot, usually)."""

    kind = "script"

    def __init__(self, script: Script, otherwise: Seat) -> None:
        self.script = script
        self.otherwise = otherwise

    def decide(self, view: NationView) -> Decision:
        if self.script.has(view.turn, view.nation):
            return self.script.decide(view.scenario, view.state, view.nation)  # refusals name file, line, turn
        return self.otherwise.decide(view)

    def negotiate(self, view: NationView) -> list[Message]:
        """The script's messages for this turn and nation (none, if it scripts the turn's
        decision but no message); a turn the script leaves out entirely is `otherwise`'s."""
        scripted = self.script.messages_of(view.turn, view.nation)
        if scripted or self.script.has(view.turn, view.nation):
            return scripted
        return messages_of(self.otherwise, view)

    # A script stands for people's recorded decisions: it makes the offers and answers its lines
    # say, and no others (its stand-in neither offers nor answers: no bargaining between programs).
    # Bots make offers to its nation; its lines take one up by offering it back.


class DefaultSeat:
    """Always the nation's default option (its hold), as the clock takes when time runs out."""

    kind = "default"

    def decide(self, view: NationView) -> Decision:
        return Decision(view.nation, view.scenario.nation(view.nation).default, "default")


def bot_seats(scenario: Scenario, *, explain: bool = True,
              personas: Mapping[str, str] | None = None) -> dict[str, Seat]:
    """A bot in every nation's seat (one Bot shared). `explain=False` leaves the reasoning out of
    each decision's note, for batch runs that keep no record; `personas` (nation id -> persona
    id) has those nations played by a persona of the scenario (UsageError if it has none such)."""
    seat = BotSeat(Bot(scenario, explain=explain, personas=personas))
    return {n.id: seat for n in scenario.nations}


def seat_kinds(seats: Mapping[str, Seat]) -> dict[str, str]:
    """nation id -> seat kind, as the record's header keeps it."""
    return {nation: seat.kind for nation, seat in seats.items()}
