"""The default computer player: it chooses what best serves its nation's declared interests.

The rule, so a facilitator can explain any bot move: for every option available now, add up
the expected change of each track the nation cares about (effects, weighted by the chance of
success and of approval, clamped to the track's range) times the nation's interest weight in
that track; take the highest score. A small seeded jitter, drawn from a stream of its own
(not the game's generator), breaks ties and varies play between seeds without overriding a
clear preference.

A persona (declared in the scenario, chosen with `--persona NATION=NAME`) changes three things
for its nation: the interest weights, the appetite for risk (each chance the bot weighs is bent
from p to p + risk * p * (1 - p)) and a temperature T: instead of the jitter, the bot draws its
option with probability proportional to exp((score - best) / T), so any option within a few
T of the best is sometimes played. Nations without a persona play exactly as before.

In the negotiation phase a bot sends the costly signal its interests value most (`signal`),
makes conditional offers to people's seats (never to another bot) and answers the offers made
to it (wargame.players.deals, which says the rules); it keeps its side of an exchange it
agreed this turn by choosing that option outright (`choose(..., keep=)`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter

from wargame.engine.events import Decision
from wargame.engine.negotiation import Message, sent_this_turn
from wargame.engine.rng import derive, draw
from wargame.engine.rules import available
from wargame.engine.state import State
from wargame.errors import UsageError
from wargame.players.deals import Deals, Menu
from wargame.scenario.expr import Compiled, Effect, whole
from wargame.scenario.scenario import OptionInfo, PersonaInfo, Scenario, SignalInfo
from wargame.scenario.suggest import hint

JITTER = 0.6  # at most this much of one weighted track point is added at random
SIGNAL_WORTH = 0.5  # a bot sends a costly signal only if its interests value it above this

# (slot index, op, whole-number amount or None, evaluator, lo, hi, interest weight): only effects
# on tracks the nation cares about, flattened for the inner loop of every batch run
Term = tuple[int, str, "int | None", Callable[[Sequence[float]], float], float, float, float]


def _change(term: Term, values: Sequence[float]) -> float:
    """How far one effect would move its track from where it stands (clamped, like the engine)."""
    index, op, constant, evaluate, lo, hi, _ = term
    old = values[index]
    amount = constant if constant is not None else whole(evaluate(values))
    raw = old + amount if op == "+=" else old - amount if op == "-=" else amount
    return (hi if raw > hi else lo if raw < lo else raw) - old


def _sum(terms: tuple[Term, ...], values: Sequence[float]) -> float:
    """Interest-weighted sum of the changes (the inner loop: kept flat on purpose)."""
    total = 0.0
    for index, op, constant, evaluate, lo, hi, weight in terms:
        old = values[index]
        amount = constant if constant is not None else whole(evaluate(values))
        raw = old + amount if op == "+=" else old - amount if op == "-=" else amount
        if raw > hi:
            raw = hi
        elif raw < lo:
            raw = lo
        total += weight * (raw - old)
    return total


def _probability(chance: Compiled | None, values: Sequence[float], risk: float = 0.0) -> float:
    """The chance as the bot weighs it: clamped to 0..1, then bent by its appetite for risk."""
    if chance is None:
        return 1.0
    lo, hi = chance.bounds
    if lo == hi:  # a constant chance: no need to evaluate it
        p = 0.0 if lo < 0 else 1.0 if lo > 1 else lo
    else:
        p = float(chance.evaluate(values))
        p = 0.0 if p < 0 else 1.0 if p > 1 else p
    return p + risk * p * (1.0 - p) if risk else p


@dataclass(frozen=True)
class _Plan:
    """An option's effects, cut down at load time to those the nation's interests weigh."""

    approval: Compiled | None
    denied: tuple[Term, ...]
    effects: tuple[Term, ...]
    chance: Compiled
    success: tuple[Term, ...]
    failure: tuple[Term, ...]
    risk: float = 0.0

    def weights(self, values: Sequence[float]) -> list[tuple[tuple[Term, ...], float]]:
        """Each group of effects with the probability it happens now."""
        go = _probability(self.approval, values, self.risk)
        groups = [(self.effects, go), (self.denied, 1.0 - go)]
        if self.success or self.failure:
            p = _probability(self.chance, values, self.risk)
            groups += [(self.success, go * p), (self.failure, go * (1.0 - p))]
        return groups

    def score(self, values: Sequence[float]) -> float:
        """The sum of `weights` groups, written out: this runs for every option every turn."""
        go = 1.0 if self.approval is None else _probability(self.approval, values, self.risk)
        total = go * _sum(self.effects, values) if self.effects else 0.0
        if self.denied and go < 1.0:
            total += (1.0 - go) * _sum(self.denied, values)
        if self.success or self.failure:
            p = _probability(self.chance, values, self.risk)
            if self.success:
                total += go * p * _sum(self.success, values)
            if self.failure:
                total += go * (1.0 - p) * _sum(self.failure, values)
        return total

    def breakdown(self, values: Sequence[float]) -> dict[int, float]:
        """Expected change of each track the nation weighs, by slot."""
        changes: dict[int, float] = {}
        for terms, p in self.weights(values):
            for term in terms:
                changes[term[0]] = changes.get(term[0], 0.0) + p * _change(term, values)
        return changes


class Bot:
    """Computer players for every nation of one scenario (plans are built once)."""

    def __init__(self, scenario: Scenario, *, explain: bool = True,
                 personas: Mapping[str, str] | None = None, memo: bool = False) -> None:
        """`explain`: write each decision's reasoning into its note (for people reading the board
        and the record); batch runs that keep no record can leave it out. `personas`: nation id
        -> persona id, for the nations not played by the default bot. Raises UsageError for a
        nation or persona the scenario does not have. `memo`: remember scores by the values they
        depend on (for sweeps: the same choices, far fewer sums)."""
        self.scenario = scenario
        self.explaining = explain
        self.personas = resolve_personas(scenario, personas or {})
        self.interests: dict[str, tuple[tuple[int, float], ...]] = {}
        self.plans: dict[str, _Plan] = {}
        self.signal_terms: dict[tuple[str, str], tuple[Term, ...]] = {}
        for nation in scenario.nations:
            persona = self.personas.get(nation.id)
            interests = persona.interests if persona else nation.interests
            self.interests[nation.id] = interests
            weights = {slot: w for slot, w in interests}
            for option in scenario.options_by_nation[nation.id]:
                self.plans[option.id] = _plan(option, weights, persona.risk if persona else 0.0)
        # A plan's score is a function of a few slots; the games of a sweep pass through the same
        # few values of them, so each score can be remembered by those values (a pure cache).
        self._scorers: dict[str, tuple[Callable[[Sequence[float]], object] | None, dict[object, float], _Plan]] = {
            option_id: (_key(plan, scenario) if memo else None, {}, plan) for option_id, plan in self.plans.items()}
        for nation in scenario.nations:  # the costly signals, weighed as the nation's options are
            weights = {slot: w for slot, w in self.interests[nation.id]}
            for signal in scenario.signals.values():
                if signal.nation in (None, nation.id):
                    self.signal_terms[(nation.id, signal.id)] = _cut(signal.effects, weights)
        self._deals: Deals | None = None
        self._menus: tuple[object, object] | None = None

    @property
    def deals(self) -> Deals:
        """The offer and answer rules for this bot's nations (built when first asked for)."""
        if self._deals is None:
            self._deals = Deals(self)
        return self._deals

    def menus(self, state: State) -> list[Menu]:
        """Every nation's menu now, in nation order: its open option ids (menu order) with their
        scores by its own interests, and its best score (the last state's are remembered)."""
        return self._scored_menus(state)[1]

    def _scored_menus(self, state: State) -> tuple[list[list[tuple[float, OptionInfo]]], list[Menu]]:
        """Every nation's open options scored (as `pick` scores them), and its Menu: remembered for
        the last state's values, options used, and pledges (all that decides them)."""
        key = (state.values, state.used_once, state.active_pledges, state.fired_pledges)
        if self._menus is not None and self._menus[0] == key:
            return self._menus[1]  # type: ignore[return-value]
        lists, menus = [], []
        for nation in self.scenario.nations:
            scored = self.scored(available(self.scenario, state, nation.id), state.values)
            lists.append(scored)
            menus.append(({o.id: score for score, o in scored}, max((sc for sc, _ in scored), default=0.0)))
        self._menus = (key, (lists, menus))
        return lists, menus

    def signal(self, state: State, nation_id: str) -> Message | None:
        """The bot's part in the negotiation phase (docs/scenario-format.md, "Negotiation"): the
        costly signal open to its nation whose effects its interests value most, if that value
        is above SIGNAL_WORTH, sent as a public statement; otherwise nothing. Its offers (to people
        only) and answers are wargame.players.deals's, through wargame.game.seats.BotSeat."""
        if sent_this_turn(state, nation_id) >= self.scenario.messages:
            return None
        best = self.signal_in(nation_id, state.values, state.signals_used)
        return None if best is None else Message(nation_id, "signal", best.text, signal=best.id)

    def signal_in(self, nation_id: str, values: Sequence[float], used: Sequence[str]) -> SignalInfo | None:
        """The rule of `signal` on plain values and the signals sent so far (the batch path's)."""
        best, best_score = None, SIGNAL_WORTH
        for (nation, signal_id), terms in self.signal_terms.items():
            if nation != nation_id:
                continue
            signal = self.scenario.signals[signal_id]
            if signal.once and signal_id in used:
                continue
            if signal.available is not None and not signal.available.evaluate(values):
                continue
            score = _sum(terms, values)
            if score > best_score:
                best, best_score = signal, score
        return best

    def choose(self, state: State, nation_id: str, keep: str | None = None, partner: str | None = None) -> Decision:
        """The bot's decision for one nation this turn. `keep`: an option it agreed to choose in an
        exchange this turn (with `partner`, a nation id): chosen outright if it is open."""
        values = state.values
        index = self.scenario.nation_index[nation_id]
        if keep is not None and keep in self.menus(state)[index][0]:
            if not self.explaining:
                return Decision(nation_id, keep, "bot")
            option = self.scenario.options[keep]
            who = self.scenario.nation(partner).name if partner in self.scenario.nation_index else "a partner"
            return Decision(nation_id, keep, "bot", f"keeps the exchange agreed with {who}; "
                                                    f"{self.explain(option, values)}")
        stream = derive(state.seed, state.turn, index)
        key = (values, state.used_once, state.active_pledges, state.fired_pledges)
        if self._menus is not None and self._menus[0] == key:  # scored already, for the negotiation
            scored = self._scored_menus(state)[0][index]
            picked = self.select(nation_id, scored, max(sc for sc, _ in scored), stream) if scored else None
        else:
            picked = self.pick(nation_id, available(self.scenario, state, nation_id), values, stream)
        if picked is None:  # the default option is always available; this is a guard
            return Decision(nation_id, self.scenario.nation(nation_id).default, "bot")
        best, best_score = picked
        if not self.explaining:
            return Decision(nation_id, best.id, "bot")
        persona = self.personas.get(nation_id)
        said = f"{persona.id}: " if persona is not None and persona.temperature > 0 else ""
        return Decision(nation_id, best.id, "bot", f"{said}{self.explain(best, values)} (score {best_score:+.1f})")

    def pick(self, nation_id: str, options: Sequence[OptionInfo], values: Sequence[float],
             stream: int) -> tuple[OptionInfo, float] | None:
        """The rule itself, shared with the batch path (wargame.analysis.batch): among the open
        `options`, the chosen one and its score, or None if there are none. `stream` is the
        generator state of this nation's choice this turn: derive(seed, turn, nation index)."""
        scored = self.scored(options, values)
        if not scored:
            return None
        return self.select(nation_id, scored, max(score for score, _ in scored), stream)

    def scored(self, options: Sequence[OptionInfo], values: Sequence[float]) -> list[tuple[float, OptionInfo]]:
        """Each of `options` with its score by its nation's interests, in the order given."""
        scorers = self._scorers
        scored = []
        for option in options:
            key, cache, plan = scorers[option.id]
            if key is None:
                score = plan.score(values)
            else:
                slots = key(values)
                score = cache.get(slots)  # type: ignore[assignment]
                if score is None:
                    if len(cache) >= _MEMO:
                        cache.clear()
                    score = cache[slots] = plan.score(values)
            scored.append((score, option))
        return scored

    def scorer(self, option_id: str) -> tuple[Callable[[Sequence[float]], object] | None, dict[object, float], _Plan]:
        """(memo key or None, memo, plan) of an option: how `pick` scores it (for the batch path)."""
        return self._scorers[option_id]

    def select(self, nation_id: str, scored: list[tuple[float, OptionInfo]], top: float,
               stream: int) -> tuple[OptionInfo, float]:
        """Choose among scored options (in menu order; `top` the best score): the jitter rule, or a
        persona's temperature."""
        persona = self.personas.get(nation_id)
        if persona is not None and persona.temperature > 0:
            score, option = _draw(scored, persona.temperature, stream)
            return option, score
        # only options within the jitter of the best can win, so only they draw (in menu order)
        cutoff = top - JITTER
        best: OptionInfo = scored[0][1]
        best_value = best_score = float("-inf")
        for score, option in scored:
            if score < cutoff:
                continue
            stream, jitter = draw(stream)
            if score + JITTER * jitter > best_value:
                best, best_value, best_score = option, score + JITTER * jitter, score
        return best, best_score

    def explain(self, option: OptionInfo, values: Sequence[float]) -> str:
        """Why the bot chose `option`, in words, from the interest-weighted changes behind its
        score: "favours Deterrence credibility and Coalition cohesion over Domestic support
        (United States)" — what it expects to gain, largest first, over what it expects to pay."""
        changes = self.plans[option.id].breakdown(values)
        weighed = [(weight * changes[slot], slot) for slot, weight in self.interests[option.nation]
                   if changes.get(slot)]
        words = self.scenario.words

        def named(slot: int, unusual: str) -> str:  # a gain by lowering or a cost by raising says so
            title = words.name(self.scenario.slot_names[slot])
            going = "lower" if changes[slot] < 0 else "higher"
            return f"{going} {title}" if going == unusual else title

        gains = [named(slot, "lower") for w, slot in sorted(weighed, reverse=True) if w > 0]
        costs = [named(slot, "higher") for w, slot in sorted(weighed) if w < 0]
        if gains and costs:
            return f"favours {_listed(gains)} over {_listed(costs)}"
        if gains:
            return f"favours {_listed(gains)}"
        if costs:
            return f"the least cost to {_listed(costs)} among its options"
        return "no change to its interests either way"

    def decide_all(self, state: State, nations: Iterable[str] | None = None) -> Mapping[str, Decision]:
        ids = [n.id for n in self.scenario.nations] if nations is None else list(nations)
        return {n: self.choose(state, n) for n in ids}


