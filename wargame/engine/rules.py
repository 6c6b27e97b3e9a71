"""The rules of a turn, in the documented order (docs/scenario-format.md, "Resolution order").

    begin_turn     -> injects (scheduled, then triggered; chance rolls; one fired early is spent)
    legal_options  -> what each nation may choose now, and why not (`available`: just the open ones)
    adjudicate     -> this turn's costly signals land, then approvals, effects, chance, pledges
                      made/requests opened, pledges fired, outcome check, turn end with the digest

Each call takes a state and returns a new one with the events that explain the change. The
live game that strings these together (and undo, branch, the record) is wargame.game.Game.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableSequence, Sequence
from dataclasses import dataclass

from wargame.engine.events import Decision, Event
from wargame.engine.rng import draw
from wargame.engine.state import State
from wargame.errors import WargameError
from wargame.scenario.expr import Compiled, Effect, whole
from wargame.scenario.scenario import (
    DECLINED,
    DEFERRED,
    PENDING,
    PRIVATE,
    PUBLIC,
    OptionInfo,
    Scenario,
)


def possessive(name: str) -> str:
    """ "Japan's", but "the Philippines'" and "United States'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


class IllegalDecision(WargameError):
    """A decision for an option the nation may not take now."""


@dataclass(frozen=True)
class Choice:
    """One line of a nation's menu: the option, whether it may be taken now, and why not."""

    option: OptionInfo
    ok: bool
    why_not: str = ""


class Scratch:
    """Mutable scratch space for one step; only copies of the state's parts are touched."""

    def __init__(self, scenario: Scenario, state: State, turn: int) -> None:
        self.s = scenario
        self.state = state
        self.turn = turn
        self.values: MutableSequence[float] = list(state.values)
        self.values[0] = turn
        self.rng = state.rng
        self.events: list[Event] = []

    def emit(self, kind: str, text: str, **data: object) -> None:
        self.events.append(Event(kind, self.turn, text, data))

    def roll(self, chance: float, subject: str, **data: object) -> bool:
        """Draw only for a real chance; certain and impossible things use no draw."""
        if chance >= 1.0:
            return True
        if chance <= 0.0:
            self.emit("chance", f"{subject}: no chance (0%)", subject=subject, chance=0.0,
                      roll=None, success=False, **data)
            return False
        self.rng, roll = draw(self.rng)
        success = roll < chance
        self.emit("chance", f"{subject}: {'success' if success else 'failure'} "
                            f"(rolled {roll * 100:.0f} against {chance * 100:.0f}%)",
                  subject=subject, chance=round(chance, 6), roll=round(roll, 6), success=success, **data)
        return success

    def chance(self, compiled: Compiled) -> float:
        return min(max(float(compiled.evaluate(self.values)), 0.0), 1.0)

    def apply(self, effects: Iterable[Effect], reason: str, **cause: object) -> None:
        """Apply effects in order, clamping at once; `cause` names what caused them
        (inject=…, or nation=… and option=…, or pledge=…) so views can group them."""
        values = self.values
        for effect in effects:
            slot = effect.slot
            old = values[slot.index]
            amount = effect.constant if effect.constant is not None else effect.value(values)
            if slot.kind == "bool":
                new: float = bool(amount)
                if new == old:
                    continue
                values[slot.index] = new
                self.emit("effect", f"{effect.target} {'set' if new else 'cleared'}: {reason}",
                          target=effect.target, before=old, after=new, reason=reason, **cause)
                continue
            amount = whole(amount)
            raw = old + amount if effect.op == "+=" else old - amount if effect.op == "-=" else amount
            new = int(min(max(raw, slot.lo), slot.hi))
            if new == old and raw == old:
                continue  # nothing asked of the track (a change the limit absorbs is still explained)
            values[slot.index] = new
            track = self.s.track_by_slot[slot.index]
            clamp = f" (held at {'max' if raw > new else 'min'} {new})" if raw != new else ""
            self.emit("effect", f"{track.name} {new - old:+d}: {reason}{clamp}",
                      target=effect.target, before=old, after=new, reason=reason, **cause)

    def finish(self, **changes: object) -> tuple[State, list[Event]]:
        state = self.state.evolve(values=tuple(self.values), rng=self.rng, turn=self.turn, **changes)
        return state, self.events


