"""The reveal after each adjudication, as the full-screen table shows it: every nation's order
and what it led to (`results`), then each track that moved over the turn, from where to where,
and why (the effects' reasons, in the scenario's words)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from wargame.view.common import change_text
from wargame.view.situation import Situation, results


def moved_tracks(s: Situation) -> list[Text]:
    """One line a track the last adjudicated turn moved: "▼-3 Coalition cohesion 4 → 1: reason;
    reason", in the order the tracks first moved; [] when nothing moved (or no turn yet). Values
    are the track's own units; the reasons are the effect events' `reason`, each named once."""
    moves: dict[str, tuple[float, float, list[str]]] = {}
    for e in s.last_turn:
        target = str(e.data.get("target", ""))
        if e.kind != "effect" or target not in s.tracks:
            continue
        try:
            before, after = float(e.data["before"]), float(e.data["after"])
        except (KeyError, TypeError, ValueError):
            continue
        first, _, reasons = moves.get(target, (before, after, []))
        reason = str(e.data.get("reason", ""))
        moves[target] = (first, after, reasons + [reason] if reason and reason not in reasons else reasons)
    lines = []
    for target, (before, after, reasons) in moves.items():
        if before == after:
            continue
        track = s.tracks[target].track
        name = track.title if track.nation is None else f"{track.title} ({track.nation})"
        line = change_text(after - before, track.higher_is, words=False)
        line.append(f" {name} {before:g} → {after:g}", style="bold")
        if reasons:
            line.append(": " + "; ".join(reasons))
        lines.append(line)
    return lines


def reveal_body(s: Situation) -> RenderableType:
    """The reveal's body: the last turn's results, then "What changed" and the tracks that moved
    (or that nothing did). Long lines wrap here (the room's pane cuts them)."""
    rows = [results(s)]
    moved = moved_tracks(s)
    rows += [Text(""), Text("What changed", style="bold")]
    rows += moved or [Text("No track moved this turn.", style="dim")]
    for r in rows:
        for line in getattr(r, "renderables", [r]):
            if isinstance(line, Text):
                line.no_wrap, line.overflow = False, "fold"
    return Group(*rows)
