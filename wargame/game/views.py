"""What one nation may see: the one place privacy is decided.

The rule (docs/api.md, "What a nation may see"):

- Every nation sees the shared situation: tracks, flags, postures, pledges, injects, the White
  cell's announced actions, and every nation's decisions once a turn is adjudicated (never
  before: the turn's orders are sealed until all are in, and a view is taken while they are).
- A nation sees its own private brief and its own role in full; of another nation's role it
  sees only whether it was defined publicly (with its category), privately (no category),
  deferred or declined.
- In events, another nation's private answer is named only as "a private answer to request R":
  its option id is replaced by `NATION.REQUEST_private`, the role event's `category` is left
  out; effects it caused keep their track, before and after (every track is in every view's
  state and on the board), so a careful reader may still infer the category from which track
  moved — a scenario that wants that hidden gives its role categories no `role_effects`.
- Another nation's decision note (its reasoning, "why, in a line") is its own.
- A turn's end carries no state digest in a view: the digest hashes the whole state, private
  roles included, so trying each category against it would find them (a record keeps it).
- A private message or a conditional offer of the negotiation phase is seen only by its sender
  and its addressees; public statements and costly signals are everyone's.

A screen, a seat or a remote client is given a `NationView`, never the Game.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from wargame.engine.events import Event
from wargame.engine.negotiation import KINDS, Message, can_see
from wargame.engine.rules import Choice, legal_options
from wargame.engine.state import State
from wargame.scenario.scenario import OptionInfo, Scenario

if TYPE_CHECKING:
    from wargame.game.game import Game


def _private_answer(scenario: Scenario, option_id: object) -> OptionInfo | None:
    option = scenario.options.get(option_id) if isinstance(option_id, str) else None
    if option is not None and option.answer is not None and option.answer.kind == "private":
        return option
    return None


def hidden_option_id(option: OptionInfo) -> str:
    """What others see of a private answer's option id: the nation and the request, no role."""
    assert option.answer is not None
    return f"{option.nation}.{option.answer.request}_private"


def event_for(scenario: Scenario, event: Event, nation: str) -> Event:
    """`event` as `nation` may see it (the same object when nothing in it is another's secret)."""
    data = event.data
    owner = data.get("nation")
    if owner == nation:
        return event
    changed = dict(data)
    private = _private_answer(scenario, data.get("option"))
    if private is not None and private.nation != nation:
        changed["option"] = hidden_option_id(private)
    if event.kind == "role" and data.get("answer") == "private" and owner != nation:
        changed["category"] = None
    if event.kind == "decision" and "note" in changed:
        del changed["note"]
    if event.kind == "turn_end":
        changed.pop("digest", None)  # it hashes every role: trying each category would find a private one
    return event if changed == data else Event(event.kind, event.turn, event.text, changed)


def public_event(scenario: Scenario, event: Event) -> Event:
    """`event` as the whole table may see it (a shared screen, the room view): every nation's
    secrets left out, decision notes (a delegation's reasoning) included among them."""
    return event_for(scenario, event, "")


def visible(event: Event, nation: str) -> bool:
    """Whether `nation` may see `event` at all: every event but another's private message."""
    return event.kind != "message" or can_see(Message.from_data(event.data), nation)


def messages_seen(events: Sequence[Event], nation: str) -> list[Event]:
    """The `message` events among `events` that `nation` may see, in order: public statements
    and costly signals, and the private messages and offers it sent or received. `nation` ""
    is the whole table (a shared screen, the room view): public statements and signals only."""
    return [e for e in events if e.kind == "message" and visible(e, nation)]


def role_for(role: str, own: bool) -> str:
    """A nation's role as another may see it: "private:CATEGORY" becomes "private"."""
    if own or not role.startswith("private:"):
        return role
    return "private"


def state_for(scenario: Scenario, state: State, nation: str) -> State:
    """`state` as `nation` may see it: other nations' private role categories left out."""
    roles = state.roles
    public = _public_roles(roles)
    if public is roles:
        return state
    mine = scenario.nation_index[nation]
    seen = (*public[:mine], roles[mine], *public[mine + 1:])
    if seen == roles:
        return state
    shown = object.__new__(State)  # a copy with other roles: every seat, every turn, so not dataclasses.replace
    shown.__dict__.update(state.__dict__, roles=seen)
    return shown


