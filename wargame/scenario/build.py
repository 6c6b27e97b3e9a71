"""From a shape-checked ScenarioModel to a compiled Scenario, collecting every problem.

This is where the scenario's rules are enforced for any scenario, not just the flagship:
a nation may take only its declared role categories (how Japan's non-combat limit holds),
a nation that may not pledge in advance gets no pledges and its force commitments need the
crisis to be live and an approval (how Australia's real-time rule holds).

What the build keeps as it goes, and its compile-and-report helpers, are in build_context; the
options (a nation's own, and the answers to role requests) in build_options.
"""

from __future__ import annotations

from wargame.errors import ExpressionError
from wargame.scenario import expr
from wargame.scenario.build_context import KeyPath
from wargame.scenario.build_options import OptionsBuilder
from wargame.scenario.expr import Slot
from wargame.scenario.models import ScenarioModel
from wargame.scenario.scenario import (
    ExpectedResponse,
    InjectInfo,
    LiveInfo,
    NationInfo,
    ObjectiveInfo,
    OptionInfo,
    OutcomeInfo,
    PledgeInfo,
    RequestInfo,
    Scenario,
    SignalInfo,
    TrackInfo,
)
from wargame.scenario.suggest import hint


class _Builder(OptionsBuilder):
    """The whole build: slots, tracks, nations, requests, options, injects, pledges, outcomes."""

    def build(self, path: str, sha256: str) -> Scenario | None:
        m = self.model
        count = m.turns.count
        extra = m.live_crisis.turns if m.live_crisis is not None else 0
        self.add_slot("turn", "num", 1, 1, count + extra, writable=False)
        self.unique("nation", ("nations",), [n.id for n in m.nations])
        self.unique("option", ("options",), [o.id for o in m.options])
        self.unique("inject", ("injects",), [i.id for i in m.injects])
        self.unique("pledge", ("pledges",), [p.id for p in m.pledges])
        self.unique("request", ("requests",), [r.id for r in m.requests])
        self.unique("outcome", ("outcomes",), [o.id for o in m.outcomes])
        nation_ids = [n.id for n in m.nations]

        tracks = self.build_tracks(nation_ids)
        for i, flag in enumerate(m.flags):
            if flag.id in self.names or flag.id in nation_ids:
                self.problem(("flags", i, "id"), f"name {flag.id!r} is already used")
                continue
            self.add_slot(flag.id, "bool", flag.start, 0, 1)
        live_slots = self.live_slots()
        requests = self.build_request_slots()
        crisis_live = self.expression(("crisis_live",), m.crisis_live, "bool")
        live = self.build_live(live_slots)

        nations = tuple(self.build_nation(i) for i in range(len(m.nations)))
        options = self.build_options(requests)
        by_nation: dict[str, list[OptionInfo]] = {n: [] for n in nation_ids}
        for option in options.values():
            if option.nation in by_nation:
                by_nation[option.nation].append(option)
        for i, nation in enumerate(m.nations):
            default = options.get(nation.default)
            if default is None or default.nation != nation.id:
                mine = [o.id for o in by_nation.get(nation.id, [])]
                self.problem(("nations", i, "default"),
                             f"default {nation.default!r} is not an option of {nation.id}{hint(nation.default, mine)}")
            elif (default.available is not None or default.once or default.approval or default.pledge
                  or default.real_time or default.answer is not None):
                self.problem(("nations", i, "default"),
                             f"default {nation.default!r} must always be available: no 'available', 'once', "
                             "'approval' or 'pledge', and not an answer to a request")
        if not any(n.playable for n in m.nations):
            self.problem(("nations",), "no nation is playable")

        injects = tuple(self.build_inject(i, options) for i in range(len(m.injects)))
        pledges = {p.id: self.build_pledge(i) for i, p in enumerate(m.pledges)}
        outcomes = self.build_outcomes()
        objectives = self.build_objectives(outcomes)
        signals = self.build_signals()
        labels = tuple(m.turns.labels or [m.turns.label.replace("{n}", str(n)) for n in range(1, count + 1)])
        if self.problems:
            return None
        return Scenario(
            model=m, path=path, sha256=sha256, names=dict(self.names),
            slot_names=tuple(self.slot_names), initial=tuple(self.initial), tracks=tracks,
            nations=nations, options=options,
            options_by_nation={k: tuple(v) for k, v in by_nation.items()},
            injects=injects, pledges=pledges, requests=requests, outcomes=outcomes,
            crisis_live=crisis_live, turn_labels=labels,
            track_by_slot={t.slot: t for t in tracks},
            nation_index={n.id: i for i, n in enumerate(nations)},
            live=live, objectives=objectives,
            messages=m.negotiation.messages, signals=signals,
        )

    def live_slots(self) -> tuple[int, int] | None:
        """The `live` flag (readable, kept by the engine) and the hidden turn it began."""
        if self.model.live_crisis is None:
            return None
        if "live" in self.names:
            self.problem(("live_crisis",), "a scenario with a live crisis may not use the name 'live' itself")
            return None
        return (self.add_slot("live", "bool", False, 0, 1, writable=False),
                self.add_slot("live#since", "num", 0, 0, 10_000, public=False))

    def build_live(self, slots: tuple[int, int] | None) -> LiveInfo | None:
        live = self.model.live_crisis
        if live is None or slots is None:
            return None
        when = self.expression(("live_crisis", "when"), live.when, "bool")
        if when.bounds[1] == 0 and ("live_crisis", "when") not in self.broken:
            self.problem(("live_crisis", "when"), f"the crisis can never go live: {live.when!r} is never true")
        return LiveInfo(when, live.turns, live.title, live.text, *slots)

    def build_signals(self) -> dict[str, SignalInfo]:
        """Costly signals: a known nation (or any), a bool availability, effects on the state."""
        m = self.model
        nation_ids = {n.id for n in m.nations}
        self.unique("signal", ("signals",), [g.id for g in m.signals])
        out = {}
        for i, g in enumerate(m.signals):
            path: KeyPath = ("signals", i)
            if g.nation is not None and g.nation not in nation_ids:
                self.problem((*path, "nation"), f"unknown nation {g.nation!r}")
            available = None if g.available is None else self.expression((*path, "available"), g.available, "bool")
            out[g.id] = SignalInfo(g.id, g.name, g.text, g.nation, available, g.once,
                                   self.effects((*path, "effects"), g.effects))
        return out

    def build_objectives(self, outcomes: tuple[OutcomeInfo, ...]) -> tuple[ObjectiveInfo, ...]:
        """Objectives read the scenario's names and `outcome.ID` (true when the game ended with
        that outcome), held in slots after the state's values (see engine.objectives)."""
        m = self.model
        names = dict(self.names)
        for i, outcome in enumerate(outcomes):
            names[f"outcome.{outcome.id}"] = Slot(len(self.initial) + i, "bool", 0, 1, False)
        nation_ids = {n.id for n in m.nations}
        seen: set[tuple[str, str]] = set()
        out = []
        for i, o in enumerate(m.objectives):
            path: KeyPath = ("objectives", i)
            if o.nation not in nation_ids:
                self.problem((*path, "nation"), f"unknown nation {o.nation!r}")
            if (o.nation, o.id) in seen:
                self.problem((*path, "id"), f"duplicate objective id {o.id!r} for {o.nation}")
            seen.add((o.nation, o.id))
            compiled = []
            for key in ("achieved", "partly"):
                text = getattr(o, key)
                if text is None:
                    compiled.append(None)
                    continue
                try:
                    c = expr.compile_expression(text, names, "bool")
                except ExpressionError as err:
                    self.problem((*path, key), f"{err} in {text!r}")
                    compiled.append(None)
                    continue
                if c.bounds[1] == 0:
                    self.problem((*path, key), f"this can never be true: {text!r}")
                compiled.append(c)
            if compiled[0] is None:
                continue
            out.append(ObjectiveInfo(o.id, o.nation, o.name, o.text, compiled[0], compiled[1], o.over))
        return tuple(out)

    def build_tracks(self, nation_ids: list[str]) -> tuple[TrackInfo, ...]:
        m = self.model
        out: list[TrackInfo] = []
        ladders = 0
        nation_track_ids = {t.id for t in m.nation_tracks}
        for group in ("tracks", "nation_tracks"):
            for i, t in enumerate(getattr(m, group)):
                path: KeyPath = (group, i)
                if t.min >= t.max:
                    self.problem((*path, "max"), f"max {t.max} must be above min {t.min}")
                    continue
                last = None
                for j, th in enumerate(t.thresholds):
                    if not t.min <= th.at <= t.max:
                        self.problem((*path, "thresholds", j, "at"),
                                     f"threshold {th.name!r} at {th.at} is outside {t.min}..{t.max}")
                    if last is not None and th.at <= last:
                        self.problem((*path, "thresholds", j, "at"), "thresholds must increase")
                    last = th.at
                ladders += t.ladder
                thresholds = tuple((th.at, th.name) for th in t.thresholds)
                if group == "tracks":
                    if t.id in self.names or t.id in nation_ids:
                        self.problem((*path, "id"), f"name {t.id!r} is already used")
                        continue
                    self.check_start((*path, "start"), t.start, t.min, t.max, t.id)
                    slot = self.add_slot(t.id, "num", t.start, t.min, t.max)
                    out.append(TrackInfo(t.id, t.name, slot, t.min, t.max, t.start, t.ladder,
                                         t.higher_is, thresholds))
                    continue
                for n, nation in enumerate(m.nations):
                    start = nation.start.get(t.id, t.start)
                    where: KeyPath = ("nations", n, "start", t.id) if t.id in nation.start else (*path, "start")
                    self.check_start(where, start, t.min, t.max, f"{nation.id}.{t.id}")
                    name = f"{nation.id}.{t.id}"
                    slot = self.add_slot(name, "num", start, t.min, t.max)
                    out.append(TrackInfo(name, t.name, slot, t.min, t.max, start, False,
                                         t.higher_is, thresholds, nation.id))
        if ladders > 1:
            self.problem(("tracks",), "only one track may be the escalation ladder")
        for n, nation in enumerate(m.nations):
            for key in nation.start:
                if key not in nation_track_ids:
                    self.problem(("nations", n, "start", key),
                                 f"{key!r} is not a nation track{hint(key, nation_track_ids)}")
        return tuple(out)

    def check_start(self, path: KeyPath, start: int, lo: int, hi: int, name: str) -> None:
        if not lo <= start <= hi:
            self.problem(path, f"start {start} of {name} is outside {lo}..{hi}")

    def build_request_slots(self) -> dict[str, RequestInfo]:
        m = self.model
        out: dict[str, RequestInfo] = {}
        nation_ids = {n.id for n in m.nations}
        for i, r in enumerate(m.requests):
            path: KeyPath = ("requests", i)
            if r.from_ not in nation_ids:
                self.problem((*path, "from"), f"unknown nation {r.from_!r}{hint(r.from_, nation_ids)}")
            for j, to in enumerate(r.to):
                if to not in nation_ids:
                    self.problem((*path, "to", j), f"unknown nation {to!r}{hint(to, nation_ids)}")
            for j, cat in enumerate(r.categories):
                if cat not in m.categories:
                    self.problem((*path, "categories", j),
                                 f"unknown role category {cat!r}{hint(cat, m.categories)}")
            if r.id in self.names or r.id in nation_ids:
                self.problem((*path, "id"), f"name {r.id!r} is already used")
                continue
            open_slot = self.add_slot(f"{r.id}.open", "bool", False, 0, 1, writable=False)
            n = len(r.to)
            defined = self.add_slot(f"{r.id}.defined", "num", 0, 0, n, writable=False)
            public = self.add_slot(f"{r.id}.public", "num", 0, 0, n, writable=False)
            declined = self.add_slot(f"{r.id}.declined", "num", 0, 0, n, writable=False)
            status = {to: self.add_slot(f"{r.id}#{to}", "num", 0, 0, 4, public=False) for to in r.to}
            out[r.id] = RequestInfo(r.id, r.name, r.text, r.from_, tuple(r.to), tuple(r.categories),
                                    open_slot, defined, public, declined, status)
        return out

    def build_nation(self, i: int) -> NationInfo:
        n = self.model.nations[i]
        path: KeyPath = ("nations", i)
        for j, role in enumerate(n.roles):
            cat = self.model.categories.get(role)
            if cat is None:
                self.problem((*path, "roles", j), f"unknown role category {role!r}{hint(role, self.model.categories)}")
            elif n.non_combat and cat.combat:
                self.problem((*path, "roles", j),
                             f"{n.id} is non_combat but {role!r} is a combat role category")
        interests = []
        for key, weight in n.interests.items():
            slot = self.names.get(key)
            if slot is None or slot.kind != "num":
                tracks = [k for k, s in self.names.items() if s.kind == "num" and s.writable]
                self.problem((*path, "interests", key), f"{key!r} is not a track{hint(key, tracks)}")
            else:
                interests.append((slot.index, weight))
        return NationInfo(n.id, n.name, n.colour, n.playable, n.public_brief, n.private_brief,
                          tuple(n.roles), n.non_combat, n.pledge_in_advance, n.posture, n.default,
                          tuple(interests))

    def build_inject(self, i: int, options: dict[str, OptionInfo]) -> InjectInfo:
        inj = self.model.injects[i]
        path: KeyPath = ("injects", i)
        nation_ids = {n.id for n in self.model.nations}
        for j, exp in enumerate(inj.expected):
            if exp.nation not in nation_ids:
                self.problem((*path, "expected", j, "nation"),
                             f"unknown nation {exp.nation!r}{hint(exp.nation, nation_ids)}")
                continue
            for k, option_id in enumerate(exp.options):
                option = options.get(option_id)
                if option is None:
                    mine = [o for o, info in options.items() if info.nation == exp.nation]
                    self.problem((*path, "expected", j, "options", k),
                                 f"unknown option {option_id!r}{hint(option_id, mine)}")
                elif option.nation != exp.nation:
                    self.problem((*path, "expected", j, "options", k),
                                 f"option {option_id!r} belongs to {option.nation}, not {exp.nation}")
        if inj.turn is not None and inj.turn > self.model.turns.count:
            self.problem((*path, "turn"), f"turn {inj.turn} is after the last turn ({self.model.turns.count})")
        when = None if inj.when is None else self.expression((*path, "when"), inj.when, "bool")
        if when is not None and when.bounds[1] == 0 and (*path, "when") not in self.broken:
            self.problem((*path, "when"), f"this condition can never be true: {inj.when!r}")
        return InjectInfo(inj.id, inj.title, inj.text, inj.turn, when, inj.repeat,
                          self.chance((*path, "chance"), inj.chance),
                          self.effects((*path, "effects"), inj.effects),
                          tuple(ExpectedResponse(e.nation, tuple(e.options), e.note) for e in inj.expected))

    def build_pledge(self, i: int) -> PledgeInfo:
        p = self.model.pledges[i]
        path: KeyPath = ("pledges", i)
        nation = next((n for n in self.model.nations if n.id == p.nation), None)
        if nation is None:
            self.problem((*path, "nation"),
                         f"unknown nation {p.nation!r}{hint(p.nation, [n.id for n in self.model.nations])}")
        elif not nation.pledge_in_advance:
            self.problem((*path, "nation"),
                         f"{p.nation} does not pledge in advance (pledge_in_advance = false); "
                         "its commitments are made in real time")
        return PledgeInfo(p.id, p.nation, p.name, p.text,
                          self.expression((*path, "trigger"), p.trigger, "bool"),
                          self.effects((*path, "effects"), p.effects))

    def build_outcomes(self) -> tuple[OutcomeInfo, ...]:
        """Outcomes, each group (before the live crisis, during it) checked for outcomes that an
        earlier one always pre-empts."""
        out = []
        always_during: dict[bool, str] = {}
        always_at_end: dict[bool, str] = {}
        for i, o in enumerate(self.model.outcomes):
            path: KeyPath = ("outcomes", i, "when")
            when = self.expression(path, o.when, "bool")
            if o.live and self.model.live_crisis is None:
                self.problem(("outcomes", i, "live"), "a live outcome needs a [live_crisis]")
            if path in self.broken:
                pass
            elif when.bounds[1] == 0:
                self.problem(path, f"outcome {o.id!r} can never happen: {o.when!r} is never true")
            elif o.live in always_during or (o.at_end and o.live in always_at_end):
                earlier = always_during.get(o.live) or always_at_end[o.live]
                self.problem(path, f"outcome {o.id!r} can never happen: outcome {earlier!r} "
                                   "before it always fires first")
            if when.bounds[0] == 1:
                group = always_at_end if o.at_end else always_during
                group.setdefault(o.live, o.id)
            out.append(OutcomeInfo(o.id, o.title, o.text, when, o.at_end, o.live, tuple(o.questions)))
        if self.model.live_crisis is not None and not any(o.live for o in self.model.outcomes):
            self.problem(("live_crisis",), "a live crisis needs outcomes with live = true to end it")
        return tuple(out)


def build(model: ScenarioModel, path: str, sha256: str) -> tuple[Scenario | None, list[tuple[KeyPath, str]]]:
    """Compile a model; return the scenario (or None) and every problem found."""
    builder = _Builder(model)
    scenario = builder.build(path, sha256)
    return scenario, builder.problems