def begin_turn(scenario: Scenario, state: State) -> tuple[State, list[Event]]:
    """Start the next turn: fire the injects that are due. A scheduled inject the White cell fired
    before its turn (`State.spent_injects`) does not fire again: an `inject_spent` event says so.
    A triggered inject fires once unless it is `repeat`, whoever fired it before."""
    if state.ended:
        raise IllegalDecision("the game is over")
    if state.in_turn:
        raise IllegalDecision(f"turn {state.turn} has begun and is not adjudicated yet")
    t = Scratch(scenario, state, state.turn + 1)
    t.emit("turn_start", f"{scenario.turn_label(t.turn)} begins", label=scenario.turn_label(t.turn))
    fired = list(state.fired_injects)
    scheduled = [i for i in scenario.injects if i.turn == t.turn]
    triggered = [i for i in scenario.injects if i.when is not None]
    for inject in scheduled + triggered:
        if inject.id in state.spent_injects:  # scheduled, and the White cell fired it before its turn
            t.emit("inject_spent", f"{inject.title}: due now, but the White cell fired it early, so it does not "
                                   "fire again", inject=inject.id, title=inject.title)
            continue
        if inject.when is not None:
            if inject.id in fired and not inject.repeat:
                continue
            if not inject.when.evaluate(t.values):
                continue
        chance = t.chance(inject.chance)
        if not t.roll(chance, f"inject {inject.title}", inject=inject.id):
            continue
        fired.append(inject.id)
        t.emit("inject", inject.title, inject=inject.id, title=inject.title)
        t.apply(inject.effects, inject.title, inject=inject.id)
    return t.finish(fired_injects=tuple(dict.fromkeys(fired)), in_turn=True, sent=())


def legal_options(scenario: Scenario, state: State, nation: str) -> list[Choice]:
    """Every option of `nation` in menu order, each marked open or closed with the reason why not
    (in the scenario's words). KeyError for an unknown nation."""
    values = state.values
    out = []
    for option in scenario.options_by_nation[nation]:
        out.append(Choice(option, *_availability(scenario, state, values, option)))
    return out


def available(scenario: Scenario, state: State, nation: str) -> list[OptionInfo]:
    """The options `nation` may choose now (the bots' inner loop: no reasons are built)."""
    values = state.values
    return [o for o in scenario.options_by_nation[nation] if _open(scenario, state, values, o)]


def _open(scenario: Scenario, state: State, values: Sequence[float], option: OptionInfo) -> bool:
    answer = option.answer
    if answer is not None:
        return bool(values[answer.open_slot]) and values[answer.status_slot] <= DEFERRED
    if option.once and option.id in state.used_once:
        return False
    if option.pledge is not None and (option.pledge in state.active_pledges or option.pledge in state.fired_pledges):
        return False
    if option.real_time and not scenario.crisis_live.evaluate(values):
        return False
    return option.available is None or bool(option.available.evaluate(values))


def _availability(scenario: Scenario, state: State, values: Sequence[float],
                  option: OptionInfo) -> tuple[bool, str]:
    """Whether the option is open now, and if not, why (in the order `_open` checks)."""
    if _open(scenario, state, values, option):
        return True, ""
    answer = option.answer
    if answer is not None:
        if not values[answer.open_slot]:
            return False, "the request has not been made"
        return False, "already answered"
    if option.once and option.id in state.used_once:
        return False, "only once a game, already done"
    if option.pledge is not None and (option.pledge in state.active_pledges or option.pledge in state.fired_pledges):
        return False, "the pledge is already made"
    if option.real_time and not scenario.crisis_live.evaluate(values):
        return False, f"only in real time, once the crisis is live ({scenario.explain(scenario.crisis_live)})"
    return False, f"needs {scenario.explain(option.available) if option.available else 'a condition'}"


