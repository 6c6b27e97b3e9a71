"""A sweep's summary for the terminal: rich renderables, every string from the scenario as Text.

Per arm: outcome shares with 95% confidence intervals, game length, key decisions, each nation's
most and least chosen options, the levers; then the differences between arms.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def ci(interval: list[float]) -> str:
    return f"{100 * interval[0]:.1f}–{100 * interval[1]:.1f}%"


def pvalue(p: float) -> str:
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def render(result: Any) -> RenderableType:
    """The whole summary of a SweepResult (wargame.analysis.sweep)."""
    return Group(*_parts(result))


def _parts(r: Any) -> Iterator[RenderableType]:
    s = r.summary
    games = sum(a["games"] for a in s["arms"])
    yield Text(r.marking, style="bold")
    yield Text(f"Sweep of {r.title}: {games:,} games, {r.games:,} per arm (seeds from --seed {r.seed})")
    if r.resumed:
        yield Text(f"{r.resumed:,} of them were already in the results file (resumed).")
    for arm in s["arms"]:
        yield from _arm(arm)
    if s["comparisons"]:
        yield Rule(Text("Differences from " + s["comparisons"][0]["against"]))
        yield _comparisons(s["comparisons"])
        yield Text("χ² tests the whole outcome mix; z tests each outcome's share (two-proportion, pooled). "
                   "Every arm plays the same seeds.", style="dim")


def _arm(a: Mapping[str, Any]) -> Iterator[RenderableType]:
    yield Rule(Text(f"{a['arm']} — {a['games']:,} games"))
    table = Table(title=Text("Outcomes"), title_justify="left")
    table.add_column("Outcome")
    table.add_column("Games", justify="right")
    table.add_column("Share", justify="right")
    table.add_column("95% CI", justify="right")
    for o in a["outcomes"]:
        if o["games"] or o["outcome"] != "none":
            table.add_row(Text(o["title"]), f"{o['games']:,}", pct(o["share"]), ci(o["ci95"]))
    yield table
    t = a["turns"]
    yield Text(f"Game length: {t['mean']:.2f} turns on average (sd {t['sd']:.2f}, {t['min']}–{t['max']})")
    key = Table(title=Text("Key decisions"), title_justify="left")
    key.add_column("Decision")
    key.add_column("Games", justify="right")
    key.add_column("Share", justify="right")
    key.add_column("95% CI", justify="right")
    key.add_column("Votes passed", justify="right")
    for k in a["key_decisions"]:
        votes = f"{k['passed']:,}/{k['votes']:,}" if k["kind"] == "approval" else ""
        key.add_row(Text(k["decision"]), f"{k['games']:,}", pct(k["share"]), ci(k["ci95"]), votes)
    yield key
    nations = Table(title=Text("Most and least chosen options (share of the nation's decisions)"),
                    title_justify="left")
    nations.add_column("Nation")
    nations.add_column("Most chosen")
    nations.add_column("Least chosen")
    for n in a["nations"]:
        most = Text("\n".join(f"{e['name']} {pct(e['share'])}" for e in n["most"]))
        least = Text("\n".join(f"{e['name']} {pct(e['share'])}" for e in n["least"]))
        nations.add_row(Text(n["name"]), most, least)
    yield nations
    if a["levers"]:
        levers = Table(title=Text("Levers: decisions that go with the largest shifts in an outcome"),
                       title_justify="left")
        levers.add_column("Decision")
        levers.add_column("Outcome")
        levers.add_column("Taken", justify="right")
        levers.add_column("Not taken", justify="right")
        levers.add_column("Shift", justify="right")
        for lever in a["levers"]:
            levers.add_row(Text(lever["name"]), Text(lever["title"]), pct(lever["share_taken"]),
                           pct(lever["share_not_taken"]), f"{100 * lever['difference']:+.1f} pts")
        yield levers
        yield Text("Taken: the outcome's share in games where the decision was taken at least once. "
                   "An association in bot play (p < 0.001), not a causal effect.", style="dim")


def _comparisons(comparisons: list[Mapping[str, Any]]) -> Table:
    table = Table()
    table.add_column("Arm")
    table.add_column("χ² (df)", justify="right")
    table.add_column("p", justify="right")
    table.add_column("Largest shifts (points, p)")
    for c in comparisons:
        shifts = sorted(c["outcomes"], key=lambda o: -abs(o["difference"]))[:3]
        text = "\n".join(f"{o['title']} {100 * o['difference']:+.1f} (p {pvalue(o['p'])})" for o in shifts)
        table.add_row(Text(c["arm"]), f"{c['chi_square']:.1f} ({c['df']})", pvalue(c["p"]), Text(text))
    return table
