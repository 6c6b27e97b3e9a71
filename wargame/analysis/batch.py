"""The batch path: bot-played games without event text, digests or explanations.

A sweep needs only what each game decided and how it ended, so this loop keeps the state in
one mutable list and applies the same rules as the engine (wargame.engine.rules) in the same
order, drawing from the same generator: begin the turn (scheduled injects, then triggered ones),
the bots' costly signals of the negotiation phase (wargame.engine.negotiation, `Bot.signal`),
let every bot choose (the same rule, `Bot.pick`), land last turn's delayed responses, resolve
the decisions in nation order (a live-crisis response acts at once if its role was defined in
advance, or is delayed, or goes to its vote; approval, effects, chance, pledge, request,
answer), fire pledges in file order, start the live crisis or check the outcomes of the phase.
`tests/test_batch.py` proves it plays the same games as the explaining engine, final state for
final state, on hundreds of seeds with and without variants and personas.

If you change a rule in the engine, change it here too: that test will tell you if you did not.

A `Watch` passed to `BatchGames.play` sees each turn as it goes (the options open to each nation
as it decides, the values at the end of the turn): `wargame lint --play` counts with it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter

from wargame.engine.rng import GOLDEN, MASK, mix, seed_state
from wargame.players.bot import Bot
from wargame.scenario.expr import Compiled, Effect, whole
from wargame.scenario.scenario import DECLINED, DEFERRED, PRIVATE, PUBLIC, OptionInfo, Scenario

# (slot index, is a flag, op: 0 "+=", 1 "-=", 2 "=", constant amount or None, evaluator, lo, hi)
Step = tuple[int, bool, int, "float | None", Callable[[Sequence[float]], float], float, float]
_OPS = {"+=": 0, "-=": 1, "=": 2}
_STATUS = {"public": PUBLIC, "private": PRIVATE, "defer": DEFERRED, "decline": DECLINED}


@dataclass(frozen=True)
class Played:
    """What a sweep keeps of one game; `values` and the tuples after it are the final state,
    field for field as the engine's State has them (for the proof that both play alike)."""

    seed: int
    outcome: str | None
    turns: int
    values: tuple[float, ...]
    decisions: tuple[tuple[str, ...], ...]  # per turn, each nation's option id in scenario order
    approvals: tuple[tuple[int, str, bool], ...]  # (turn, option id, passed)
    rng: int
    postures: tuple[str, ...]
    roles: tuple[str, ...]
    used_once: tuple[str, ...]
    active_pledges: tuple[str, ...]
    fired_pledges: tuple[str, ...]
    fired_injects: tuple[str, ...]


class Watch:
    """An onlooker of batch games (does nothing; override what you need)."""

    def opened(self, nation: str, options: Sequence[OptionInfo]) -> None:
        """The options open to `nation` as it decides this turn (may be none: it takes its default)."""

    def turn_done(self, turn: int, values: Sequence[float]) -> None:
        """The turn is adjudicated (the game may end with it); `values`: the state's values."""


def _steps(effects: Sequence[Effect]) -> tuple[Step, ...]:
    out = []
    for e in effects:
        flag = e.slot.kind == "bool"
        constant = None if e.constant is None else (bool(e.constant) if flag else whole(e.constant))
        out.append((e.slot.index, flag, _OPS[e.op], constant, e.value, e.slot.lo, e.slot.hi))
    return tuple(out)


def _apply(values: list[float], steps: tuple[Step, ...]) -> None:
    for index, flag, op, constant, evaluate, lo, hi in steps:
        amount = constant if constant is not None else evaluate(values)
        if flag:
            new = bool(amount)
            if new != values[index]:
                values[index] = new
            continue
        if constant is None:
            amount = whole(amount)
        old = values[index]
        raw = old + amount if op == 0 else old - amount if op == 1 else amount
        values[index] = int(hi if raw > hi else lo if raw < lo else raw)


_MEMO = 4096  # remembered results per condition, at most


def _condition(compiled: Compiled, scenario: Scenario) -> Callable[[Sequence[float]], object]:
    """A condition that remembers its value by the values of the names it reads (a condition
    reads a few small tracks and flags, and a sweep passes through the same values of them)."""
    slots = sorted({scenario.names[name].index for name in compiled.names})
    evaluate = compiled.evaluate
    if not slots or len(slots) > 4:
        return evaluate
    key = itemgetter(*slots)
    cache: dict[object, object] = {}

    def memo(values: Sequence[float]) -> object:
        k = key(values)
        found = cache.get(k, cache)
        if found is cache:
            if len(cache) >= _MEMO:
                cache.clear()
            found = cache[k] = evaluate(values)
        return found

    return memo


def _chance(compiled: Compiled) -> float | Callable[[Sequence[float]], float]:
    """A constant chance as its number (clamped), a varying one as its evaluator."""
    if compiled.names:
        return compiled.evaluate
    return min(max(float(compiled.evaluate(())), 0.0), 1.0)


