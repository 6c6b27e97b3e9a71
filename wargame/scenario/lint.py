"""Judgement calls on a scenario that validates: what can never happen, what nothing uses.

`validate` refuses what cannot work; `lint` warns of what works but is probably not what the
author meant. Every finding has a severity:

    warning  almost certainly a mistake: an option never available, an inject that never fires,
             an outcome that can never be reached, a game that can end with no outcome
    info     worth a look, often deliberate: a track nothing reads, a flag shown only on the board

How "never" is decided: the reachable range of every track and flag is worked out from the
effects the scenario can actually apply (its start values widened by every effect of every option,
answer, inject and pledge that can happen), and each condition's bounds are computed over those
ranges with the expression language's own interval arithmetic. The bounds are safe (never too
narrow), so a "never" is certain; a source found dead is dropped and the ranges worked out again
until nothing changes. The White cell can set any track by hand; lint does not count on that.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Literal

from wargame.errors import ExpressionError
from wargame.scenario import expr
from wargame.scenario.expr import Compiled, Effect, Slot
from wargame.scenario.scenario import OptionInfo, OutcomeInfo, Scenario

Severity = Literal["warning", "info"]
KeyPath = tuple[str | int, ...]
SEVERITIES: tuple[Severity, ...] = ("warning", "info")

_STATEMENT = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(\+=|-=|=)\s*(.+?)\s*$", re.S)


@dataclass(frozen=True)
class Finding:
    """One lint finding: `code` is stable (for scripts), `key` the dotted place in the file."""

    severity: Severity
    code: str
    path: KeyPath
    message: str


@dataclass(frozen=True)
class _Source:
    """Something that applies effects when it happens: an option, an inject, a pledge..."""

    kind: str  # "option", "inject", "pledge"
    id: str
    effects: tuple[Effect, ...]


class _Reach:
    """The reachable range of every name, given the sources that can happen."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.ranges: dict[str, tuple[float, float]] = {}

    def names(self) -> dict[str, Slot]:
        out = dict(self.scenario.names)
        for name, (lo, hi) in self.ranges.items():
            out[name] = replace(out[name], lo=lo, hi=hi)
        return out

    def bounds(self, condition: Compiled) -> tuple[float, float]:
        """Bounds of an expression over the reachable ranges."""
        try:
            return expr.compile_expression(condition.source, self.names()).bounds
        except ExpressionError:  # compiled once at load, so it compiles again
            return condition.bounds

    def compute(self, sources: Iterable[_Source], opened: set[str]) -> None:
        s = self.scenario
        ranges: dict[str, tuple[float, float]] = {}
        for name, slot in s.names.items():
            start = s.initial[slot.index]
            ranges[name] = (start, start)
        ranges["turn"] = (1, s.turns + (s.live.turns if s.live is not None else 0))
        if s.live is not None and not _never(self.bounds(s.live.when)):  # the engine starts the live crisis
            ranges["live"] = (0, 1)
        for request in s.requests.values():
            if request.id in opened:
                ranges[f"{request.id}.open"] = (0, 1)
                for counter in ("defined", "public", "declined"):
                    ranges[f"{request.id}.{counter}"] = (0, len(request.to))
        for source in sources:
            for effect in source.effects:
                ranges[effect.target] = _widen(ranges[effect.target], effect, s.names)
        self.ranges = ranges


def _widen(current: tuple[float, float], effect: Effect, names: Mapping[str, Slot]) -> tuple[float, float]:
    lo, hi = current
    slot = effect.slot
    m = _STATEMENT.match(effect.source)
    try:
        amount = expr.compile_expression(m.group(3), names).bounds if m else (-float("inf"), float("inf"))
    except ExpressionError:
        amount = (-float("inf"), float("inf"))
    if effect.op == "=":
        a_lo, a_hi = (amount if slot.kind == "bool" else (round(max(amount[0], -1e9)), round(min(amount[1], 1e9))))
        return (min(lo, max(a_lo, slot.lo)), max(hi, min(a_hi, slot.hi)))
    up, down = (amount[1] > 0.5, amount[0] < -0.5) if effect.op == "+=" else (amount[0] < -0.5, amount[1] > 0.5)
    return (slot.lo if down else lo, slot.hi if up else hi)


