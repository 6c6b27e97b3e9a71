"""The bots' conditional offers to people and their answers to offers (the negotiation phase).

A bot bargains with people, not with other bots: it makes offers only to the nations whose seat
is not a computer player (a person, a remote delegation, a script: wargame.game.seats.people),
and answers every offer made to it (only people and scripts make offers). A game of bots alone
has no offers, so a sweep's batch path (wargame.analysis.batch) needs none of this; the rules
serve the game loop's bot seats (wargame.game.seats.BotSeat). Words, all in weighted track
points (the sums `Bot.pick` uses, on the values as they stand when the bot speaks):

- a nation's **menu**: the options open to it now, each with its **score** by its own interests;
  its **best** is the highest score;
- the **cost** to a nation of one of its options: best − score (0 for its best);
- the **worth** to a nation of another nation's option: that option's expected change of the
  tracks the nation weighs, times its weights (its persona's, if it has one), as for its own.

An **exchange** is a pair of offers: "if you choose X, we will choose Y" and the same offered back
("if you choose Y, we will choose X"). It is **agreed** once both are sent in the turn; a bot keeps
its side of every agreed exchange (it chooses its option outright) and only of those.

**Offer.** After every delegation's statements and signals, each bot in nation order, if it has
at least two messages left this turn (it keeps its last for an answer), looks at every other
delegation P played by people, every option X open to P that is not P's best, and every option Y open to itself
(only the option it already agreed to choose, if it agreed an exchange this turn). Its gain is
worth(X) − cost(Y); P's gain is worth to P of Y − cost to P of X. It offers "if P chooses X, we
will choose Y" for its largest gain above OFFER_WORTH among those where P's gain is above 0
(ties: P in nation order, then X's and Y's menu order), or makes no offer. One offer a turn.

**Answer.** A bot answers each offer made to it at once, while it has a message left (else the
offer goes unanswered and is not agreed). An offer that is its own offered back is the
partner's agreement and needs no answer. Otherwise it **agrees** — and says so by offering the
exchange back, "Agreed." — when X is open to it, Y is open to the sender, it has not agreed to
choose another option this turn nor offered another of its own, and the worth of Y to it is
above the cost to it of X; it **declines** with a private message saying which of these failed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wargame.engine.events import Event
from wargame.engine.negotiation import MAX_TEXT, Message, sent_this_turn
from wargame.engine.state import State
from wargame.scenario.scenario import Scenario

if TYPE_CHECKING:
    from wargame.players.bot import Bot, Term, _Plan

OFFER_WORTH = 1.0  # a bot offers an exchange only if it gains more than this
WISHES = 4  # the options of other delegations a bot may ask for (fixed at the start of a game)
AGREED = "agreed"
# why a bot declines an offer: "closed" (X is not open to it), "unavailable" (Y is not open to the
# sender), "bound" (it agreed to choose another option), "out" (it offered another of its own),
# "worth" (Y is not worth X to it)
REASONS = ("closed", "unavailable", "bound", "out", "worth")

# a nation's menu: its open option ids (in menu order) with their scores, and its best score
Menu = tuple[dict[str, float], float]
Scorer = tuple["Callable[[Sequence[float]], object] | None", dict, object]


def _worth(scorer: Scorer, values: Sequence[float]) -> float:
    """A plan's score, remembered by the values it depends on (a pure cache, as in `Bot.pick`)."""
    key, cache, plan = scorer
    if key is None:
        return plan.score(values)  # type: ignore[attr-defined,no-any-return]
    slots = key(values)
    found = cache.get(slots)
    if found is None:
        if len(cache) >= 4096:
            cache.clear()
        found = cache[slots] = plan.score(values)  # type: ignore[attr-defined]
    return found  # type: ignore[no-any-return]