def _kind(option: OptionInfo) -> bool:
    """Whether more than the option's own condition decides if it is open."""
    return option.answer is not None or option.once or option.pledge is not None or option.real_time


@dataclass(frozen=True)
class _Option:
    info: OptionInfo
    approval: float | Callable[[Sequence[float]], float] | None
    denied: tuple[Step, ...]
    effects: tuple[Step, ...]
    chance: float | Callable[[Sequence[float]], float]
    success: tuple[Step, ...]
    failure: tuple[Step, ...]
    where: int  # the nation's index
    opens: int | None  # the open slot of the request it makes
    # an answer to a request: (status slot, status, slots counting it, the role it records)
    answer: tuple[int, int, tuple[int, ...], str] | None


def _answer(scenario: Scenario, option: OptionInfo) -> tuple[int, int, tuple[int, ...], str] | None:
    """What answering a request writes (wargame.engine.rules._answer, as data)."""
    answer = option.answer
    if answer is None:
        return None
    request = scenario.requests[answer.request]
    kind = answer.kind
    counted: tuple[int, ...]
    if kind in ("public", "private"):
        counted = (request.defined_slot, request.public_slot) if kind == "public" else (request.defined_slot,)
        role = f"{kind}:{answer.category}"
    elif kind == "decline":
        counted, role = (request.declined_slot,), "decline"
    else:
        counted, role = (), "defer"
    return answer.status_slot, _STATUS[kind], counted, role