@lru_cache(maxsize=256)
def _public_roles(roles: tuple[str, ...]) -> tuple[str, ...]:
    """Every role as anyone may see it (`roles` itself when nothing in it is private)."""
    public = tuple(role_for(r, False) for r in roles)
    return roles if public == roles else public


class NationView:
    """What `nation` may see of a game now (see the module's rule).

    scenario       the Scenario (its public facts; private briefs are in the Scenario, so a
                   remote client is sent a NationView, not the Scenario)
    nation         the nation's id
    state          the State, other nations' private role categories left out
    private_brief  this nation's private brief (text)
    role           this nation's own answer to a role request, in full ("private:logistics", …)
    events         every event so far as this nation may see it (computed when first read)
    messages       the negotiation messages among them (public, and its own private ones)
    options        this nation's legal options, with the reason each closed one is closed
    """

    def __init__(self, scenario: Scenario, nation: str, state: State, history: Sequence[Event] = ()) -> None:
        """`state` and `history` as the game has them; the view shows them as `nation` may see them.
        KeyError for a nation not in the scenario."""
        if nation not in scenario.nation_index:
            raise KeyError(f"no nation {nation!r} in {scenario.id}")
        self.scenario = scenario
        self.nation = nation
        self.state = state_for(scenario, state, nation)
        self._history = history  # the game's history: only its first `_upto` events are seen
        self._upto = len(history)

    def __repr__(self) -> str:
        return f"NationView({self.nation!r}, turn {self.turn})"

    @property
    def turn(self) -> int:
        return self.state.turn

    @property
    def private_brief(self) -> str:
        return self.scenario.nation(self.nation).private_brief

    @property
    def role(self) -> str:
        return self.state.roles[self.scenario.nation_index[self.nation]]

    @cached_property
    def events(self) -> tuple[Event, ...]:
        return tuple(event_for(self.scenario, e, self.nation) for e in self._history[: self._upto]
                     if visible(e, self.nation))

    @property
    def messages(self) -> list[Event]:
        """The messages of the negotiation phase among `events` (see messages_seen)."""
        return [e for e in self.events if e.kind == "message"]

    def turn_messages(self, kinds: Collection[str] = KINDS) -> list[Message]:
        """The messages of the turn in play this nation may see, in order (those since the last
        `turn_start`; read from the end of the history, so cheap however long the game); only
        those of `kinds` ("statement", "private", "offer", "signal"), if given."""
        history = self._history
        found = []
        for i in range(self._upto - 1, -1, -1):
            event = history[i]
            if event.kind == "turn_start":
                break
            if event.kind == "message":
                data = event.data
                kind = data.get("message")
                if kind in kinds and (kind in ("statement", "signal") or self.nation == data.get("nation")
                                      or self.nation in (data.get("to") or ())):  # can_see, before the Message
                    found.append(Message.from_data(data))
        return found[::-1]

    @cached_property
    def options(self) -> list[Choice]:
        return legal_options(self.scenario, self.state, self.nation)

    def to_dict(self) -> dict[str, Any]:
        """The view as plain JSON-ready data, all a remote delegation is sent (never the Scenario,
        which holds every nation's private brief): nation, turn, state (as State.to_dict without
        `seed` and `rng`: with them the next chance roll could be worked out before choosing),
        private_brief, role, events (as Event.to_dict), options [{id, name, ok, why_not}]."""
        state = {k: v for k, v in self.state.to_dict(self.scenario).items() if k not in ("seed", "rng")}
        return {
            "nation": self.nation,
            "turn": self.turn,
            "state": state,
            "private_brief": self.private_brief,
            "role": self.role,
            "events": [e.to_dict() for e in self.events],
            "options": [{"id": c.option.id, "name": c.option.name, "ok": c.ok, "why_not": c.why_not}
                        for c in self.options],
        }


def view_for(game: Game, nation: str) -> NationView:
    """What `nation` may see of `game` now. KeyError for an unknown nation."""
    return NationView(game.scenario, nation, game.state, game.history)