def resolve_personas(scenario: Scenario, chosen: Mapping[str, str]) -> dict[str, PersonaInfo]:
    """nation id -> persona id, checked against the scenario: nation id -> PersonaInfo.
    Raises UsageError naming what the scenario offers."""
    out = {}
    for nation_id, persona_id in chosen.items():
        if nation_id not in scenario.nation_index:
            raise UsageError(f"--persona {nation_id}={persona_id}: no such nation"
                             f"{hint(nation_id, scenario.nation_index)}; choose from "
                             f"{', '.join(n.id for n in scenario.nations)}")
        offered = scenario.personas.get(nation_id, {})
        if persona_id not in offered:
            names = ", ".join(offered) or "none"
            raise UsageError(f"--persona {nation_id}={persona_id}: {scenario.nation(nation_id).name} has no "
                             f"such persona in {scenario.id}{hint(persona_id, offered)} (its personas: {names})")
        out[nation_id] = offered[persona_id]
    return out


def _draw(scored: list[tuple[float, OptionInfo]], temperature: float, stream: int) -> tuple[float, OptionInfo]:
    """One option drawn with probability proportional to exp((score - best) / temperature)."""
    top = max(score for score, _ in scored)
    weights = [math.exp((score - top) / temperature) for score, _ in scored]
    _, roll = draw(stream)
    target = roll * math.fsum(weights)
    running = 0.0
    for weight, pick in zip(weights, scored, strict=True):
        running += weight
        if target < running:
            return pick
    return scored[-1]


