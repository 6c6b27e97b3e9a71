"""The facts of a played game, for the after-action report: plain data that the Markdown and the
HTML renderers (report_md, report_html) only lay out, and the few number formats they share.

`wargame.view.report_data.build_report` gathers them from a record; `report_turns` groups one
turn's events. No formatting and no rich here: text from the scenario and the record is kept as
written, and each renderer escapes it for its own format.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from wargame.engine.objectives import Verdict
from wargame.scenario.scenario import rung

SPARKS = "▁▂▃▄▅▆▇█"


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

    @property
    def chief_reason(self) -> str:
        """The reason that moved the track most this turn ("" when none is recorded)."""
        return max(self.reasons, key=lambda r: abs(r[0]))[1] if self.reasons else ""


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
    def played(self) -> str:
        """"4 of 6", with " (unfinished)" when the game was not finished."""
        return f"{self.turns_played} of {self.turns_total}" + ("" if self.finished else " (unfinished)")

    def overview(self, esc: Callable[[object], str], code: Callable[[str], str],
                 digest: Callable[[str], str]) -> list[tuple[str, str]]:
        """The overview's facts as (label, value) rows, the values made by the renderer's own
        functions: `esc` escapes text, `code` sets a name or a path as code, `digest` the sha256."""
        rows = [
            ("Scenario", f"{esc(self.title)} ({code(self.scenario_id)})"),
            ("Record", code(self.log)),
            ("Seats", ", ".join(f"{esc(s.name)} ({esc(s.seat)})" for s in self.seats) or "—"),
            ("Seed", str(self.seed)),
            ("Scenario sha256", digest(self.scenario_sha256)),
            ("Engine", f"wargame {esc(self.engine)}"),
            ("Started", esc(self.started)),
            ("Turns played", self.played),
        ]
        if self.variants:
            rows.append(("Variants", esc("; ".join(title for _, title in self.variants))))
        if self.personas:
            rows.append(("Personas", esc(", ".join(f"{n}={p}" for n, p in self.personas))))
        if self.parent:
            rows.append(("Branch", esc(self.parent)))
        return rows

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


def changes_text(changes: Iterable[Change]) -> str:
    """"Escalation +1 → 5, Logistics readiness −1 → 3" (held effects say so)."""
    return ", ".join(c.describe() for c in changes)
