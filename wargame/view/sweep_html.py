"""A sweep's summary as one self-contained HTML page: `wargame sweep ... --format html -o FILE`.

The same facts as the terminal summary (view/sweep_text.py), with a chart per outcome comparing
the arms (bars with 95% intervals). Styles and charts come from view/charts.py, shared with the
after-action report; every string from the scenario goes through `e`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from wargame.view.charts import CSS, e, share_bars
from wargame.view.sweep_text import ci, pct, pvalue


def render_sweep_html(r: Any) -> str:
    """The page for a SweepResult (wargame.analysis.sweep)."""
    s = r.summary
    games = sum(a["games"] for a in s["arms"])
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Sweep: {e(r.title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
        f'<div class="marking">{e(r.marking)}</div>',
        f'<header><p class="kind">Sweep</p><h1>{e(r.title)}</h1></header>',
        f"<p>{games:,} bot-played games: {r.games:,} per arm, the same seeds in every arm (derived from "
        f"seed {r.seed}). Shares are given with 95% Wilson intervals.</p>",
        *_charts(s),
        *(_arm(a) for a in s["arms"]),
        *_comparisons(s["comparisons"]),
        '<section id="reproduce"><h2>How to reproduce</h2><p>Every row of the results file is a whole game: '
        "<code>wargame play SCENARIO --auto --seed SEED</code>, with <code>--variant ID</code> for each variant "
        "in its <code>variant</code> (joined by +) and <code>--persona NATION=NAME</code> for each of its "
        "personas, plays it again with every event explained.</p></section>",
        f'<div class="marking">{e(r.marking)}</div>', "</body>", "</html>",
    ]
    return "\n".join(parts) + "\n"


def _charts(s: Mapping[str, Any]) -> Iterator[str]:
    yield '<section id="outcomes"><h2>Outcomes by arm</h2><div class="charts">'
    for i, outcome in enumerate(s["outcomes"]):
        rows = [(a["arm"], a["outcomes"][i]["share"], *a["outcomes"][i]["ci95"]) for a in s["arms"]]
        if not any(share for _, share, _, _ in rows):
            continue
        yield (f"<figure><figcaption><strong>{e(outcome['title'])}</strong></figcaption>"
               f"{share_bars(rows, outcome['title'])}</figure>")
    yield "</div></section>"


def _table(head: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    cells = "".join(f'<th class="num">{h}</th>' if i in numeric else f"<th>{h}</th>" for i, h in enumerate(head))
    body = "".join("<tr>" + "".join(f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def _arm(a: Mapping[str, Any]) -> str:
    t = a["turns"]
    out = [f"<section><h2>{e(a['arm'])} — {a['games']:,} games</h2>",
           _table(["Outcome", "Games", "Share", "95% CI"],
                  [[e(o["title"]), f"{o['games']:,}", pct(o["share"]), ci(o["ci95"])] for o in a["outcomes"]
                   if o["games"] or o["outcome"] != "none"], {1, 2, 3}),
           f"<p>Game length: {t['mean']:.2f} turns on average (sd {t['sd']:.2f}, {t['min']}–{t['max']}).</p>",
           "<h3>Key decisions</h3>",
           _table(["Decision", "Games", "Share", "95% CI", "Votes passed"],
                  [[e(k["decision"]), f"{k['games']:,}", pct(k["share"]), ci(k["ci95"]),
                    f"{k['passed']:,}/{k['votes']:,}" if k["kind"] == "approval" else ""]
                   for k in a["key_decisions"]], {1, 2, 3, 4}),
           "<h3>Most and least chosen options</h3>",
           _table(["Nation", "Most chosen", "Least chosen"],
                  [[e(n["name"]), "<br>".join(f"{e(x['name'])} {pct(x['share'])}" for x in n["most"]),
                    "<br>".join(f"{e(x['name'])} {pct(x['share'])}" for x in n["least"])] for n in a["nations"]],
                  set())]
    if a["levers"]:
        out += ["<h3>Levers</h3>",
                _table(["Decision", "Outcome", "Taken", "Not taken", "Shift"],
                       [[e(lv["name"]), e(lv["title"]), pct(lv["share_taken"]), pct(lv["share_not_taken"]),
                         f"{100 * lv['difference']:+.1f} pts"] for lv in a["levers"]], {2, 3, 4}),
                '<p class="note">The outcome\'s share in games where the decision was taken at least once, '
                "and where it was not (p &lt; 0.001): an association within bot play, not a causal effect.</p>"]
    out.append("</section>")
    return "\n".join(out)


def _comparisons(comparisons: list[Mapping[str, Any]]) -> Iterator[str]:
    if not comparisons:
        return
    yield f"<section id=\"differences\"><h2>Differences from {e(comparisons[0]['against'])}</h2>"
    rows = []
    for c in comparisons:
        shifts = sorted(c["outcomes"], key=lambda o: -abs(o["difference"]))[:3]
        rows.append([e(c["arm"]), f"{c['chi_square']:.1f} ({c['df']})", pvalue(c["p"]),
                     "<br>".join(f"{e(o['title'])} {100 * o['difference']:+.1f} pts (p {pvalue(o['p'])})"
                                 for o in shifts)])
    yield _table(["Arm", "χ² (df)", "p", "Largest shifts"], rows, {1, 2})
    yield ('<p class="note">χ² tests the whole outcome mix against the first arm; each shift is a '
           "two-proportion z test.</p></section>")