class BatchGames:
    """Plays bot games of one scenario (variants applied) with one set of personas, fast."""

    def __init__(self, scenario: Scenario, personas: Mapping[str, str] | None = None) -> None:
        self.scenario = scenario
        self.bot = Bot(scenario, explain=False, personas=personas, memo=True)
        s = scenario
        self.options = {
            o.id: _Option(o, None if o.approval is None else _chance(o.approval.chance),
                          _steps(o.approval.on_denied) if o.approval else (), _steps(o.effects),
                          _chance(o.chance), _steps(o.on_success), _steps(o.on_failure),
                          s.nation_index[o.nation], s.requests[o.opens].open_slot if o.opens else None,
                          _answer(s, o))
            for o in s.options.values()}
        self.scheduled = {t: tuple((i.id, _chance(i.chance), _steps(i.effects)) for i in s.injects if i.turn == t)
                          for t in range(1, s.turns + 1)}
        self.last_turn = s.turns + (s.live.turns if s.live is not None else 0)
        self.signals = {g.id: _steps(g.effects) for g in s.signals.values()}
        self.triggered = tuple((i.id, _condition(i.when, s), i.repeat, _chance(i.chance), _steps(i.effects))
                               for i in s.injects if i.when is not None)
        # each option of a menu with what decides whether it is open: (option, kind, condition)
        # each option of a menu with what decides whether it is open and how the bot scores it
        self.menus = [(n.id, i, tuple((o, _kind(o), _condition(o.available, s) if o.available else None,
                                       *self.bot.scorer(o.id))
                                      for o in s.options_by_nation[n.id])) for i, n in enumerate(s.nations)]
        self.pledges = tuple((p.id, p.trigger.evaluate, _steps(p.effects)) for p in s.pledges.values())
        self.outcomes = tuple((o.id, o.at_end, _condition(o.when, s), o.live) for o in s.outcomes)
        self.index = dict(s.nation_index)

    def play(self, seed: int, watch: Watch | None = None) -> Played:
        """One whole game from `seed`, every nation played by its bot; `watch` sees each turn."""
        s = self.scenario
        values: list[float] = list(s.initial)
        rng = seed_state(seed)
        used: list[str] = []
        active: list[str] = []
        fired_pledges: list[str] = []
        fired: dict[str, None] = {}
        postures = [n.posture for n in s.nations]
        roles = ["" for _ in s.nations]
        decisions: list[tuple[str, ...]] = []
        approvals: list[tuple[int, str, bool]] = []
        live = s.crisis_live.evaluate
        select = self.bot.select
        options = self.options
        outcome = None
        turn = 0
        signals_used: list[str] = []
        delayed: list[str] = []
        live_info = s.live
        in_live = False
        since = 0

        def roll(chance: float) -> bool:
            nonlocal rng
            if chance >= 1.0:
                return True
            if chance <= 0.0:
                return False
            rng = z = (rng + GOLDEN) & MASK  # wargame.engine.rng.draw, written out
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
            return ((z ^ (z >> 31)) >> 11) / 9007199254740992.0 < chance

        def p(chance: float | Callable[[Sequence[float]], float]) -> float:
            if type(chance) is float:
                return chance
            return min(max(float(chance(values)), 0.0), 1.0)  # type: ignore[operator]

        for turn in range(1, self.last_turn + 1):
            values[0] = turn
            for inject_id, chance, steps in self.scheduled.get(turn, ()):
                if roll(chance if type(chance) is float else p(chance)):
                    fired[inject_id] = None
                    _apply(values, steps)
            for inject_id, when, repeat, chance, steps in self.triggered:
                if (inject_id in fired and not repeat) or not when(values):
                    continue
                if roll(chance if type(chance) is float else p(chance)):
                    fired[inject_id] = None
                    _apply(values, steps)

            pending: list[str] = []  # the negotiation phase: the bots' costly signals, landing
            if self.signals and s.messages:  # when the turn is adjudicated (engine.negotiation)
                for nation in s.nations:
                    signal = self.bot.signal_in(nation.id, values, signals_used)
                    if signal is not None:
                        pending.append(signal.id)
                        if signal.id not in signals_used:
                            signals_used.append(signal.id)

            is_live = None
            chosen: list[OptionInfo] = []
            turn_stream = mix(((seed & MASK ^ turn) + GOLDEN) & MASK)  # derive(seed, turn, ...)'s shared part
            for nation_id, where, menu in self.menus:
                scored = []  # Bot.pick, with the menu's availability checked in the same pass
                top = -1e300
                for o, kind, condition, key, cache, plan in menu:
                    if kind:  # the checks of wargame.engine.rules._open, in its order
                        answer = o.answer
                        if answer is not None:
                            if not (values[answer.open_slot] and values[answer.status_slot] <= DEFERRED):
                                continue
                        else:
                            if o.once and o.id in used:
                                continue
                            if o.pledge is not None and (o.pledge in active or o.pledge in fired_pledges):
                                continue
                            if o.real_time:
                                if is_live is None:
                                    is_live = bool(live(values))
                                if not is_live:
                                    continue
                            if condition is not None and not condition(values):
                                continue
                    elif condition is not None and not condition(values):
                        continue
                    if key is None:
                        score = plan.score(values)
                    else:
                        slots = key(values)
                        remembered = cache.get(slots)
                        if remembered is not None:
                            score = remembered
                        else:
                            if len(cache) >= _MEMO:
                                cache.clear()
                            score = cache[slots] = plan.score(values)
                    if score > top:
                        top = score
                    scored.append((score, o))
                if watch is not None:
                    watch.opened(nation_id, [o for _, o in scored])
                if scored:
                    chosen.append(select(nation_id, scored, top, mix(((turn_stream ^ where) + GOLDEN) & MASK))[0])
                else:
                    chosen.append(s.options[s.nation(nation_id).default])
            decisions.append(tuple(o.id for o in chosen))
            for signal_id in pending:  # this turn's signals land first, in the order sent
                _apply(values, self.signals[signal_id])

            landing, delayed = delayed, []  # last turn's delayed responses land first, without a vote
            for position, info in enumerate([*(s.options[d] for d in landing), *chosen]):
                r = options[info.id]
                lands = position < len(landing)
                vote = r.approval is not None and not lands
                if info.response is not None and not lands:
                    kind, _, category = roles[r.where].partition(":")
                    if kind in ("public", "private") and category == info.category:
                        vote = False
                    elif info.response == "delay":
                        delayed.append(info.id)
                        if info.once:
                            used.append(info.id)
                        continue
                if vote:
                    passed = roll(p(r.approval))
                    approvals.append((turn, info.id, passed))
                    if not passed:
                        _apply(values, r.denied)
                        continue
                if info.once and info.id not in used:
                    used.append(info.id)
                if info.posture:
                    postures[r.where] = info.posture
                if r.effects:
                    _apply(values, r.effects)
                chance = r.chance
                success = roll(chance if type(chance) is float else p(chance))
                outcome_steps = r.success if success else r.failure
                if outcome_steps:
                    _apply(values, outcome_steps)
                if not success:
                    continue
                if info.pledge is not None and info.pledge not in active:
                    active.append(info.pledge)
                if r.opens is not None and not values[r.opens]:
                    values[r.opens] = True
                if r.answer is not None:
                    status_slot, status, counted, role = r.answer
                    values[status_slot] = status
                    for slot in counted:
                        values[slot] += 1
                    roles[r.where] = role

            for pledge_id, trigger, steps in self.pledges:
                if pledge_id in active and trigger(values):
                    active.remove(pledge_id)
                    fired_pledges.append(pledge_id)
                    _apply(values, steps)

            last = turn >= s.turns
            starts = live_info is not None and not in_live and bool(live_info.when.evaluate(values))
            if starts:
                assert live_info is not None
                in_live, since, last = True, turn, False
                values[live_info.slot] = True
                values[live_info.since_slot] = turn
            elif in_live:
                assert live_info is not None
                last = turn >= since + live_info.turns
            if not starts:
                for outcome_id, at_end, when, live_only in self.outcomes:
                    if live_only != in_live or (at_end and not last):
                        continue
                    if when(values):
                        outcome = outcome_id
                        break
            if watch is not None:
                watch.turn_done(turn, values)
            if outcome is not None or last:
                break
        return Played(seed, outcome, turn, tuple(values), tuple(decisions), tuple(approvals), rng,
                      tuple(postures), tuple(roles), tuple(used), tuple(active), tuple(fired_pledges),
                      tuple(fired))
