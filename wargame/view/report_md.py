"""The after-action report as Markdown: `wargame report LOG --format md`.

HSEEP-style: the exercise marking at top and bottom; an overview with everything needed to
reproduce the game (scenario, seats, seed, scenario sha256, engine); the outcome; a section per
turn with injects, decisions (with their rationale), their results and facilitator remarks; each
track's course as a sparkline with its numbers; the turning points; expected versus actual
responses to injects; how to reproduce.

Text from the scenario and the record is escaped so it reads as written and never as Markdown
or HTML. The `Started:` line is the only one that differs between two reports of the same game.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from wargame.view.report_facts import (
    ReportData,
    Series,
    TurnFacts,
    changes_text,
    num,
    signed,
)

__all__ = ["render_md", "esc"]

_SPECIAL = re.compile(r"[\\`*\[\]<|~]")
_LONE_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
_LINE_START = re.compile(r"^(\s*)([#+=>-]|\d+[.)])")


def esc(text: object) -> str:
    """Scenario or record text as one line of literal Markdown: every character that could
    start emphasis, a link, code, a table cell or HTML is escaped; line breaks become spaces."""
    flat = " ".join(str(text).split())
    flat = _SPECIAL.sub(lambda m: "\\" + m.group(0), flat)
    return _LONE_UNDERSCORE.sub(r"\\_", flat)


def para(text: object) -> str:
    """Like `esc`, for text that starts a line: a leading `#`, `-`, `>`, `1.` … is not a heading,
    a list or a quote."""
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), esc(text), count=1)


def code(text: str) -> str:
    """An inline code span that holds `text` whatever backticks it contains."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def code_block(lines: Iterable[str]) -> list[str]:
    body = list(lines)
    longest = max((len(run) for line in body for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + "sh", *body, fence]


def _sentence(text: str) -> str:
    """`text`, ending with a full stop unless it already ends with some punctuation."""
    return text if not text or text[-1] in ".!?:;)" else text + "."


def render_md(data: ReportData) -> str:
    out: list[str] = [f"**{esc(data.marking)}**", "", f"# After-action report: {esc(data.title)}", ""]
    out += _summary(data)
    out += _overview(data)
    out += _timeline(data)
    out += _tracks(data)
    out += _turning_points(data)
    out += _expected(data)
    out += _reproduce(data)
    out += [f"**{esc(data.marking)}**"]
    return "\n".join(out) + "\n"


MARKS = {"achieved": "✓", "partly": "~", "not": "✗"}
SUMMARY_POINTS = 3


def _summary(d: ReportData) -> list[str]:
    """The one-page summary a debrief opens with: the outcome, each delegation's objectives,
    the three largest turning points and the outcome's questions for the hot wash."""
    told = f" {esc(d.outcome_text)}" if d.outcome_text else ""
    out = ["## Summary", "", f"**Outcome: {esc(d.outcome_title)}.**{told}", ""]
    if d.delegations:
        out += ["**Delegations' objectives** (✓ achieved, ~ partly, ✗ not):", ""]
        for g in d.delegations:
            items = "; ".join(f"{MARKS[v]} {esc(name)}" for v, name in g.objectives)
            out.append(f"- **{esc(g.nation_name)}: {g.words}** — {items}")
        out.append("")
    if d.turning_points:
        out += ["**Turning points:**", ""]
        for i, p in enumerate(d.turning_points[:SUMMARY_POINTS], start=1):
            why = p.chief_reason
            out.append(f"{i}. {esc(p.label)}: {esc(p.title)} {signed(p.delta)} ({num(p.before)} → {num(p.after)})"
                       + (f", chiefly: {esc(why)}" if why else ""))
        out.append("")
    if d.questions:
        out += ["**Questions for the hot wash:**", ""] + [f"- {esc(q)}" for q in d.questions] + [""]
    return out


def _overview(d: ReportData) -> list[str]:
    out = ["## Overview", ""]
    out += [f"- **{label}:** {value}" for label, value in d.overview(esc, code, code)]
    out += ["", f"**Outcome: {esc(d.outcome_title)}.**" + (f" {esc(d.outcome_text)}" if d.outcome_text else ""), ""]
    if d.summary:
        out += ["### Scenario", "", para(d.summary), ""]
    if d.sources:
        out += ["Sources:", ""] + [f"- {esc(s)}" for s in d.sources] + [""]
    for note in d.dropped:
        out += [f"> Note: the record's end was left off: {esc(note)}", ""]
    return out


def _timeline(d: ReportData) -> list[str]:
    out = ["## Timeline", ""]
    if not d.turns:
        return [*out, "No turn was played.", ""]
    for turn in d.turns:
        out += _turn(turn)
    return out


def _turn(t: TurnFacts) -> list[str]:
    out = [f"### {esc(t.label)}", ""]
    if t.messages:
        out += ["**Negotiation**", ""]
        for m in t.messages:
            line = f"- {esc(m.text)}"
            if m.offer:
                line += f" — *{m.offer}*"
            if m.changes:
                line += f" *Effects:* {esc(changes_text(m.changes))}."
            out.append(line)
        out.append("")
    out += ["**Injects**", ""]
    if t.injects:
        for inj in t.injects:
            line = f"- **{esc(inj.title)}**"
            if inj.by == "facilitator":
                line += " (fired by the facilitator)"
            if inj.text:
                line += f" — {_sentence(esc(inj.text))}"
            if inj.changes:
                line += f" *Effects:* {esc(changes_text(inj.changes))}."
            out.append(line)
    else:
        out.append("- None.")
    if t.missed:
        out.append(f"- Due but did not happen: {'; '.join(esc(m) for m in t.missed)}.")
    out += ["", "**Decisions**", ""]
    if not t.decisions:
        out.append("- None recorded.")
    for dec in t.decisions:
        tag = "; ".join(x for x in (esc(dec.category), esc(dec.by)) if x)
        out.append(f"- **{esc(dec.nation_name)}:** {esc(dec.option_name)} ({tag})")
        if dec.results:
            out.append(f"  - Result: {'; '.join(esc(r) for r in dec.results)}")
        if dec.changes:
            out.append(f"  - Effects: {esc(changes_text(dec.changes))}")
        if dec.note:
            out.append(f"  - Rationale: {esc(dec.note)}")
    out.append("")
    if t.events or t.changes:
        out += ["**Other events**", ""]
        out += [f"- {esc(line)}" for line in t.events]
        out += [f"- {esc(c.describe())}: {esc(c.reason)}" if c.reason else f"- {esc(c.describe())}"
                for c in t.changes]
        out.append("")
    if t.remarks:
        out += ["**Facilitator and comments**", ""]
        for r in t.remarks:
            line = f"- **{esc(r.heading)}:** {esc(r.text)}" if r.heading else f"- {esc(r.text)}"
            if r.results:
                line += f" — result: {'; '.join(esc(x) for x in r.results)}."
            if r.changes:
                line = f"{_sentence(line)} *Effects:* {esc(changes_text(r.changes))}."
            out.append(line)
        out.append("")
    if t.moves:
        moves = "; ".join(f"{esc(m.label)} {num(m.before)} → {num(m.after)}" for m in t.moves)
        out += [f"*Tracks over the turn:* {moves}.", ""]
    else:
        out += ["*Tracks over the turn:* no change.", ""]
    if t.outcome:
        out += [f"**The game ended: {esc(t.outcome)}.**", ""]
    return out


def _tracks(d: ReportData) -> list[str]:
    span = (f"Each course runs from the start (before the first turn) to the end of {esc(d.turns[-1].label)}"
            if d.turns else "No turn was played: each course is its starting value")
    out = ["## Tracks", "",
           f"{span}, scaled to the track's whole range: ▁ is its minimum, █ its maximum.", "",
           "| Track | Range | Course | Values | Start → end |",
           "|---|---|---|---|---|"]
    for s in d.series:
        out.append(f"| {_series_name(s)} | {s.lo}–{s.hi} | {s.sparkline()} | "
                   f"{', '.join(num(v) for v in s.values)} | {_start_end(s)} |")
    return [*out, ""]


def _series_name(s: Series) -> str:
    tags = ["escalation ladder"] if s.ladder else []
    tags.append(f"higher is {s.higher_is}")
    return f"{esc(s.label)} ({', '.join(tags)})"


def _start_end(s: Series) -> str:
    first, last = s.values[0], s.values[-1]
    rung = s.rung(last)
    return f"{num(first)} → {num(last)}" + (f" ({esc(rung)})" if rung else "")


def _turning_points(d: ReportData) -> list[str]:
    out = ["## Turning points", "",
           "The largest single-turn moves of the global tracks, with what moved them.", ""]
    if not d.turning_points:
        return [*out, "No global track moved.", ""]
    for i, p in enumerate(d.turning_points, start=1):
        reasons = "; ".join(f"{signed(delta)} {esc(reason)}" for delta, reason in p.reasons)
        out.append(f"{i}. **{esc(p.label)} — {esc(p.title)} {signed(p.delta)}** "
                   f"({num(p.before)} → {num(p.after)}, {'better' if p.better else 'worse'}): {reasons}")
    return [*out, ""]


def _expected(d: ReportData) -> list[str]:
    out = ["## Expected versus actual", ""]
    if not d.expected and not d.expected_unfired:
        return [*out, "No inject of this scenario declares expected responses.", ""]
    if d.expected:
        out += ["For each inject that declares expected responses: did the nation choose one of them in the "
                "turn the inject fired or the next?", "",
                "| Turn | Inject | Nation | Expected | Actual |", "|---|---|---|---|---|"]
        for c in d.expected:
            expected = "; ".join(esc(e) for e in c.expected)
            if c.note:
                expected += f" — *{esc(c.note)}*"
            out.append(f"| {esc(c.label)} | {esc(c.inject)} | {esc(c.nation_name)} | {expected} | {esc(c.actual())} |")
        out.append("")
    else:
        out += ["None of the injects that declare expected responses fired in this game.", ""]
    if d.expected_unfired:
        out += [f"Did not fire: {'; '.join(esc(t) for t in d.expected_unfired)}.", ""]
    return out


def _reproduce(d: ReportData) -> list[str]:
    commands = d.reproduce()
    out = ["## How to reproduce", "",
           f"The game is fixed by the scenario file (sha256 {code(d.scenario_sha256)}), the seed ({d.seed}) "
           "and the recorded decisions. If the scenario file has changed since, point `--scenario PATH` at the "
           "copy the game was played with.", ""]
    out += code_block(cmd for cmd, _ in commands)
    out.append("")
    out += [f"- {code(cmd)}: {what}." for cmd, what in commands]
    return [*out, ""]
