"""The one session loop: seats decide, the game moves on, observers watch and the White cell acts.

Every game is played through `play`: `wargame play` and `resume`, branches, the tests, the
golden playthroughs and the benchmarks. A terminal, a full-screen table or a server is an
Observer of the loop (and, for the events, a listener of the Game), never its host.

    game = Game(scenario, seed=7)
    play(game, bot_seats(scenario))          # to the end
    game.outcome                             # the outcome id, or None

One turn: the observers get `between_turns` (the White cell may act, or undo), the turn
begins, the negotiation phase runs (`negotiate_turn`), every seat decides on its nation's view
(`decide_turn`), the decisions are adjudicated together, the observers get `turn_done`. When
the game is over the observers get `game_over`; one that undoes there (returning True) plays on.

The order of speaking, so that people read the bots' offers and answers before their orders:

1. statements and signals: each seat's `negotiate(view)`, in the scenario's nation order (the
   bots' costly signals, a script's message lines);
2. offers: each seat's `propose(view, partners)`, in nation order (the bots' conditional offers,
   made only to the nations of people's seats — wargame.game.seats.people — never between bots,
   so a game of bots alone has none);
3. orders: first the seats that do not answer offers (people, scripts' stand-ins), in nation
   order — a person may still send messages at the prompt before the order — then the seats
   that do (the bots), in nation order, each having read every message sent to it.

Throughout, an offer to a seat that answers (`answer(view, offer)`) is answered at once, as
soon as it is sent (`Game.answering`), so a person sees the bot's reply before ordering.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager

from wargame.engine.events import Decision, Event
from wargame.engine.negotiation import Message
from wargame.engine.state import State
from wargame.errors import UsageError
from wargame.game.game import Game
from wargame.game.seats import Seat, answer_of, answers, messages_of, offers_of, people
from wargame.game.views import view_for


class TurnAbandoned(Exception):  # noqa: N818 (a signal, not an error)
    """The turn in progress was undone, or the game ended, while a seat was deciding: the loop
    drops the decisions taken so far and goes on from the game as it now is."""


class Observer:
    """Hooks around the loop; each does nothing unless overridden. The ones returning bool say
    whether the observer went back in time (an undo), so the loop starts over from there."""

    def between_turns(self, game: Game) -> bool:
        """Before the next turn begins: the White cell's moment."""
        return False

    def deciding(self, game: Game) -> None:
        """The turn has begun; the seats are about to decide."""

    def turn_done(self, game: Game) -> None:
        """The turn was adjudicated (the game may be over)."""

    def abandoned(self, game: Game) -> None:
        """The turn in progress was abandoned (see TurnAbandoned)."""

    def game_over(self, game: Game) -> bool:
        """The game is over; True if the observer undid something and play goes on."""
        return False

    def finished(self, game: Game) -> None:
        """The loop is done."""


def check_seats(game: Game, seats: Mapping[str, Seat]) -> None:
    """UsageError unless there is exactly one seat per nation of the scenario."""
    nations = [n.id for n in game.scenario.nations]
    missing = [n for n in nations if n not in seats]
    extra = sorted(set(seats) - set(nations))
    if missing or extra:
        raise UsageError(f"seats do not match the nations: missing {', '.join(missing) or 'none'}, "
                         f"unknown {', '.join(extra) or 'none'}")


def answering(seats: Mapping[str, Seat]) -> Callable[[Game, Message], list[Message]]:
    """What `Game.answering` is set to while `seats` play: an offer's addressee answers it at
    once, if its seat answers offers (wargame.game.seats.answer_of), on its nation's view."""
    def answer(game: Game, message: Message) -> list[Message]:
        if message.kind != "offer" or not message.to or message.to[0] not in seats:
            return []
        return answer_of(seats[message.to[0]], view_for(game, message.to[0]), message)
    return answer


def negotiate_turn(game: Game, seats: Mapping[str, Seat]) -> list[Event]:
    """The negotiation phase of the turn in play (the module's order, steps 1 and 2): each
    seat's messages (wargame.game.seats.messages_of), then each seat's offers to people's seats
    (offers_of, people), each in the scenario's nation order, each seat seeing what was sent
    before it. Offers are answered at once if `game.answering` is set (`play` sets it).
    IllegalMessage for a message that may not be sent (over the limit, malformed). The phase's
    events, replies included."""
    start = len(game.history)
    nations = game.scenario.nations
    for nation in nations:
        for message in messages_of(seats[nation.id], view_for(game, nation.id)):
            game.send(message)
    partners = people(seats)
    if partners:  # bots make offers to people only
        for nation in nations:
            for message in offers_of(seats[nation.id], view_for(game, nation.id), partners):
                game.send(message)
    return game.history[start:]


def decide_turn(game: Game, seats: Mapping[str, Seat]) -> dict[str, Decision]:
    """Every seat's decision for the turn in play, by nation id in the scenario's nation order;
    asked of the seats that do not answer offers first, then of those that do (the module's
    step 3), each in nation order."""
    nations = [n.id for n in game.scenario.nations]
    order = [n for n in nations if not answers(seats[n])] + [n for n in nations if answers(seats[n])]
    decided = {n: seats[n].decide(view_for(game, n)) for n in order}
    return {n: decided[n] for n in nations}


def play_turn(game: Game, seats: Mapping[str, Seat]) -> list[Event]:
    """Begin one turn, let every seat negotiate and decide, adjudicate (no observers: for
    stepping a game by hand). Offers to the seats are answered at once. The turn's events."""
    with _answering(game, seats):
        start = len(game.history)
        game.begin_turn()
        negotiate_turn(game, seats)
        game.adjudicate(decide_turn(game, seats))
        return game.history[start:]


@contextmanager
def _answering(game: Game, seats: Mapping[str, Seat]) -> Iterator[None]:
    """`game.answering` set for `seats` while the block runs, then as it was."""
    before = game.answering
    game.answering = answering(seats)
    try:
        yield
    finally:
        game.answering = before


def play(game: Game, seats: Mapping[str, Seat], observers: Sequence[Observer] = (), *,
         turns: int | None = None) -> State:
    """Play `game` until it is over (and no observer undoes), or for at most `turns` more turns
    (a turn already begun is finished first, and counts).
    Returns the final state. Raises what the seats raise (IllegalDecision for a decision not
    legal now, a seat's own errors such as a person quitting)."""
    check_seats(game, seats)
    with _answering(game, seats):
        return _play(game, seats, observers, turns)


def _play(game: Game, seats: Mapping[str, Seat], observers: Sequence[Observer], turns: int | None) -> State:
    played = 0
    while turns is None or played < turns:
        try:
            if game.over:
                if any(o.game_over(game) for o in observers):  # the first that plays on wins
                    continue
                break
            if not game.state.in_turn:  # (a turn begun by hand is decided and adjudicated as it stands)
                if any(o.between_turns(game) for o in observers) or game.over:
                    continue
                game.begin_turn()
                negotiate_turn(game, seats)
            for o in observers:
                o.deciding(game)
            game.adjudicate(decide_turn(game, seats))
            played += 1
            for o in observers:
                o.turn_done(game)
        except TurnAbandoned:
            for o in observers:
                o.abandoned(game)
    for o in observers:
        o.finished(game)
    return game.state
