"""The after-action report as one self-contained HTML file: `wargame report LOG --format html`.

Self-contained means exactly that: the styles are in a <style> element, the charts are inline
SVG, and there is no script, no image, no font and no address of anything outside the file, so
it opens the same offline, in a mail attachment or in an archive years later, and prints well.

Every string from the scenario or the record goes through `html.escape` (quotes included) before
it is placed in the page, in text and in attributes alike.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence

from wargame.view.report_data import (
    Change,
    ReportData,
    Series,
    TurnFacts,
    changes_text,
    num,
    signed,
)

__all__ = ["render_html"]


def e(text: object) -> str:
    """Escape scenario or record text for HTML text and attribute values alike."""
    return html.escape(str(text), quote=True)


CSS = """
:root { --ink: #1b1f24; --muted: #5a6470; --rule: #c9d1d9; --paper: #ffffff; --soft: #f3f5f8;
        --line: #1f4e79; --better: #17653a; --worse: #a4262c; }
* { box-sizing: border-box; }
html { background: var(--paper); color: var(--ink); }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       max-width: 1100px; margin: 0 auto; padding: 0 24px 24px; }
.marking { text-align: center; font-weight: 700; letter-spacing: .04em; border: 2px solid var(--ink);
           padding: 4px 8px; margin: 16px 0; }
header h1 { margin: 4px 0 2px; font-size: 28px; line-height: 1.2; }
header .kind { margin: 0; text-transform: uppercase; letter-spacing: .08em; color: var(--muted);
               font-size: 13px; font-weight: 600; }
nav ol { margin: 8px 0 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 4px 16px; }
nav a { color: var(--line); }
h2 { font-size: 21px; border-bottom: 2px solid var(--ink); padding-bottom: 2px; margin: 28px 0 10px; }
h3 { font-size: 17px; margin: 18px 0 6px; }
h4 { font-size: 14px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: 10px 0 4px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid var(--rule); }
th { background: var(--soft); font-weight: 600; }
table.facts th { width: 170px; background: none; }
td.when { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace;
            font-size: 13px; }
code.hash { word-break: break-all; }
pre { background: var(--soft); border: 1px solid var(--rule); padding: 8px 10px; overflow-x: auto;
      white-space: pre-wrap; }