def adjudicate(scenario: Scenario, state: State, decisions: Mapping[str, Decision]) -> tuple[State, list[Event]]:
    """Adjudicate every nation's decision of this turn (nation id -> Decision; a nation left out
    takes its default), then pledges, then outcomes; the turn ends. The costly signals sent this
    turn land first (after the decisions are checked against the state they were taken on),
    in the order sent. IllegalDecision for an option not open now, an unknown nation, or no
    turn in play."""
    if state.ended:
        raise IllegalDecision("the game is over")
    if not state.in_turn:
        raise IllegalDecision("no turn has begun: decisions are adjudicated within a turn")
    for nation_id in decisions:
        if nation_id not in scenario.options_by_nation:
            raise IllegalDecision(f"unknown nation {nation_id!r}")
    chosen: list[tuple[OptionInfo, Decision]] = []
    for nation in scenario.nations:
        decision = decisions.get(nation.id) or Decision(nation.id, nation.default, "default")
        option = scenario.options.get(decision.option)
        if option is None or option.nation != nation.id:
            raise IllegalDecision(f"{decision.option!r} is not an option of {nation.name}")
        if not _open(scenario, state, state.values, option):
            _, why = _availability(scenario, state, state.values, option)
            raise IllegalDecision(f"{nation.name} cannot choose {option.name!r} now: {why}")
        chosen.append((option, decision))

    t = Scratch(scenario, state, state.turn)
    postures = list(state.postures)
    roles = list(state.roles)
    used_once = list(state.used_once)
    pledges = list(state.active_pledges)
    index = scenario.nation_index
    r = _Adjudication(t, scenario, postures, roles, used_once, pledges, index, [])
    for option, decision in chosen:
        data = {"nation": option.nation, "option": option.id, "by": decision.by}
        if decision.note:
            data["note"] = decision.note
        t.emit("decision", f"{scenario.nation(option.nation).name}: {option.public_name}", **data)
    # this turn's costly signals land before any order (declared during the negotiation phase,
    # they changed nothing then: no sealed choice could be closed by one)
    for sender, signal_id in state.pending_signals:
        signal = scenario.signals[signal_id]
        t.apply(signal.effects, f"{scenario.nation(sender).name} signalled: {signal.name}",
                nation=sender, signal=signal.id)
    # last turn's unprepared responses land first (after the decisions are told: a record's
    # adjudication opens with its decisions, which is where replay splits it)
    for option_id in state.delayed:
        late = scenario.options[option_id]
        t.emit("response", f"{scenario.nation(late.nation).name}: {late.name} lands a turn late",
               nation=late.nation, option=late.id, landed=True)
        _carry_out(r, late, landing=True)
    for option, _ in chosen:
        _carry_out(r, option)

    fired = list(state.fired_pledges)
    for pledge_id, pledge in scenario.pledges.items():  # in file order, as documented
        if pledge_id in pledges and pledge.trigger.evaluate(t.values):
            pledges.remove(pledge_id)
            fired.append(pledge_id)
            who = scenario.nation(pledge.nation).name
            t.emit("pledge_fired", f"{possessive(who)} pledge comes due: {pledge.name}",
                   pledge=pledge_id, nation=pledge.nation)
            t.apply(pledge.effects, f"{possessive(who)} pledge: {pledge.name}", pledge=pledge_id)

    outcome = None
    live = scenario.live
    in_live = live is not None and bool(t.values[live.slot])
    last = t.turn >= scenario.turns
    starts = live is not None and not in_live and bool(live.when.evaluate(t.values))
    if live is not None and starts:
        t.values[live.slot] = True
        t.values[live.since_slot] = t.turn
        t.emit("live_crisis", f"{live.title}: {live.turns} more turn{'s' * (live.turns != 1)} "
                              f"to decide the joint response",
               title=live.title, turns=live.turns, until=t.turn + live.turns)
        last = False
    elif live is not None and in_live:
        last = t.turn >= t.values[live.since_slot] + live.turns
    if not starts:
        for candidate in scenario.outcomes:
            if candidate.live != in_live or (candidate.at_end and not last):
                continue
            if candidate.when.evaluate(t.values):
                outcome = candidate
                break
    ended = outcome is not None or last
    new_state, events = t.finish(postures=tuple(postures), roles=tuple(roles),
                                 used_once=tuple(used_once), active_pledges=tuple(pledges),
                                 fired_pledges=tuple(fired), delayed=tuple(r.delayed),
                                 outcome=outcome.id if outcome else None, ended=ended, in_turn=False,
                                 pending_signals=())
    events.append(Event("turn_end", t.turn, f"{scenario.turn_label(t.turn)} ends",
                        {"digest": new_state.digest(scenario)}))
    if ended:
        if outcome is not None:
            events.append(Event("game_end", t.turn, outcome.title,
                                {"outcome": outcome.id, "title": outcome.title}))
        else:
            events.append(Event("game_end", t.turn, "The game ends with no outcome reached",
                                {"outcome": None, "title": None}))
    return new_state, events