class Deals:
    """The offer and answer rules of one Bot (its nations' interests and personas), with what
    they need built once: every option weighed by every other nation's interests.

    Nations are named by their index in the scenario's nation order; options by id. `menus` is
    a list of Menu, one per nation (wargame.players.bot.Bot.menus builds it from a State)."""

    def __init__(self, bot: Bot) -> None:
        from wargame.players.bot import _key, _plan

        scenario = bot.scenario
        self.scenario = scenario
        self.position = {o.id: i for n in scenario.nations for i, o in enumerate(scenario.options_by_nation[n.id])}
        # (nation index, another nation's option id) -> (scorer, upper bound of its worth)
        self.worth: dict[tuple[int, str], tuple[Scorer, float]] = {}
        for i, nation in enumerate(scenario.nations):
            weights = dict(bot.interests[nation.id])
            persona = bot.personas.get(nation.id)
            for option in scenario.options.values():
                if option.nation == nation.id:
                    continue
                plan = _plan(option, weights, persona.risk if persona else 0.0)
                self.worth[(i, option.id)] = ((_key(plan, scenario), {}, plan), _bound(plan) + 1e-9)
        # each nation's wishes: the WISHES options of the others most worth to it at the start
        # values, as (upper bound, partner index, option's menu position, option id, scorer); those
        # that can never be worth OFFER_WORTH are left out
        start = scenario.initial
        self.asks: list[list[tuple[float, int, int, str, Scorer]]] = []
        for i, nation in enumerate(scenario.nations):
            ranked = sorted(
                ((-_worth(scorer, start), scenario.nation_index[o.nation], self.position[o.id], o.id, scorer, ub)
                 for o in scenario.options.values() if o.nation != nation.id
                 for scorer, ub in [self.worth[(i, o.id)]] if ub > OFFER_WORTH),
                key=lambda a: a[:3])
            asks = [(ub, partner, at, x, scorer) for _, partner, at, x, scorer, ub in ranked[:WISHES]]
            asks.sort(key=lambda a: (-a[0], a[1], a[2]))  # the order `propose` may stop early in
            self.asks.append(asks)

    def propose(self, nation: int, menus: Sequence[Menu], values: Sequence[float],
                bound: str | None, partners: Collection[int]) -> tuple[int, str, str] | None:
        """The bot's offer (module docstring, "Offer"): (partner index, the partner's option X,
        the bot's option Y), or None. `bound`: the option it agreed to choose this turn, if any;
        `partners`: the nations it may make an offer to (people's seats, by index).
        The caller checks that it has two messages left."""
        own, top = menus[nation]
        if bound is not None and bound not in own:
            return None
        gives: list[tuple[float, int, str]] | None = None  # its options, cheapest first: built when needed
        least = 0.0
        best: tuple[int, str, str] | None = None
        best_gain = OFFER_WORTH
        best_key = (0, 0, 0)
        worth = self.worth
        for ub, partner, x_at, x, scorer in self.asks[nation]:
            if best is not None and ub < best_gain:
                break  # nothing further can be worth as much
            if partner not in partners:
                continue
            theirs, their_top = menus[partner]
            score = theirs.get(x)
            if score is None:
                continue
            their_cost = their_top - score
            if their_cost <= 0:
                continue  # its best already: nothing to ask for
            if gives is None:
                if bound is not None:
                    gives = [(top - own[bound], self.position[bound], bound)]
                else:
                    gives = sorted((top - mine, self.position[y], y) for y, mine in own.items())
                if not gives:
                    return None
                least = gives[0][0]
            gained = _worth(scorer, values)
            if gained - least <= OFFER_WORTH or (best is not None and gained - least < best_gain):
                continue
            for cost, y_at, y in gives:  # cheapest first: the first the partner would take is the best for X
                gain = gained - cost
                if gain <= OFFER_WORTH or (best is not None and gain < best_gain):
                    break
                their_scorer, their_ub = worth[(partner, y)]
                if their_ub <= their_cost or _worth(their_scorer, values) <= their_cost:
                    continue
                key = (partner, x_at, y_at)
                if best is None or gain > best_gain or key < best_key:
                    best, best_gain, best_key = (partner, x, y), gain, key
                break
        return best

    def answer(self, nation: int, menus: Sequence[Menu], values: Sequence[float], sender: int, asked: str,
               given: str, bound: str | None, out: str | None) -> str:
        """The bot's answer to "if you choose `asked`, we (`sender`) will choose `given`": AGREED,
        or the reason it declines (one of REASONS, module docstring "Answer"). `bound`: the
        option it agreed to choose this turn; `out`: the option it offered in an offer of its own
        not (yet) agreed. The caller checks that it has a message left and that the offer is not
        its own offered back."""
        own, top = menus[nation]
        score = own.get(asked)
        if score is None:
            return "closed"
        if given not in menus[sender][0]:
            return "unavailable"
        if bound is not None and bound != asked:
            return "bound"
        if out is not None and out != asked:
            return "out"
        scorer, ub = self.worth[(nation, given)]
        cost = top - score
        return AGREED if ub > cost and _worth(scorer, values) > cost else "worth"