.outcome { border-left: 6px solid var(--ink); background: var(--soft); padding: 8px 12px; margin: 12px 0; }
.outcome strong { font-size: 17px; }
.turn { border-top: 1px solid var(--rule); padding-top: 2px; }
ul { margin: 4px 0 8px; padding-left: 22px; }
li { margin: 2px 0; }
.effects, .rationale, .missed { color: var(--muted); font-size: 13.5px; }
.rationale { font-style: italic; }
.remarks li { list-style: none; margin-left: -22px; border-left: 4px solid #b08800; padding-left: 8px; }
.better { color: var(--better); }
.worse { color: var(--worse); }
.moves { font-size: 13.5px; }
.ended { font-weight: 700; border: 2px solid var(--ink); padding: 6px 10px; display: inline-block; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); gap: 10px 20px; }
figure { margin: 0; }
figcaption { font-size: 13.5px; margin: 2px 0 4px; }
figcaption .tags { color: var(--muted); }
svg.chart { width: 100%; height: auto; max-width: 560px; display: block; }
svg.chart text { font: 10.5px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--muted); }
svg.chart .axis { stroke: var(--ink); stroke-width: 1; }
svg.chart .threshold { stroke: #8b949e; stroke-width: 1; stroke-dasharray: 4 3; }
svg.chart text.rung { paint-order: stroke; stroke: var(--soft); stroke-width: 3px; stroke-linejoin: round; }
svg.chart .plot { fill: var(--soft); }
svg.chart .series { fill: none; stroke: var(--line); stroke-width: 2.5; stroke-linejoin: round; }
svg.chart circle { fill: var(--line); }
svg.chart text.value { fill: var(--ink); font-weight: 700; }
.verdict-as-expected { color: var(--better); font-weight: 600; }
.verdict-otherwise { color: var(--worse); font-weight: 600; }
.note { color: var(--muted); font-style: italic; }
@page { margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  .turn, figure, tr, .outcome, li { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  .charts { grid-template-columns: 1fr 1fr; }
}
"""

SECTIONS = (("overview", "Overview"), ("timeline", "Timeline"), ("tracks", "Tracks"),
            ("turning-points", "Turning points"), ("expected", "Expected versus actual"),
            ("reproduce", "How to reproduce"))


def render_html(data: ReportData) -> str:
    d = data
    toc = "".join(f'<li><a href="#{anchor}">{title}</a></li>' for anchor, title in SECTIONS)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>After-action report: {e(d.title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f'<div class="marking">{e(d.marking)}</div>',
        f'<header><p class="kind">After-action report</p><h1>{e(d.title)}</h1></header>',
        f'<nav aria-label="Contents"><ol>{toc}</ol></nav>',
        _overview(d),
        _timeline(d),
        _tracks(d),
        _turning_points(d),
        _expected(d),
        _reproduce(d),
        f'<div class="marking">{e(d.marking)}</div>',
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _section(anchor: str, title: str, body: Iterable[str]) -> str:
    return f'<section id="{anchor}">\n<h2>{e(title)}</h2>\n' + "\n".join(body) + "\n</section>"


def _overview(d: ReportData) -> str:
    seats = ", ".join(f"{e(s.name)} ({e(s.seat)})" for s in d.seats) or "—"
    played = f"{d.turns_played} of {d.turns_total}" + ("" if d.finished else " (unfinished)")
    rows = [
        ("Scenario", f"{e(d.title)} (<code>{e(d.scenario_id)}</code>)"),
        ("Record", f"<code>{e(d.log)}</code>"),
        ("Seats", seats),
        ("Seed", str(d.seed)),
        ("Scenario sha256", f'<code class="hash">{e(d.scenario_sha256)}</code>'),
        ("Engine", f"wargame {e(d.engine)}"),
        ("Started", e(d.started)),
        ("Turns played", played),
    ]
    if d.parent:
        rows.append(("Branch", e(d.parent)))
    body = ['<table class="facts">']
    body += [f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows]
    body.append("</table>")
    text = f"<br>{e(d.outcome_text)}" if d.outcome_text else ""
    body.append(f'<div class="outcome">Outcome: <strong>{e(d.outcome_title)}</strong>{text}</div>')
    if d.summary:
        body += ["<h3>Scenario</h3>", f"<p>{e(d.summary)}</p>"]
    if d.sources:
        body += ["<h4>Sources</h4>", "<ul>", *(f"<li>{e(s)}</li>" for s in d.sources), "</ul>"]
    body += [f'<p class="note">The record\'s end was left off: {e(n)}</p>' for n in d.dropped]
    return _section("overview", "Overview", body)


def _timeline(d: ReportData) -> str:
    if not d.turns:
        return _section("timeline", "Timeline", ["<p>No turn was played.</p>"])
    return _section("timeline", "Timeline", (_turn(t) for t in d.turns))


def _changes(changes: Sequence[Change]) -> str:
    return e(changes_text(changes))


def _turn(t: TurnFacts) -> str:
    out = [f'<section class="turn" id="turn-{t.number}">', f"<h3>{e(t.label)}</h3>", "<h4>Injects</h4>"]
    if t.injects:
        out.append("<ul>")
        for inj in t.injects:
            item = f"<li><strong>{e(inj.title)}</strong>"
            if inj.by == "facilitator":
                item += " (fired by the facilitator)"
            if inj.text:
                item += f" — {e(inj.text)}"
            if inj.changes:
                item += f'<div class="effects">Effects: {_changes(inj.changes)}</div>'
            out.append(item + "</li>")
        out.append("</ul>")
    else:
        out.append("<p>None.</p>")
    if t.missed:
        out.append(f'<p class="missed">Due but did not happen: {"; ".join(e(m) for m in t.missed)}.</p>')
    out.append("<h4>Decisions</h4>")
    if t.decisions:
        out.append("<table><thead><tr><th>Nation</th><th>Decision</th><th>Result and effects</th>"
                   "<th>Rationale</th></tr></thead><tbody>")
        for dec in t.decisions:
            tag = "; ".join(e(x) for x in (dec.category, dec.by) if x)
            result = "<br>".join(e(r) for r in dec.results)
            if dec.changes:
                result += ("<br>" if result else "") + _changes(dec.changes)
            out.append(f"<tr><td><strong>{e(dec.nation_name)}</strong></td>"
                       f'<td>{e(dec.option_name)} <span class="effects">({tag})</span></td>'
                       f'<td class="effects">{result or "—"}</td>'
                       f'<td class="rationale">{e(dec.note) or "—"}</td></tr>')
        out.append("</tbody></table>")
    else:
        out.append("<p>None recorded.</p>")
    if t.events or t.changes:
        out += ["<h4>Other events</h4>", "<ul>"]
        out += [f"<li>{e(line)}</li>" for line in t.events]
        out += [f"<li>{e(c.describe())}" + (f": {e(c.reason)}" if c.reason else "") + "</li>" for c in t.changes]
        out.append("</ul>")
    if t.remarks:
        out += ["<h4>Facilitator and comments</h4>", '<ul class="remarks">']
        for r in t.remarks:
            item = f"<li><strong>{e(r.heading)}:</strong> {e(r.text)}" if r.heading else f"<li>{e(r.text)}"
            if r.results:
                item += f'<div class="effects">Result: {"; ".join(e(x) for x in r.results)}</div>'
            if r.changes:
                item += f'<div class="effects">Effects: {_changes(r.changes)}</div>'
            out.append(item + "</li>")
        out.append("</ul>")
    if t.moves:
        moves = []
        for m in t.moves:
            better = (m.delta > 0) == (m.higher_is == "better")
            arrow = "▲" if m.delta > 0 else "▼"
            moves.append(f'{e(m.label)} {num(m.before)} → {num(m.after)} '
                         f'<span class="{"better" if better else "worse"}">{arrow}{signed(m.delta)}</span>')
        out.append(f'<p class="moves"><strong>Tracks over the turn:</strong> {"; ".join(moves)}.</p>')
    else:
        out.append('<p class="moves"><strong>Tracks over the turn:</strong> no change.</p>')
    if t.outcome:
        out.append(f'<p class="ended">The game ended: {e(t.outcome)}</p>')
    out.append("</section>")
    return "\n".join(out)


# ------------------------------------------------------------------ charts

W, H = 560, 240
LEFT, RIGHT, TOP, BOTTOM = 34, 16, 12, 34


def chart(s: Series, labels: Sequence[str]) -> str:
    """An inline SVG line chart of a track: its range on the y axis, the turns on the x axis
    (0 is the start), each threshold a labelled dashed line, every point with a tooltip."""
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM
    span = (s.hi - s.lo) or 1
    n = len(s.values)

    def x(i: int) -> float:
        return LEFT + (i * pw / (n - 1) if n > 1 else pw / 2)

    def y(v: float) -> float:
        return TOP + (s.hi - min(max(v, s.lo), s.hi)) * ph / span

    title = f"{s.label}: " + ", ".join(num(v) for v in s.values)
    out = [f'<svg class="chart" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" '
           f'aria-label="{e(title)}">', f"<title>{e(title)}</title>",
           f'<rect class="plot" x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}"/>']
    for at, name in s.thresholds:
        ty = y(at)
        out.append(f'<line class="threshold" x1="{LEFT}" y1="{ty:.1f}" x2="{LEFT + pw}" y2="{ty:.1f}"/>')
        label_y = ty - 3 if ty - 3 > TOP + 8 else ty + 11
        out.append(f'<text class="rung" x="{LEFT + 4}" y="{label_y:.1f}">{e(name)} ({at})</text>')
    step = 1 if span <= 5 else 2 if span <= 10 else math.ceil(span / 5)
    for level in range(s.lo, s.hi + 1):
        if (level - s.lo) % step and level != s.hi:
            continue
        out.append(f'<line class="axis" x1="{LEFT - 4}" y1="{y(level):.1f}" x2="{LEFT}" y2="{y(level):.1f}"/>')
        out.append(f'<text x="{LEFT - 7}" y="{y(level) + 3.5:.1f}" text-anchor="end">{level}</text>')
    out.append(f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + ph}"/>')
    out.append(f'<line class="axis" x1="{LEFT}" y1="{TOP + ph}" x2="{LEFT + pw}" y2="{TOP + ph}"/>')
    every = max(1, math.ceil(n / 12))
    for i in range(n):
        if i % every and i != n - 1:
            continue
        tick = "Start" if i == 0 else str(i)
        out.append(f'<line class="axis" x1="{x(i):.1f}" y1="{TOP + ph}" x2="{x(i):.1f}" y2="{TOP + ph + 4}"/>')
        out.append(f'<text x="{x(i):.1f}" y="{TOP + ph + 15}" text-anchor="middle">{tick}</text>')
    out.append(f'<text x="{LEFT + pw / 2:.1f}" y="{H - 3}" text-anchor="middle">turn</text>')
    points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(s.values))
    out.append(f'<polyline class="series" points="{points}"/>')
    for i, v in enumerate(s.values):
        when = labels[i] if i < len(labels) else str(i)
        out.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.2"><title>{e(when)}: {num(v)}</title></circle>')
    last = s.values[-1]
    anchor = "end" if n > 1 else "middle"
    ly = y(last) - 7 if y(last) - 7 > TOP + 8 else y(last) + 15
    out.append(f'<text class="value" x="{x(n - 1):.1f}" y="{ly:.1f}" text-anchor="{anchor}">{num(last)}</text>')
    out.append("</svg>")
    return "".join(out)


def _tracks(d: ReportData) -> str:
    labels = ["Start", *(t.label for t in d.turns)]
    span = (f"Each chart runs from the start (before the first turn) to the end of {e(d.turns[-1].label)}"
            if d.turns else "No turn was played: each chart shows the starting value")
    body = [f"<p>{span}, on the track's whole range; dashed lines are its named thresholds.</p>",
            '<div class="charts">']
    for s in d.series:
        tags = ["escalation ladder"] if s.ladder else []
        tags.append(f"higher is {s.higher_is}")
        first, last = s.values[0], s.values[-1]
        rung = s.rung(last)
        course = f"{num(first)} → {num(last)}" + (f" ({e(rung)})" if rung else "")
        body.append(f'<figure><figcaption><strong>{e(s.label)}</strong> <span class="tags">'
                    f'({", ".join(tags)})</span> {course}</figcaption>{chart(s, labels)}</figure>')
    body.append("</div>")
    head = "".join(f'<th class="num">{e(label)}</th>' for label in labels)
    body += ["<h3>Values</h3>", f"<table><thead><tr><th>Track</th>{head}</tr></thead><tbody>"]
    for s in d.series:
        cells = "".join(f'<td class="num">{num(v)}</td>' for v in s.values)
        body.append(f"<tr><td>{e(s.label)}</td>{cells}</tr>")
    body.append("</tbody></table>")
    return _section("tracks", "Tracks", body)


def _turning_points(d: ReportData) -> str:
    body = ["<p>The largest single-turn moves of the global tracks, with what moved them.</p>"]
    if not d.turning_points:
        body.append("<p>No global track moved.</p>")
    else:
        body.append("<ol>")
        for p in d.turning_points:
            word = "better" if p.better else "worse"
            reasons = "".join(f"<li>{signed(delta)} {e(reason)}</li>" for delta, reason in p.reasons)
            body.append(f"<li><strong>{e(p.label)} — {e(p.title)} "
                        f'<span class="{word}">{signed(p.delta)}</span></strong> '
                        f"({num(p.before)} → {num(p.after)}, {word})<ul>{reasons}</ul></li>")
        body.append("</ol>")
    return _section("turning-points", "Turning points", body)


def _expected(d: ReportData) -> str:
    body: list[str] = []
    if not d.expected and not d.expected_unfired:
        body.append("<p>No inject of this scenario declares expected responses.</p>")
    elif d.expected:
        body += ["<p>For each inject that declares expected responses: did the nation choose one of them in "
                 "the turn the inject fired or the next?</p>",
                 "<table><thead><tr><th>Turn</th><th>Inject</th><th>Nation</th><th>Expected</th><th>Actual</th>"
                 "</tr></thead><tbody>"]
        for c in d.expected:
            expected = "<br>".join(e(x) for x in c.expected)
            if c.note:
                expected += f'<div class="note">{e(c.note)}</div>'
            verdict = c.verdict.replace(" ", "-")
            body.append(f'<tr><td class="when">{e(c.label)}</td><td>{e(c.inject)}</td><td>{e(c.nation_name)}</td>'
                        f'<td>{expected}</td><td class="verdict-{verdict}">{e(c.actual())}</td></tr>')
        body.append("</tbody></table>")
    else:
        body.append("<p>None of the injects that declare expected responses fired in this game.</p>")
    if d.expected_unfired:
        body.append(f"<p>Did not fire: {'; '.join(e(t) for t in d.expected_unfired)}.</p>")
    return _section("expected", "Expected versus actual", body)


def _reproduce(d: ReportData) -> str:
    commands = d.reproduce()
    body = [f'<p>The game is fixed by the scenario file (sha256 <code class="hash">{e(d.scenario_sha256)}</code>), '
            f"the seed ({d.seed}) and the recorded decisions. If the scenario file has changed since, point "
            "<code>--scenario PATH</code> at the copy the game was played with.</p>",
            "<pre><code>" + "\n".join(e(cmd) for cmd, _ in commands) + "</code></pre>",
            "<ul>", *(f"<li><code>{e(cmd)}</code>: {e(what)}.</li>" for cmd, what in commands), "</ul>"]
    return _section("reproduce", "How to reproduce", body)