def _never(bounds: tuple[float, float]) -> bool:
    return bounds[1] <= 0


def _always(bounds: tuple[float, float]) -> bool:
    return bounds[0] >= 1


class _Linter:
    def __init__(self, scenario: Scenario) -> None:
        self.s = scenario
        self.m = scenario.model
        self.reach = _Reach(scenario)
        self.findings: list[Finding] = []
        self.option_index = {o.id: i for i, o in enumerate(self.m.options)}
        self.request_index = {r.id: i for i, r in enumerate(self.m.requests)}

    def add(self, severity: Severity, code: str, path: KeyPath, message: str) -> None:
        self.findings.append(Finding(severity, code, path, message))

    def option_path(self, option: OptionInfo) -> KeyPath:
        if option.answer is not None:
            return ("requests", self.request_index[option.answer.request])
        return ("options", self.option_index[option.id])

    # ------------------------------------------------------------ what can happen

    def dead(self) -> tuple[dict[str, str], dict[str, str], set[str]]:
        """Options and injects that can never happen (id -> why), and the requests that can open;
        worked out to a fixed point."""
        s = self.s
        dead_options: dict[str, str] = {}
        dead_injects: dict[str, str] = {}
        while True:
            live_options = [o for o in s.options.values() if o.id not in dead_options]
            opened = {o.opens for o in live_options if o.opens and not _never(o.chance.bounds)
                      and (o.approval is None or not _never(o.approval.chance.bounds))}
            made = {o.pledge for o in live_options if o.pledge}
            sources = [_Source("option", o.id, self._option_effects(o)) for o in live_options
                       if o.answer is None or o.answer.request in opened]
            sources += [_Source("inject", i.id, i.effects) for i in s.injects if i.id not in dead_injects]
            sources += [_Source("pledge", p.id, p.effects) for p in s.pledges.values() if p.id in made]
            self.reach.compute(sources, opened)
            found = dict(dead_options), dict(dead_injects)
            for option in s.options.values():
                why = self._option_dead(option, opened)
                if why:
                    dead_options.setdefault(option.id, why)
            for inject in s.injects:
                if _never(inject.chance.bounds):
                    dead_injects.setdefault(inject.id, "its chance is 0")
                elif inject.when is not None and _never(self.reach.bounds(inject.when)):
                    dead_injects.setdefault(inject.id, f"its condition {inject.when.source!r} can never hold")
            if (dead_options, dead_injects) == found:
                return dead_options, dead_injects, opened

    @staticmethod
    def _option_effects(option: OptionInfo) -> tuple[Effect, ...]:
        """The effects choosing the option can apply: each group only if its roll can go its way."""
        out: list[Effect] = []
        approval = option.approval
        if approval is None or not _never(approval.chance.bounds):
            out += option.effects
            if not _never(option.chance.bounds):
                out += option.on_success
            if not _always(option.chance.bounds):
                out += option.on_failure
        if approval is not None and not _always(approval.chance.bounds):
            out += approval.on_denied
        return tuple(out)

    def _option_dead(self, option: OptionInfo, opened: set[str]) -> str:
        s = self.s
        if option.answer is not None:
            return "" if option.answer.request in opened else f"request {option.answer.request!r} is never opened"
        if option.available is not None and _never(self.reach.bounds(option.available)):
            return f"its condition {option.available.source!r} can never hold"
        if option.real_time and _never(self.reach.bounds(s.crisis_live)):
            return f"it needs the crisis live ({s.crisis_live.source!r}), which can never happen"
        return ""

    # ------------------------------------------------------------ the checks

    def run(self) -> list[Finding]:
        dead_options, dead_injects, opened = self.dead()
        s, m = self.s, self.m
        for option_id, why in dead_options.items():
            option = s.options[option_id]
            if option.answer is None:
                key = "available" if option.available is not None and "condition" in why else None
                path = self.option_path(option) + ((key,) if key else ())
                self.add("warning", "option-never-available", path, f"option {option_id!r} can never be chosen: {why}")
        for i, written in enumerate(m.options):
            approval = s.options[written.id].approval
            if written.id not in dead_options and approval is not None and _never(self.reach.bounds(approval.chance)):
                self.add("warning", "option-never-approved", ("options", i, "approval", "chance"),
                         f"option {written.id!r} can never go ahead: {approval.body} never approves it")
        for i, request in enumerate(m.requests):
            if request.id not in opened:
                self.add("warning", "request-never-opened", ("requests", i, "id"),
                         f"request {request.id!r} is never opened: no option that can be chosen `opens` it")
        for i, inject in enumerate(s.injects):
            if inject.id in dead_injects:
                why = dead_injects[inject.id]
                self.add("warning", "inject-never-fires", ("injects", i, "chance" if "chance" in why else "when"),
                         f"inject {inject.id!r} can never fire: {why}")
        made = {o.pledge for o in s.options.values() if o.pledge and o.id not in dead_options}
        for i, pledge in enumerate(m.pledges):
            if pledge.id not in made:
                self.add("warning", "pledge-never-made", ("pledges", i, "id"),
                         f"pledge {pledge.id!r} is never made: no option that can be chosen makes it")
            elif _never(self.reach.bounds(s.pledges[pledge.id].trigger)):
                self.add("warning", "pledge-never-fires", ("pledges", i, "trigger"),
                         f"pledge {pledge.id!r} can never come due: {pledge.trigger!r} can never hold")
        self.outcomes()
        self.tracks()
        self.nations()
        return self.findings

    def outcomes(self) -> None:
        """Outcomes before the live crisis and during it are two groups, each checked on its own."""
        for live in (False, True):
            group = [(i, o) for i, o in enumerate(self.s.outcomes) if o.live == live]
            if group or not live:
                self._outcome_group(group)

    def _outcome_group(self, group: list[tuple[int, OutcomeInfo]]) -> None:
        earlier_always: str | None = None  # a during-game outcome that always ends the game
        earlier_always_at_end: str | None = None
        seen_during: dict[str, str] = {}  # condition -> the first during-game outcome with it
        seen_any: dict[str, str] = {}
        catch_all = False
        for i, outcome in group:
            path: KeyPath = ("outcomes", i, "when")
            bounds = self.reach.bounds(outcome.when)
            shadow = earlier_always or (earlier_always_at_end if outcome.at_end else None)
            text = outcome.when.source.strip()
            same = (seen_any if outcome.at_end else seen_during).get(text)
            if shadow:
                self.add("warning", "outcome-shadowed", path, f"outcome {outcome.id!r} can never be reached: "
                         f"outcome {shadow!r} before it always ends the game first")
            elif same:
                self.add("warning", "outcome-shadowed", path, f"outcome {outcome.id!r} can never be reached: "
                         f"outcome {same!r} before it has the same condition")
            elif _never(bounds):
                self.add("warning", "outcome-unreachable", path, f"outcome {outcome.id!r} can never happen: "
                         f"{outcome.when.source!r} can never hold with the values the scenario can reach")
            seen_any.setdefault(text, outcome.id)
            if not outcome.at_end:
                seen_during.setdefault(text, outcome.id)
            if _always(bounds):
                if outcome.at_end:
                    earlier_always_at_end = earlier_always_at_end or outcome.id
                    catch_all = True
                else:
                    earlier_always = earlier_always or outcome.id
        if not catch_all and earlier_always is None:
            self.add("warning", "no-catch-all-outcome", ("outcomes",),
                     "a game can end with no outcome reached: end the outcomes with a catch-all, "
                     "[[outcomes]] with at_end = true and when = \"true\"")

    def reads(self) -> set[str]:
        """Every name some condition, chance or effect amount reads, or some nation weighs."""
        s = self.s
        compiled: list[Compiled] = [s.crisis_live, *(o.when for o in s.outcomes)]
        effects: list[Effect] = []
        for option in s.options.values():
            compiled += [c for c in (option.available, option.chance) if c is not None]
            if option.approval is not None:
                compiled.append(option.approval.chance)
            effects += self._option_effects(option)
        for inject in s.injects:
            compiled += [c for c in (inject.when, inject.chance) if c is not None]
            effects += inject.effects
        for pledge in s.pledges.values():
            compiled.append(pledge.trigger)
            effects += pledge.effects
        names: set[str] = set().union(*(c.names for c in compiled))
        for effect in effects:
            m = _STATEMENT.match(effect.source)
            if m:
                names |= set(re.findall(r"[A-Za-z_][A-Za-z0-9_.]*", m.group(3)))
        for nation in s.nations:
            names |= {s.slot_names[slot] for slot, _ in nation.interests}
        return names

    def tracks(self) -> None:
        s, m = self.s, self.m
        read = self.reads()
        for i, track in enumerate(m.tracks):
            if track.id not in read:
                self.add("info", "track-unread", ("tracks", i, "id"),
                         f"track {track.id!r} is never read: no condition, chance or amount uses it and no "
                         "nation's interests weigh it, so it only shows on the board")
            elif self.reach.ranges[track.id][0] == self.reach.ranges[track.id][1]:
                self.add("info", "track-constant", ("tracks", i, "id"),
                         f"track {track.id!r} never changes: no effect that can happen moves it")
        for i, track in enumerate(m.nation_tracks):
            names = [f"{n.id}.{track.id}" for n in s.nations]
            if not any(name in read for name in names):
                self.add("info", "track-unread", ("nation_tracks", i, "id"),
                         f"nation track {track.id!r} is never read for any nation: no condition, chance or "
                         "amount uses it and no nation's interests weigh it")
        for i, flag in enumerate(m.flags):
            if flag.id not in read:
                self.add("info", "flag-unread", ("flags", i, "id"),
                         f"flag {flag.id!r} is never read: it only shows on the board (\"In force\")")

    def nations(self) -> None:
        s, m = self.s, self.m
        objectives = _objectives_field(m)
        for i, nation in enumerate(s.nations):
            if not nation.interests and len(s.options_by_nation[nation.id]) > 1:
                self.add("warning", "nation-without-interests", ("nations", i, "interests"),
                         f"{nation.id} has no interests: its bot weighs nothing and chooses at random")
            if objectives is not None and not objectives(i):
                self.add("warning", "nation-without-objectives", ("nations", i),
                         f"{nation.id} has no objectives: its delegation has nothing to aim for")


def _objectives_field(model: object) -> Callable[[int], bool] | None:
    """Per-nation objectives, when the format has them (a later format change adds them, either
    as a list on each nation or as a top-level `objectives` list whose entries name a `nation`):
    a function telling whether nation `i` has any; None while the format has no objectives, and
    the check is skipped."""
    nations = getattr(model, "nations", [])
    own = bool(nations) and "objectives" in type(nations[0]).model_fields
    shared = "objectives" in getattr(type(model), "model_fields", {})
    if not nations or not (own or shared):
        return None
    top = getattr(model, "objectives", None)

    def has(i: int) -> bool:
        if own and getattr(nations[i], "objectives", None):
            return True
        if isinstance(top, list):
            return any(getattr(o, "nation", None) == nations[i].id for o in top)
        return False

    return has


def lint(scenario: Scenario) -> list[Finding]:
    """Every finding for a scenario that validates, warnings first, each in file order."""
    findings = _Linter(scenario).run()
    return sorted(findings, key=lambda f: SEVERITIES.index(f.severity))
