"""The facts of a played game, for the after-action report: plain data that the Markdown and the
HTML renderers (report_md, report_html) only lay out.

Everything here comes from the record and the scenario it was played with: the timeline is the
recorded events, grouped by what caused them; the track series are the states rebuilt turn by
turn (turn 0 is the state before the first turn); turning points are the largest single-turn
moves of the global tracks (the sum of the recorded effects); expected versus actual compares a
fired inject's declared `expected` responses with what the nation chose that turn and the next.

No formatting and no rich here: text from the scenario and the record is kept as written, and
each renderer escapes it for its own format.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from wargame.engine.events import Event
from wargame.engine.negotiation import Message, offers_kept
from wargame.engine.objectives import Verdict, assess
from wargame.engine.state import State, initial_state
from wargame.record.reader import Record
from wargame.record.verify import PlayedTurn
from wargame.scenario.scenario import OptionInfo, Scenario, TrackInfo, rung

SPARKS = "▁▂▃▄▅▆▇█"
TURNING_POINTS = 5

# events that are structure, not content: the timeline's sections stand for them
_STRUCTURE = {"turn_start", "turn_end", "game_end"}


def num(value: float) -> str:
    """3, 2.5, -1: a track value as people write it."""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.1f}"


def signed(value: float) -> str:
    value = float(value)
    return f"{value:+.0f}" if value.is_integer() else f"{value:+.1f}"


def pct(chance: float) -> str:
    return f"{min(max(chance, 0.0), 1.0) * 100:.0f}%"


# ------------------------------------------------------------------ the facts


@dataclass(frozen=True)
class Change:
    """One recorded effect: a track or a flag, from before to after, and why."""

    target: str
    label: str  # "Escalation", "Domestic support (Japan)", a flag's name
    before: Any
    after: Any
    reason: str
    flag: bool  # a flag (set / cleared) rather than a track
    held: str = ""  # " (held at max 10)" when the engine clamped it

    @property
    def delta(self) -> float:
        if self.flag:
            return 0.0
        try:
            return float(self.after) - float(self.before)
        except (TypeError, ValueError):
            return 0.0

    def describe(self) -> str:
        """"Escalation +1 → 5", "Quarantine of Taiwan declared: set"."""
        if self.flag:
            return f"{self.label}: {'set' if self.after else 'cleared'}"
        try:
            return f"{self.label} {signed(self.delta)} → {num(float(self.after))}{self.held}"
        except (TypeError, ValueError):
            return f"{self.label}: {self.after}"


@dataclass(frozen=True)
class InjectFact:
    id: str
    title: str
    text: str
    changes: tuple[Change, ...]
    by: str = ""  # "facilitator" when the facilitator fired it


@dataclass(frozen=True)
class DecisionFact:
    nation: str
    nation_name: str
    option: str
    option_name: str  # in full: a debrief names the role a nation defined privately
    category: str  # "" when the option's name already says it
    by: str  # human, bot, script, default
    note: str  # the rationale: a person's "why", a script's note, the bot's reasoning
    results: tuple[str, ...]  # approval and chance results, in order
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Remark:
    """A facilitator's action (its text names the facilitator), a comment, or an event of a
    kind this version does not know (shown by its text), with what followed from it."""

    kind: str  # "facilitator", "comment", or the unknown kind
    heading: str  # "Comment (Japan)", the unknown kind; "" for a facilitator action
    text: str
    results: tuple[str, ...] = ()  # a proposal's roll
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class MessageFact:
    """A message of the negotiation phase: its line, what a signal changed, and for an offer
    what became of it ("kept", "broken", "not taken up"; "" for other messages)."""

    nation_name: str
    kind: str  # statement, private, offer, signal
    text: str  # the event's line: who said what to whom
    changes: tuple[Change, ...] = ()
    offer: str = ""


@dataclass(frozen=True)
class Move:
    """A track's net change over one turn, from the rebuilt states."""

    name: str
    label: str
    before: float
    after: float
    higher_is: str

    @property
    def delta(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class TurnFacts:
    number: int
    label: str
    injects: tuple[InjectFact, ...]
    missed: tuple[str, ...]  # titles of injects that were due but did not happen (their roll failed)
    decisions: tuple[DecisionFact, ...]
    events: tuple[str, ...]  # requests, answers, pledges: their one-line texts
    changes: tuple[Change, ...]  # effects caused by neither an inject nor a decision (pledges, ...)
    remarks: tuple[Remark, ...]
    moves: tuple[Move, ...]  # every track that ended the turn elsewhere than it began
    outcome: str | None  # the outcome's title when the game ended this turn
    messages: tuple[MessageFact, ...] = ()  # the negotiation phase, in the order sent


@dataclass(frozen=True)
class Series:
    """A track's course: its value before the first turn (index 0) and after each turn."""

    name: str
    title: str
    nation: str | None  # the nation's name for a nation track
    lo: int
    hi: int
    higher_is: str
    ladder: bool
    thresholds: tuple[tuple[int, str], ...]
    values: tuple[float, ...]

    @property
    def label(self) -> str:
        return f"{self.title} ({self.nation})" if self.nation else self.title

    def sparkline(self) -> str:
        """▁▂▃▄▅▆▇█, one a value, scaled to the track's whole range (not the values')."""
        span = self.hi - self.lo
        out = []
        for v in self.values:
            frac = (v - self.lo) / span if span else 0.0
            out.append(SPARKS[round(min(max(frac, 0.0), 1.0) * (len(SPARKS) - 1))])
        return "".join(out)

    def rung(self, value: float) -> str | None:
        return rung(self.thresholds, value)


@dataclass(frozen=True)
class TurningPoint:
    turn: int
    label: str  # the turn's label
    track: str
    title: str
    before: float
    after: float
    delta: float
    higher_is: str
    reasons: tuple[tuple[float, str], ...]  # (net change, reason), in the order they happened

    @property
    def better(self) -> bool:
        return (self.delta > 0) == (self.higher_is == "better")


@dataclass(frozen=True)
class ExpectedCheck:
    turn: int
    label: str
    inject: str  # the inject's title
    nation: str
    nation_name: str
    expected: tuple[str, ...]  # option names
    note: str
    chosen: tuple[tuple[str, str, bool], ...]  # (turn label, option name, one of the expected)
    window: tuple[str, ...]  # the labels of the turns looked at

    @property
    def verdict(self) -> str:
        """"as expected", "otherwise", or "no decision" (the game ended first)."""
        if any(hit for _, _, hit in self.chosen):
            return "as expected"
        return "otherwise" if self.chosen else "no decision"

    def actual(self) -> str:
        """"as expected: Share maritime surveillance (Week 2)" or "otherwise: chose …"."""
        if not self.chosen:
            return "no decision: the game ended first"
        hits = [(turn, name) for turn, name, hit in self.chosen if hit]
        if hits:
            turn, name = hits[0]
            return f"as expected: {name} ({turn})"
        return "otherwise: chose " + "; ".join(f"{name} ({turn})" for turn, name, _ in self.chosen)


@dataclass(frozen=True)
class DelegationFacts:
    """A delegation's objectives at the end: "achieved", "partly" or "not", each with its name."""

    nation: str
    nation_name: str
    verdict: str
    objectives: tuple[tuple[str, str], ...]  # (verdict, objective name)

    @property
    def words(self) -> str:
        return Verdict(self.verdict).words


@dataclass(frozen=True)
class Seat:
    nation: str
    name: str
    seat: str  # human, bot, script


@dataclass(frozen=True)
class ReportData:
    log: str  # the record's path as given
    marking: str
    scenario_id: str
    title: str
    summary: str
    sources: tuple[str, ...]
    scenario_sha256: str
    seed: int
    engine: str
    started: str
    seats: tuple[Seat, ...]
    parent: str  # "" or "branched from LOG after Week N"
    finished: bool
    outcome_id: str | None
    outcome_title: str
    outcome_text: str
    turns_played: int
    turns_total: int
    turns: tuple[TurnFacts, ...]
    series: tuple[Series, ...]
    turning_points: tuple[TurningPoint, ...]
    expected: tuple[ExpectedCheck, ...]
    expected_unfired: tuple[str, ...]  # titles of injects with expectations that never fired
    dropped: tuple[str, ...]  # what the reader left off the end of the record
    facilitated: bool = False  # the facilitator acted during the game
    variants: tuple[tuple[str, str], ...] = ()  # (id, title) of the variants the game was played under
    personas: tuple[tuple[str, str], ...] = ()  # (nation id, persona id) of the bots
    delegations: tuple[DelegationFacts, ...] = ()  # objectives, judged on the turns played
    questions: tuple[str, ...] = ()  # the outcome's discussion questions, for the hot wash

    @property
    def all_bots(self) -> bool:
        return bool(self.seats) and all(s.seat == "bot" for s in self.seats)

    @property
    def repeatable_by_auto(self) -> bool:
        """`wargame play --auto --seed N` plays this very game: every seat was the computer's,
        it is no branch and no facilitator stepped in."""
        return self.all_bots and not self.parent and not self.facilitated

    def reproduce(self) -> list[tuple[str, str]]:
        """(command, what it does) to check and repeat the game."""
        log = shlex.quote(self.log)
        out = [(f"wargame replay {log} --verify",
                "re-adjudicates the game from the scenario, the seed and the recorded decisions and "
                "checks every event and state digest"),
               (f"wargame replay {log}", "shows the situation board after each turn")]
        if self.repeatable_by_auto:
            extra = "".join(f" --variant {shlex.quote(v)}" for v, _ in self.variants)
            extra += "".join(f" --persona {shlex.quote(f'{n}={p}')}" for n, p in self.personas)
            out.append((f"wargame play {shlex.quote(self.scenario_id)} --auto --seed {self.seed}{extra}",
                        "plays the same game again: every seat was played by the computer"))
        return out


# ------------------------------------------------------------------ building them


def build_report(scenario: Scenario, record: Record, turns: Sequence[PlayedTurn]) -> ReportData:
    """The report's facts from a record, its scenario and the turns rebuilt from them
    (`wargame.record.verify.timeline`)."""
    header = record.header
    initial = initial_state(scenario, record.seed)
    states = [initial, *(t.state for t in turns)]
    series = tuple(_series(scenario, track, states) for track in scenario.tracks)
    facts = tuple(_turn(scenario, t, before) for t, before in zip(turns, states, strict=False))
    outcome = record.outcome()
    outcome_id = outcome.data.get("outcome") if outcome is not None else None
    info = next((o for o in scenario.outcomes if o.id == outcome_id), None)
    if outcome is None:
        title, text = "Unfinished", (f"The record ends after {turns[-1].label}; "
                                     "the game was not finished." if turns else "No turn was played.")
    elif info is not None:
        title, text = info.title, info.text
    else:  # the facilitator's ending, or an outcome the scenario no longer has
        title, text = str(outcome.data.get("title") or outcome.text), str(outcome.data.get("detail") or "")
    seats = tuple(Seat(n.id, n.name, str(record.seats.get(n.id, "—"))) for n in scenario.nations
                  if n.id in record.seats)
    parent = header.get("parent")
    parent_text = ""
    if isinstance(parent, dict):
        after = parent.get("turn")
        where = scenario.turn_label(after) if isinstance(after, int) and after > 0 else "the start"
        parent_text = f"branched from {parent.get('log', '?')} after {where}"
    checks, unfired = _expected(scenario, turns)
    return ReportData(
        log=record.path,
        marking=str(header.get("marking") or scenario.model.marking),
        scenario_id=scenario.id,
        title=str(header.get("title") or scenario.title),
        summary=scenario.model.summary,
        sources=tuple(s.title for s in scenario.model.sources),
        scenario_sha256=str(header.get("scenario_sha256") or scenario.sha256),
        seed=record.seed,
        variants=tuple((v.id, v.title) for vid in scenario.variants for v in scenario.model.variants if v.id == vid),
        personas=tuple(record.personas.items()),
        engine=str(header.get("engine", "?")),
        started=str(header.get("started", "?")),
        seats=seats,
        parent=parent_text,
        finished=record.finished,
        outcome_id=str(outcome_id) if outcome_id is not None else None,
        outcome_title=title,
        outcome_text=text,
        turns_played=len(turns),
        turns_total=scenario.turns,
        turns=facts,
        series=series,
        turning_points=turning_points(scenario, turns, states),
        expected=checks,
        expected_unfired=unfired,
        dropped=tuple(record.dropped),
        facilitated=any(e.kind == "facilitator" for t in turns for e in t.events),
        delegations=tuple(
            DelegationFacts(r.nation, _nation_name(scenario, r.nation), r.verdict.value,
                            tuple((o.verdict.value, o.objective.name) for o in r.objectives))
            for r in assess(scenario, states[1:])),
        questions=info.questions if info is not None else (),
    )


def _label(scenario: Scenario, name: str) -> tuple[str, bool]:
    """A person's name for a track or flag, and whether it is a flag."""
    slot = scenario.names.get(name)
    track = scenario.track_by_slot.get(slot.index) if slot is not None else None
    if track is not None:
        return _track_label(scenario, track), False
    for flag in scenario.model.flags:
        if flag.id == name:
            return flag.name, True
    return name, slot is not None and slot.kind == "bool"


def _track_label(scenario: Scenario, track: TrackInfo) -> str:
    if track.nation is None:
        return track.title
    return f"{track.title} ({_nation_name(scenario, track.nation)})"


def _nation_name(scenario: Scenario, nation_id: str) -> str:
    index = scenario.nation_index.get(nation_id)
    return scenario.nations[index].name if index is not None else nation_id


def _option_name(scenario: Scenario, option_id: str) -> str:
    option: OptionInfo | None = scenario.options.get(option_id)
    return option.name if option is not None else option_id


def _change(scenario: Scenario, ev: Event) -> Change:
    target = str(ev.data.get("target", ""))
    label, flag = _label(scenario, target)
    before, after = ev.data.get("before"), ev.data.get("after")
    flag = flag or isinstance(after, bool)
    reason = str(ev.data.get("reason") or "")
    marker = f": {reason}"
    at = ev.text.find(marker)
    rest = ev.text[at + len(marker):] if at >= 0 else ""
    held = rest if rest.startswith(" (held at") else ""
    return Change(target, label, before, after, reason, flag, held)


def _roll(ev: Event) -> str:
    chance, roll = ev.data.get("chance"), ev.data.get("roll")
    if not isinstance(chance, int | float) or isinstance(chance, bool):
        return ""
    if not isinstance(roll, int | float) or isinstance(roll, bool):
        return "no chance"
    return f"rolled {roll * 100:.0f} against {pct(chance)}"


@dataclass
class _Open:
    """A fact being gathered: what it is, and the results and changes that follow it."""

    event: Event
    results: list[str]
    changes: list[Change]


def _turn(scenario: Scenario, view: PlayedTurn, before: State) -> TurnFacts:
    """Group a turn's events by what caused them. Every effect, roll and approval follows its
    cause in the record (an inject, a decision, a facilitator action), so one pass suffices."""
    events = view.events
    injects: list[_Open] = []
    inject_by_id: dict[str, _Open] = {}
    decisions: dict[tuple[str, str], _Open] = {}
    remarks: list[tuple[Remark, _Open | None]] = []
    acting: _Open | None = None  # the facilitator action whose results are being read
    missed: list[str] = []
    lines: list[str] = []
    loose: list[Change] = []
    messages: list[_Open] = []
    # (sender, signal id) -> its messages this turn whose effects have not begun to land, in order;
    # and the landing being read: its message and the index in the signal's effects reached
    signalled: dict[tuple[str, str], list[_Open]] = {}
    landing: dict[tuple[str, str], tuple[_Open, int]] = {}
    outcome = None
    for i, ev in enumerate(events):
        data = ev.data
        key = (str(data.get("nation")), str(data.get("option")))
        if ev.kind in ("turn_start", "decision"):
            acting = None
        if ev.kind in _STRUCTURE:
            if ev.kind == "game_end":
                outcome = str(data.get("title") or ev.text)
        elif ev.kind == "inject":
            fact = _Open(ev, [], [])
            injects.append(fact)
            inject_by_id[str(data.get("inject"))] = fact
        elif ev.kind == "decision":
            decisions[key] = _Open(ev, [], [])
        elif ev.kind == "chance":
            roll = _roll(ev)
            said = ("succeeded" if data.get("success") else "failed") + (f" ({roll})" if roll else "")
            following = events[i + 1] if i + 1 < len(events) else None
            if "inject" in data:
                if not data.get("success"):
                    missed.append(_inject_title(scenario, str(data["inject"]), ev))
            elif following is not None and following.kind == "approval":
                continue  # the approval's roll, told with the approval
            elif acting is not None:
                acting.results.append(said)
            elif key in decisions:
                decisions[key].results.append(said)
            else:
                lines.append(ev.text)
        elif ev.kind == "approval":
            body = str(data.get("body") or "Approval")
            said = f"{body} {'approved' if data.get('passed') else 'rejected'} it"
            previous = events[i - 1] if i > 0 else None
            if previous is not None and previous.kind == "chance" and "inject" not in previous.data:
                roll = _roll(previous)
                said += f" ({roll})" if roll else ""
            if key in decisions:
                decisions[key].results.append(said)
            else:
                lines.append(ev.text)
        elif ev.kind == "effect":
            change = _change(scenario, ev)
            inject = data.get("inject")
            if inject is not None and str(inject) in inject_by_id:
                inject_by_id[str(inject)].changes.append(change)
            elif acting is not None:
                acting.changes.append(change)
            elif (landed := _landing(scenario, ev, signalled, landing)) is not None:  # a signal landing
                landed.changes.append(change)
            elif key in decisions:
                decisions[key].changes.append(change)
            else:
                loose.append(change)
        elif ev.kind == "message":
            acting = _Open(ev, [], [])
            messages.append(acting)
            if data.get("signal") is not None:
                signalled.setdefault((str(data.get("nation")), str(data.get("signal"))), []).append(acting)
        elif ev.kind == "facilitator":
            acting = _Open(ev, [], [])
            text = ev.text
            for extra in (data.get("detail"), data.get("reason")):
                said = str(extra or "").strip()
                if said and said not in text:
                    text = f"{text} — {said}"
            remarks.append((Remark("facilitator", "", text), acting))
        elif ev.kind == "comment":
            by = str(data.get("by") or data.get("nation") or "").strip()
            heading = f"Comment ({_nation_name(scenario, by)})" if by else "Comment"
            remarks.append((Remark("comment", heading, str(data.get("text") or ev.text)), None))
        elif ev.kind == "posture" and key in decisions:
            decisions[key].results.append(f"posture: {data.get('posture')}")
        elif ev.kind in ("request", "role", "pledge_made", "pledge_fired", "posture", "response", "live_crisis"):
            lines.append(ev.text)
        else:  # a kind this version does not know: its text says what it was
            remarks.append((Remark(ev.kind, ev.kind.replace("_", " ").capitalize(), ev.text), None))
    inject_facts = tuple(
        InjectFact(str(f.event.data.get("inject")), str(f.event.data.get("title") or f.event.text),
                   _inject_text(scenario, str(f.event.data.get("inject"))), tuple(f.changes),
                   str(f.event.data.get("by") or ""))
        for f in injects)
    decision_facts = tuple(
        DecisionFact(
            nation=str(f.event.data.get("nation")),
            nation_name=_nation_name(scenario, str(f.event.data.get("nation"))),
            option=str(f.event.data.get("option")),
            option_name=_option_name(scenario, str(f.event.data.get("option"))),
            category=_category(scenario, str(f.event.data.get("option"))),
            by=str(f.event.data.get("by") or "—"),
            note=str(f.event.data.get("note") or ""),
            results=tuple(f.results),
            changes=tuple(f.changes),
        )
        for f in decisions.values())
    remark_facts = tuple(
        replace(r, results=tuple(o.results), changes=tuple(o.changes)) if o is not None else r
        for r, o in remarks)
    chosen = {d.nation: d.option for d in decision_facts}
    message_facts = tuple(_message(scenario, f, chosen) for f in messages)
    return TurnFacts(view.number, view.label, inject_facts, tuple(missed), decision_facts, tuple(lines),
                     tuple(loose), remark_facts, _moves(scenario, before, view.state), outcome, message_facts)


def _landing(scenario: Scenario, ev: Event, signalled: dict[tuple[str, str], list[_Open]],
             landing: dict[tuple[str, str], tuple[_Open, int]]) -> _Open | None:
    """The signal message an `effect` event of a signal landing belongs to, or None (not a
    signal's effect, or no message sent it). The signals sent in a turn land at its
    adjudication in the order they were sent, each applying its effects in the scenario's order
    (a change to nothing is left out), so the same signal sent twice is matched in order: an
    effect that cannot follow the last one matched in the signal's list begins the next landing."""
    key = (str(ev.data.get("nation")), str(ev.data.get("signal")))
    signal = scenario.signals.get(key[1])
    if signal is None or (key not in signalled and key not in landing):
        return None
    targets = [e.target for e in signal.effects]
    target = ev.data.get("target")
    current = landing.get(key)
    if current is not None:
        later = [j for j in range(current[1] + 1, len(targets)) if targets[j] == target]
        if later:
            landing[key] = (current[0], later[0])
            return current[0]
    waiting = signalled.get(key) or []
    if not waiting:  # more effects than messages: the last landing's
        return current[0] if current is not None else None
    fact = waiting.pop(0)
    landing[key] = (fact, targets.index(target) if target in targets else 0)
    return fact


def _message(scenario: Scenario, fact: _Open, chosen: dict[str, str]) -> MessageFact:
    message = Message.from_data(fact.event.data)
    kept = offers_kept([message], chosen) if message.kind == "offer" and chosen else []
    return MessageFact(_nation_name(scenario, message.sender), message.kind, fact.event.text,
                       tuple(fact.changes), kept[0][1] if kept else "")


def _inject_title(scenario: Scenario, inject_id: str, ev: Event) -> str:
    info = next((i for i in scenario.injects if i.id == inject_id), None)
    if info is not None:
        return info.title
    subject = ev.data.get("subject")
    return str(subject) if subject else inject_id


def _inject_text(scenario: Scenario, inject_id: str) -> str:
    info = next((i for i in scenario.injects if i.id == inject_id), None)
    return info.text if info is not None else ""


def _category(scenario: Scenario, option_id: str) -> str:
    """The option's role category, unless its name already says it."""
    option = scenario.options.get(option_id)
    if option is None or option.name.endswith(option.category_name):
        return ""
    return option.category_name


def _moves(scenario: Scenario, before: State, after: State) -> tuple[Move, ...]:
    out = []
    for track in scenario.tracks:
        a, b = before.values[track.slot], after.values[track.slot]
        if a != b:
            out.append(Move(track.name, _track_label(scenario, track), float(a), float(b), track.higher_is))
    return tuple(out)


def _series(scenario: Scenario, track: TrackInfo, states: Sequence[State]) -> Series:
    return Series(
        name=track.name, title=track.title,
        nation=_nation_name(scenario, track.nation) if track.nation else None,
        lo=track.lo, hi=track.hi, higher_is=track.higher_is, ladder=track.ladder,
        thresholds=track.thresholds,
        values=tuple(float(s.values[track.slot]) for s in states),
    )


def turning_points(scenario: Scenario, turns: Sequence[PlayedTurn], states: Sequence[State],
                   limit: int = TURNING_POINTS) -> tuple[TurningPoint, ...]:
    """The largest single-turn moves of the global tracks: the sum of a turn's recorded effects
    on the track, largest first (the escalation ladder first among equals, then the earliest,
    then in the scenario's track order)."""
    order = {t.name: i for i, t in enumerate(scenario.tracks)}
    found: list[tuple[float, bool, int, int, TurningPoint]] = []
    for view, before in zip(turns, states, strict=False):
        for track in scenario.tracks:
            if track.nation is not None:
                continue
            reasons: dict[str, float] = {}
            total = 0.0
            for ev in view.events:
                if ev.kind != "effect" or ev.data.get("target") != track.name:
                    continue
                change = _change(scenario, ev)
                if not change.delta:
                    continue
                total += change.delta
                reason = change.reason or ev.text
                reasons[reason] = reasons.get(reason, 0.0) + change.delta
            if not total:
                continue
            point = TurningPoint(
                turn=view.number, label=view.label, track=track.name, title=track.title,
                before=float(before.values[track.slot]), after=float(view.state.values[track.slot]),
                delta=total, higher_is=track.higher_is,
                reasons=tuple((d, r) for r, d in reasons.items() if d),
            )
            found.append((-abs(total), not track.ladder, view.number, order[track.name], point))
    found.sort(key=lambda row: row[:4])
    return tuple(row[4] for row in found[:limit])


def _expected(scenario: Scenario, turns: Sequence[PlayedTurn]) -> tuple[tuple[ExpectedCheck, ...], tuple[str, ...]]:
    """Each fired inject's expected responses against the nation's decisions in the turn it
    fired and the next; and the injects with expectations that never fired."""
    injects = {i.id: i for i in scenario.injects if i.expected}
    decided: dict[int, Mapping[str, str]] = {
        t.number: {str(e.data.get("nation")): str(e.data.get("option")) for e in t.events if e.kind == "decision"}
        for t in turns}
    labels = {t.number: t.label for t in turns}
    checks: list[ExpectedCheck] = []
    fired: set[str] = set()
    for view in turns:
        for ev in view.events:
            info = injects.get(str(ev.data.get("inject"))) if ev.kind == "inject" else None
            if info is None:
                continue
            fired.add(info.id)
            window = [n for n in (view.number, view.number + 1) if n in decided]
            for exp in info.expected:
                chosen = tuple((labels[n], _option_name(scenario, decided[n][exp.nation]),
                                decided[n][exp.nation] in exp.options)
                               for n in window if exp.nation in decided[n])
                checks.append(ExpectedCheck(
                    turn=view.number, label=view.label, inject=info.title, nation=exp.nation,
                    nation_name=_nation_name(scenario, exp.nation),
                    expected=tuple(_option_name(scenario, o) for o in exp.options),
                    note=exp.note, chosen=chosen, window=tuple(labels[n] for n in window)))
    unfired = tuple(i.title for i in injects.values() if i.id not in fired)
    return tuple(checks), unfired


def changes_text(changes: Iterable[Change]) -> str:
    """"Escalation +1 → 5, Logistics readiness −1 → 3" (held effects say so)."""
    return ", ".join(c.describe() for c in changes)