@dataclass
class _Adjudication:
    """What adjudicating one turn's decisions changes besides the values (copies of the state's)."""

    t: Scratch
    scenario: Scenario
    postures: list[str]
    roles: list[str]
    used_once: list[str]
    pledges: list[str]
    index: Mapping[str, int]
    delayed: list[str]


def prepared(option: OptionInfo, role: str) -> bool:
    """Whether `role` (a nation's answer, "public:logistics") defined the option's category in
    advance: a response option then acts at once."""
    kind, _, category = role.partition(":")
    return kind in ("public", "private") and category == option.category


def _carry_out(r: _Adjudication, option: OptionInfo, landing: bool = False) -> None:
    t, scenario = r.t, r.scenario
    postures, roles, used_once, pledges, index = r.postures, r.roles, r.used_once, r.pledges, r.index
    nation = scenario.nation(option.nation)
    cause = {"nation": nation.id, "option": option.id}
    vote = option.approval is not None and not landing
    if option.response is not None and not landing:
        if prepared(option, roles[index[nation.id]]):
            vote = False
            t.emit("response", f"{nation.name} acts at once: its {option.category_name.lower()} role "
                               "was defined in advance", prepared=True, **cause)
        elif option.response == "delay":
            t.emit("response", f"{nation.name}: {option.name} is delayed a turn: no "
                               f"{option.category_name.lower()} role was defined in advance",
                   prepared=False, delayed=True, **cause)
            r.delayed.append(option.id)
            if option.once:
                used_once.append(option.id)
            return
    if vote:
        assert option.approval is not None
        approval = option.approval
        chance = t.chance(approval.chance)
        passed = t.roll(chance, f"{approval.body} on {nation.name}: {option.name}",
                        nation=nation.id, option=option.id)
        t.emit("approval", f"{approval.body} {'approves' if passed else 'rejects'} "
                           f"{nation.name}: {option.name}",
               nation=nation.id, option=option.id, body=approval.body, passed=passed)
        if not passed:
            t.apply(approval.on_denied, f"{approval.body} rejected {nation.name}: {option.name}", **cause)
            return  # not done, so a once-only option may be put to the vote again
    if option.once and option.id not in used_once:
        used_once.append(option.id)
    if option.posture and postures[index[nation.id]] != option.posture:
        postures[index[nation.id]] = option.posture
        t.emit("posture", f"{possessive(nation.name)} posture: {option.posture}", posture=option.posture, **cause)
    t.apply(option.effects, option.reason, **cause)
    chance = t.chance(option.chance)
    success = t.roll(chance, f"{nation.name}: {option.name}", nation=nation.id, option=option.id)
    t.apply(option.on_success if success else option.on_failure,
            f"{option.reason} ({'succeeded' if success else 'failed'})", **cause)
    if not success:
        return
    if option.pledge is not None and option.pledge not in pledges:
        pledges.append(option.pledge)
        pledge = scenario.pledges[option.pledge]
        t.emit("pledge_made", f"{nation.name} pledges: {pledge.name}", pledge=pledge.id, nation=nation.id)
    if option.opens is not None:
        request = scenario.requests[option.opens]
        if not t.values[request.open_slot]:
            t.values[request.open_slot] = True
            t.emit("request", f"{nation.name} asks {', '.join(scenario.nation(n).name for n in request.to)}: "
                              f"{request.name}", request=request.id, nation=nation.id)
    if option.answer is not None:
        _answer(t, scenario, option, roles, index)


def _answer(t: Scratch, scenario: Scenario, option: OptionInfo, roles: list[str],
            index: Mapping[str, int]) -> None:
    assert option.answer is not None
    answer = option.answer
    request = scenario.requests[answer.request]
    status = {"public": PUBLIC, "private": PRIVATE, "defer": DEFERRED, "decline": DECLINED}[answer.kind]
    t.values[answer.status_slot] = status
    if answer.kind in ("public", "private"):
        t.values[request.defined_slot] += 1
        roles[index[option.nation]] = f"{answer.kind}:{answer.category}"
        if answer.kind == "public":
            t.values[request.public_slot] += 1
    elif answer.kind == "decline":
        t.values[request.declined_slot] += 1
        roles[index[option.nation]] = "decline"
    else:
        roles[index[option.nation]] = "defer"
    t.emit("role", option.reason, request=request.id, nation=option.nation, answer=answer.kind,
           category=answer.category)


__all__ = ["PENDING", "Choice", "IllegalDecision", "adjudicate", "available", "begin_turn", "legal_options"]
