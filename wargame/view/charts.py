"""Inline SVG charts and the page style shared by wargame's self-contained HTML pages: the
after-action report (view/report_html.py) and the sweep page (view/sweep_html.py).

No script, no image, no font, no address outside the page; every string from a scenario or a
record goes through `e` (html.escape, quotes included) before it is placed in the page.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

from wargame.view.report_facts import Series, num


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
svg.chart .bar { fill: var(--line); opacity: .8; }
svg.chart .whisker { stroke: var(--ink); stroke-width: 1.5; }
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

# ------------------------------------------------------------------ charts

W, H = 560, 240
LEFT, RIGHT, TOP, BOTTOM = 34, 16, 12, 34


def line_chart(s: Series, labels: Sequence[str]) -> str:
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


BAR_W, BAR_ROW, BAR_LABEL = 560, 22, 190


def share_bars(rows: Sequence[tuple[str, float, float, float]], title: str) -> str:
    """An inline SVG of horizontal bars: each row is (label, share, lo, hi), shares in 0..1 drawn
    on a 0-100% axis, the 95% interval as a whisker, the share written at the bar's end."""
    pw = BAR_W - BAR_LABEL - 56
    height = TOP + BAR_ROW * len(rows) + 26
    out = [f'<svg class="chart" viewBox="0 0 {BAR_W} {height}" width="{BAR_W}" height="{height}" role="img" '
           f'aria-label="{e(title)}">', f"<title>{e(title)}</title>",
           f'<rect class="plot" x="{BAR_LABEL}" y="{TOP}" width="{pw}" height="{BAR_ROW * len(rows)}"/>']
    for tick in range(0, 101, 25):
        x = BAR_LABEL + pw * tick / 100
        out.append(f'<line class="threshold" x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{TOP + BAR_ROW * len(rows)}"/>')
        out.append(f'<text x="{x:.1f}" y="{TOP + BAR_ROW * len(rows) + 14}" text-anchor="middle">{tick}%</text>')
    for i, (label, share, lo, hi) in enumerate(rows):
        y = TOP + i * BAR_ROW
        short = label if len(label) <= 30 else label[:14] + "…" + label[-15:]  # arms differ at the end
        out.append(f'<text x="{BAR_LABEL - 6}" y="{y + 15}" text-anchor="end">{e(short)}</text>')
        out.append(f'<rect class="bar" x="{BAR_LABEL}" y="{y + 4}" width="{pw * share:.1f}" height="{BAR_ROW - 8}">'
                   f"<title>{e(label)}: {100 * share:.1f}% (95% CI {100 * lo:.1f}–{100 * hi:.1f}%)</title></rect>")
        x1, x2, mid = BAR_LABEL + pw * lo, BAR_LABEL + pw * hi, y + BAR_ROW / 2
        out.append(f'<line class="whisker" x1="{x1:.1f}" y1="{mid:.1f}" x2="{x2:.1f}" y2="{mid:.1f}"/>')
        out.append(f'<text class="value" x="{x2 + 4:.1f}" y="{y + 15}">{100 * share:.1f}%</text>')
    out.append("</svg>")
    return "".join(out)