_MEMO = 4096  # remembered scores per option, at most


def _key(plan: _Plan, scenario: Scenario) -> Callable[[Sequence[float]], object] | None:
    """What a plan's score depends on, as a function of the values (None: effects whose amounts
    depend on the state, so the score is always computed)."""
    slots: set[int] = set()
    for terms in (plan.effects, plan.denied, plan.success, plan.failure):
        for index, _, constant, *_ in terms:
            if constant is None:
                return None
            slots.add(index)
    for chance in (plan.approval, plan.chance):
        if chance is not None:
            slots.update(scenario.names[name].index for name in chance.names)
    ordered = sorted(slots)
    if not ordered:
        return lambda values: ()
    return itemgetter(*ordered)  # one slot gives its value, several a tuple: either is a key


def _listed(names: Sequence[str], most: int = 3) -> str:
    """"A", "A and B", "A, B and C" (the first `most` only)."""
    names = list(names[:most])
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _cut(effects: Iterable[Effect], weights: Mapping[int, float]) -> tuple[Term, ...]:
    """The effects on tracks the nation weighs, flattened for the inner loop."""
    return tuple(
        (e.slot.index, e.op, None if e.constant is None else whole(e.constant), e.value,
         e.slot.lo, e.slot.hi, weights[e.slot.index])
        for e in effects if e.slot.kind == "num" and e.slot.index in weights)


def _plan(option: OptionInfo, weights: Mapping[int, float], risk: float = 0.0) -> _Plan:
    def cut(effects: Iterable[Effect]) -> tuple[Term, ...]:
        return _cut(effects, weights)

    approval = option.approval
    return _Plan(
        approval=approval.chance if approval else None,
        denied=cut(approval.on_denied) if approval else (),
        effects=cut(option.effects),
        chance=option.chance,
        success=cut(option.on_success),
        failure=cut(option.on_failure),
        risk=risk,
    )