def _bound(plan: _Plan) -> float:
    """The most a plan's score can be, whatever the values (>= 0): each group of effects at its
    best (every effect's largest possible change in the direction the weight favours: its
    constant amount, or the track's range), the likelier groups taken as certain."""
    def best(terms: tuple[Term, ...]) -> float:
        total = 0.0
        for _, op, constant, _, lo, hi, weight in terms:
            span = hi - lo
            if constant is None or op == "=":
                total += abs(weight) * span
            else:
                signed = constant if op == "+=" else -constant
                total += max(0.0, weight * (min(signed, span) if signed > 0 else max(signed, -span)))
        return total

    return max(best(plan.effects) + max(best(plan.success), best(plan.failure)), best(plan.denied))


@dataclass(frozen=True)
class Standing:
    """Where a nation stands in this turn's negotiation, from the messages it can see.

    left     messages it may still send this turn
    offers   the offers it sent this turn, in order
    bound    the option it agreed to choose (its side of the first agreed exchange), or None
    partner  the nation it agreed that with, or None
    out      the option it offered in its first offer not (yet) agreed, or None
    """

    left: int
    offers: tuple[Message, ...]
    bound: str | None
    partner: str | None
    out: str | None


def turn_messages(events: Sequence[Event]) -> list[Message]:
    """The messages of the turn in play among `events` (a history, or a nation's view of it): those
    after the last `turn_start`."""
    start = 0
    for i in range(len(events) - 1, -1, -1):
        if events[i].kind == "turn_start":
            start = i + 1
            break
    return [Message.from_data(e.data) for e in events[start:] if e.kind == "message"]


def mirrors(a: Message, b: Message) -> bool:
    """Whether offer `b` is offer `a` offered back: the two make one exchange."""
    return (b.kind == "offer" and a.kind == "offer" and b.sender == a.to[0] and b.to == (a.sender,)
            and b.if_option == a.then_option and b.then_option == a.if_option)


def standing(scenario: Scenario, state: State, nation: str, said: Sequence[Message]) -> Standing:
    """`nation`'s Standing now; `said`: the messages of the turn it can see, in order (its offers
    are enough: wargame.game.views.NationView.turn_messages, or `turn_messages` of a history)."""
    mine = tuple(m for m in said if m.kind == "offer" and m.sender == nation)
    bound = partner = out = None
    for m in mine:
        agreed = any(mirrors(m, other) for other in said)
        if agreed and bound is None:
            bound, partner = m.then_option, m.to[0]
        elif not agreed and out is None:
            out = m.then_option
    return Standing(scenario.messages - sent_this_turn(state, nation), mine, bound, partner, out)


def _short(option_id: str) -> str:
    return option_id.partition(".")[2] or option_id


def offer_message(scenario: Scenario, sender: str, partner: str, asked: str, given: str) -> Message:
    """The bot's offer as sent, saying how to agree to it."""
    text = f"To agree, offer it back: offer {sender} {_short(given)} {_short(asked)}"
    return Message(sender, "offer", text[:MAX_TEXT], (partner,), if_option=asked, then_option=given)


def reply_message(scenario: Scenario, nation: str, offer: Message, verdict: str, bound: str | None) -> Message:
    """The bot's answer to `offer`: the exchange offered back ("Agreed."), or a private message
    saying why not."""
    if verdict == AGREED:
        return Message(nation, "offer", "Agreed.", (offer.sender,), if_option=offer.then_option,
                       then_option=offer.if_option)
    asked = scenario.options[offer.if_option or ""].name
    given = scenario.options[offer.then_option or ""].name
    why = {
        "closed": f"{asked!r} is not open to us now",
        "unavailable": f"{given!r} is not open to you now",
        "bound": f"we have agreed to choose {scenario.options[bound or ''].name!r} this turn" if bound else
                 "we have agreed another exchange this turn",
        "out": "we have an offer of our own on the table this turn",
        "worth": f"{given!r} is not worth {asked!r} to us",
    }[verdict]
    return Message(nation, "private", f"We decline: {why}."[:MAX_TEXT], (offer.sender,))


__all__ = ["AGREED", "OFFER_WORTH", "REASONS", "Deals", "Standing", "mirrors", "offer_message", "reply_message",
           "standing", "turn_messages"]
