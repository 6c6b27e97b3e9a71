"""The after-action report as one self-contained HTML file: `wargame report LOG --format html`.

Self-contained means exactly that: the styles are in a <style> element, the charts are inline
SVG, and there is no script, no image, no font and no address of anything outside the file, so
it opens the same offline, in a mail attachment or in an archive years later, and prints well.

Every string from the scenario or the record goes through `html.escape` (quotes included) before
it is placed in the page, in text and in attributes alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from wargame.view.charts import CSS, e
from wargame.view.charts import line_chart as chart
from wargame.view.report_facts import (
    Change,
    ReportData,
    TurnFacts,
    changes_text,
    num,
    signed,
)
from wargame.view.report_md import MARKS, SUMMARY_POINTS

__all__ = ["render_html"]


SECTIONS = (("summary", "Summary"), ("overview", "Overview"), ("timeline", "Timeline"), ("tracks", "Tracks"),
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
        _summary(d),
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


def _summary(d: ReportData) -> str:
    """The one-page summary (as in report_md): outcome, objectives, three turning points, questions."""
    text = f"<br>{e(d.outcome_text)}" if d.outcome_text else ""
    body = [f'<div class="outcome">Outcome: <strong>{e(d.outcome_title)}</strong>{text}</div>']
    if d.delegations:
        body += ["<h3>Delegations' objectives</h3>", '<table class="facts">']
        for g in d.delegations:
            items = "<br>".join(f"{MARKS[v]} {e(name)}" for v, name in g.objectives)
            body.append(f"<tr><th>{e(g.nation_name)}: {e(g.words)}</th><td>{items}</td></tr>")
        body.append("</table>")
    if d.turning_points:
        body += ["<h3>Turning points</h3>", "<ol>"]
        for p in d.turning_points[:SUMMARY_POINTS]:
            why = p.chief_reason
            body.append(f"<li>{e(p.label)}: {e(p.title)} {signed(p.delta)} ({num(p.before)} → {num(p.after)})"
                        + (f", chiefly: {e(why)}" if why else "") + "</li>")
        body.append("</ol>")
    if d.questions:
        body += ["<h3>Questions for the hot wash</h3>", "<ul>", *(f"<li>{e(q)}</li>" for q in d.questions), "</ul>"]
    return _section("summary", "Summary", body)


def _overview(d: ReportData) -> str:
    rows = d.overview(e, lambda text: f"<code>{e(text)}</code>", lambda text: f'<code class="hash">{e(text)}</code>')
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
    out = [f'<section class="turn" id="turn-{t.number}">', f"<h3>{e(t.label)}</h3>"]
    if t.messages:
        out += ["<h4>Negotiation</h4>", "<ul>"]
        for m in t.messages:
            item = f"<li>{e(m.text)}"
            if m.offer:
                item += f" — <em>{e(m.offer)}</em>"
            if m.changes:
                item += f'<div class="effects">Effects: {_changes(m.changes)}</div>'
            out.append(item + "</li>")
        out.append("</ul>")
    out.append("<h4>Injects</h4>")
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
