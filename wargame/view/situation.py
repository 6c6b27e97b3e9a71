"""The situation room: the whole situation on one screen (100x30, still usable at 80x24).

Pure functions of (scenario, state, events) — the events a nation may see, oldest first — that
give the facts (`situation`) and one small renderable per pane: the header (turn, clock), the
escalation ladder with the current rung, the global tracks with value, trend and last change,
each nation's role, posture and support, this turn's injects (White cell actions included),
last turn's results one line each, and how close each outcome is. The full-screen table puts
the panes in a grid; `render_situation` stacks them for a console (and the benchmark).

Nothing here reads a clock or a terminal; the clock's text is handed in. Strings from the
scenario only ever go into `Text` (never markup).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.segment import Segment
from rich.text import Text

from wargame.engine.events import Event
from wargame.engine.state import State
from wargame.scenario.scenario import Scenario, TrackInfo
from wargame.view.common import GOOD, TIMED_OUT, change_text, event_words, fill, level_style, nation_style, num
from wargame.view.turn_events import role_shown, split_turn

SPARKS = "▁▂▃▄▅▆▇█"
HISTORY = 8  # turns of history a track's trend shows

__all__ = ["Situation", "TrackFacts", "render_situation", "situation", "the_moment"]


@dataclass(frozen=True)
class TrackFacts:
    """One track now: its value, the value at the end of each turn so far (oldest first, the
    current value last), and its last change (delta, reason, turn) if it ever moved."""

    track: TrackInfo
    value: float
    history: tuple[float, ...]
    last_delta: float = 0.0
    last_reason: str = ""
    last_turn: int = 0


@dataclass(frozen=True)
class Situation:
    """What the situation room shows, as data (see `situation`)."""

    scenario: Scenario
    state: State
    tracks: dict[str, TrackFacts]
    this_turn: list[Event] = field(default_factory=list)  # since the last turn ended: injects, White cell
    last_turn: list[Event] = field(default_factory=list)  # the last adjudicated turn's events
    last_number: int = 0


def _split_turns(events: Sequence[Event]) -> tuple[list[Event], list[Event], int]:
    """(events since the last turn_end, the last whole turn's events, its number)."""
    ends = [i for i, e in enumerate(events) if e.kind == "turn_end"]
    if not ends:
        return list(events), [], 0
    last_end = ends[-1]
    begin = max((i for i in range(last_end) if events[i].kind == "turn_start"), default=0)
    tail = [e for e in events[last_end + 1:] if e.kind != "game_end"]
    return tail, list(events[begin:last_end + 1]) + [e for e in events[last_end + 1:] if e.kind == "game_end"], \
        events[last_end].turn


def the_moment(events: Sequence[Event]) -> list[Event]:
    """The events a board of this moment explains: the last turn's decisions and their results,
    what the White cell did since, and the injects of the turn in play — the same every time it
    is drawn in one turn (before any turn: everything so far)."""
    ends = [i for i, e in enumerate(events) if e.kind == "turn_end"]
    if not ends:
        return list(events)
    start = max((i for i in range(ends[-1]) if events[i].kind == "turn_start"), default=0)
    first = next((i for i in range(start, ends[-1]) if events[i].kind == "decision"), start)
    return list(events[first:])


def situation(scenario: Scenario, state: State, events: Sequence[Event]) -> Situation:
    """The facts of the situation room from the state and the events so far (as the viewer may
    see them). A track's history is rebuilt from effect events (an undo to turn K goes back to
    the values at the end of turn K-1); its last point is always the state's value."""
    values = {t.name: float(t.start) for t in scenario.tracks}
    ends: list[dict[str, float]] = []
    last: dict[str, tuple[float, str, int]] = {}
    for e in events:
        if e.kind == "effect":
            target = e.data.get("target")
            if target in values:
                try:
                    before, after = float(e.data["before"]), float(e.data["after"])
                except (KeyError, TypeError, ValueError):
                    continue
                values[target] = after
                last[target] = (after - before, str(e.data.get("reason", "")), e.turn)
        elif e.kind == "turn_end":
            ends.append(dict(values))
        elif e.kind == "facilitator" and e.data.get("action") == "undo" and isinstance(e.data.get("to_turn"), int):
            keep = max(int(e.data["to_turn"]) - 1, 0)
            ends = ends[:keep]
            values = dict(ends[-1]) if ends else {t.name: float(t.start) for t in scenario.tracks}
    tracks = {}
    for t in scenario.tracks:
        now = state.values[t.slot]
        past = [float(t.start)] + [end[t.name] for end in ends]
        delta, reason, turn = last.get(t.name, (0.0, "", 0))
        tracks[t.name] = TrackFacts(t, now, tuple(past + [now]), delta, reason, turn)
    this_turn, last_turn, number = _split_turns(events)
    return Situation(scenario, state, tracks, this_turn, last_turn, number)


# ------------------------------------------------------------------ panes


@dataclass
class _Rows:
    """Rows of one-line cells laid out in columns, cut with "…" where they do not fit: a column
    of ratio 0 is as wide as its widest cell; the others share what is left by ratio. Cheaper
    than a table: nothing is measured but the cells' lengths."""

    ratios: tuple[int, ...]
    rows: list[list[Text]] = field(default_factory=list)
    right: frozenset[int] = frozenset()  # columns aligned right

    def add(self, *cells: Text) -> None:
        self.rows.append(list(cells))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        n = len(self.ratios)
        widths = [0 if r else max((row[i].cell_len for row in self.rows), default=0)
                  for i, r in enumerate(self.ratios)]
        left = max(options.max_width - sum(widths) - (n - 1), 0)
        total = sum(self.ratios) or 1
        for i, r in enumerate(self.ratios):
            if r:
                widths[i] = max(left * r // total, 1)
        for row in self.rows:
            line = Text(no_wrap=True, overflow="ellipsis", end="")
            for i, cell in enumerate(row):
                cell = cell.copy()
                if cell.cell_len > widths[i]:
                    cell.truncate(widths[i], overflow="ellipsis")
                pad = " " * (widths[i] - cell.cell_len)
                if i in self.right:
                    line.append(pad)
                    line.append_text(cell)
                else:
                    line.append_text(cell)
                    line.append(pad)
                if i < n - 1:
                    line.append(" ")
            line.rstrip()
            line.truncate(options.max_width)
            yield line
            yield Segment.line()


def header(s: Situation, clock: str = "", seat: str = "") -> Text:
    """Two lines: the exercise marking and the title; the turn, whose turn it is and the clock."""
    sc, st = s.scenario, s.state
    if st.turn <= 0:
        when = f"Before {sc.turn_label(1)} · {sc.turns} turns"
    else:
        when = f"{sc.turn_label(st.turn)} · turn {st.turn} of {sc.turns}"
        if st.ended:
            when += " · game over"
        elif not st.in_turn:
            when += " · between turns"
    top = Text.assemble((f" {sc.model.marking} ", "bold reverse"), " ", (sc.title, "bold"))
    bottom = Text(when, style="bold")
    if seat:
        bottom.append(f"  · {seat}", style="bold")
    if clock:
        bottom.append(f"  · ⏱ {clock}", style="bold")
    both = Text("\n").join((top, bottom))
    both.no_wrap, both.overflow = True, "ellipsis"
    return both


def ladder(s: Situation) -> RenderableType:
    """The escalation ladder, top rung first, the current one marked "▶ … ◀"."""
    track = s.scenario.ladder
    if track is None:
        return Text("No escalation ladder in this scenario.", style="dim")
    facts = s.tracks[track.name]
    value = facts.value
    ths = track.thresholds
    current = max((i for i, (at, _) in enumerate(ths) if value >= at), default=-1)
    grid = _Rows((0, 0, 1), right=frozenset({1}))
    for i in range(len(ths) - 1, -1, -1):
        at, name = ths[i]
        style = level_style(track, at)
        if i == current:
            grid.add(Text("▶", style="bold"), Text(str(at), style="bold"),
                     Text(f"{name} ◀ {num(value)}", style=f"bold reverse {style}"))
        else:
            grid.add(Text(" "), Text(str(at), style="dim"), Text(name, style=style))
    return Group(grid, _last_change(facts))


def _last_change(facts: TrackFacts) -> Text:
    if not facts.last_delta:
        return Text("no change yet", style="dim")
    out = change_text(facts.last_delta, facts.track.higher_is, words=False)
    out.append(f" T{facts.last_turn}: {facts.last_reason}", style="")
    out.no_wrap, out.overflow = True, "ellipsis"
    return out


def spark(history: Sequence[float], track: TrackInfo) -> Text:
    """The track's values at the end of each turn as a small line of bars (▁ low, █ high)."""
    out = Text()
    for v in history:
        level = min(max(fill(track, v), 0.0), 1.0)
        out.append(SPARKS[round(level * (len(SPARKS) - 1))], style=level_style(track, v))
    return out


def tracks(s: Situation) -> RenderableType:
    """The global tracks (not the ladder, not a nation's): value, rung, trend, last change."""
    grid = _Rows((3, 0, 2, 0, 4), right=frozenset({1}))
    for t in s.scenario.tracks:
        if t.ladder or t.nation is not None:
            continue
        f = s.tracks[t.name]
        style = level_style(t, f.value)
        grid.add(Text(t.title), Text(f"{num(f.value)}/{t.hi}", style=f"bold {style}"),
                     Text(t.rung(f.value) or "", style=style), spark(f.history[-HISTORY:], t), _last_change(f))
    flags = [f.name for f in s.scenario.model.flags if s.state.values[s.scenario.names[f.id].index]]
    if flags:
        line = Text.assemble(("In force: ", "bold"), "; ".join(flags))
        line.no_wrap, line.overflow = True, "ellipsis"
        return Group(grid, line)
    return grid


def nations(s: Situation) -> RenderableType:
    """One line a nation: name, role (a private one only as "defined (private)"), posture,
    and its own tracks (domestic support) with their change this turn."""
    sc, st = s.scenario, s.state
    own = list(sc.model.nation_tracks)
    grid = _Rows((0, 3, 4, *(0 for _ in own)))
    for i, nation in enumerate(sc.nations):
        row: list[Text] = [Text(nation.name, style=nation_style(nation)),
                                     Text(role_shown(sc, st.roles[i])), Text(st.postures[i], style="italic")]
        for t in own:
            f = s.tracks.get(f"{nation.id}.{t.id}")
            if f is None:
                row.append(Text("—"))
                continue
            cell = Text(f"{t.name.split()[-1].lower()} {num(f.value)}", style=level_style(f.track, f.value))
            if f.last_delta and f.last_turn >= max(st.turn - 1, 1):
                cell.append(" ").append_text(change_text(f.last_delta, f.track.higher_is, words=False))
            row.append(cell)
        grid.add(*row)
    return grid


def this_turn(s: Situation) -> RenderableType:
    """This turn's injects (■ happened, □ did not, or was due but the White cell had fired it
    early) and the White cell's actions since the last turn ended, one line each."""
    rows: list[Text] = []
    titles = {i.id: i.title for i in s.scenario.injects}
    missed = [titles.get(str(e.data["inject"]), e.text) for e in s.this_turn
              if e.kind == "chance" and "inject" in e.data and not e.data.get("success")]
    for e in s.this_turn:
        if e.kind == "inject":
            by = " (White cell)" if e.data.get("by") == "facilitator" else ""
            rows.append(Text.assemble(("■ ", "bold"), (str(e.data.get("title") or e.text), "bold"), by))
        elif e.kind == "facilitator" and e.data.get("action") not in ("inject", "clock"):
            rows.append(Text.assemble(("⚐ ", "bold"), event_words(s.scenario, e)))
        elif e.kind == "effect" and "facilitator" in e.data:
            rows.append(_effect_line(s, e))
    if missed:
        rows.append(Text(f"□ did not happen: {'; '.join(missed)}", style="dim"))
    spent = [titles.get(str(e.data.get("inject")), e.text) for e in s.this_turn if e.kind == "inject_spent"]
    if spent:
        rows.append(Text(f"□ due, but fired early by the White cell: {'; '.join(spent)}", style="dim"))
    if not rows:
        rows.append(Text("No injects yet this turn." if s.state.in_turn else "The next turn has not begun.",
                         style="dim"))
    for r in rows:
        r.no_wrap, r.overflow = True, "ellipsis"
    return Group(*rows)


def _effect_line(s: Situation, e: Event) -> Text:
    target = str(e.data.get("target", ""))
    f = s.tracks.get(target)
    try:
        delta = float(e.data["after"]) - float(e.data["before"])
    except (KeyError, TypeError, ValueError):
        return Text(f"  {e.text}")
    if f is None:
        return Text(f"  {e.text}")
    out = Text("  ")
    out.append_text(change_text(delta, f.track.higher_is, words=False))
    out.append(f" {f.track.title}: {e.data.get('reason', '')}")
    return out


def results(s: Situation) -> RenderableType:
    """Last turn's results: one line a decision (who chose what, and what it changed), then
    pledges that came due."""
    sc = s.scenario
    if not s.last_turn:
        return Text("No turn played yet.", style="dim")
    turn = split_turn(s.last_turn)
    rows = []
    for block in turn.decisions:
        d = block.head.data
        option = sc.options.get(str(d.get("option")))
        nation = sc.nation(str(d.get("nation"))) if str(d.get("nation")) in sc.nation_index else None
        line = Text()
        line.append(f"{nation.name if nation else d.get('nation')}: ", style=nation_style(nation) if nation else "bold")
        line.append(option.public_name if option else block.head.text.split(": ", 1)[-1])
        if d.get("by") == "clock":
            line.append(TIMED_OUT, style="dim")
        line.append_text(_outcome_of(s, block.details))
        rows.append(line)
    for block in turn.pledges:
        line = Text.assemble(("◆ ", "bold"), block.head.text)
        line.append_text(_outcome_of(s, block.details))
        rows.append(line)
    for r in rows:
        r.no_wrap, r.overflow = True, "ellipsis"
    return Group(*rows) if rows else Text("No decisions.", style="dim")


def _outcome_of(s: Situation, details: Sequence[Event]) -> Text:
    """" ✗ rejected", " ✓ +2 Deterrence, -1 Cohesion": what a decision led to, briefly."""
    out = Text()
    for i, e in enumerate(details):
        if e.kind == "chance" and i + 1 < len(details) and details[i + 1].kind == "approval":
            continue  # the approval's own roll
        if e.kind == "approval" and not e.data.get("passed"):
            out.append(f" ✗ {e.data.get('body', 'approval')} rejects", style="bold")
        elif e.kind == "chance" and "inject" not in e.data:
            out.append(" ✓" if e.data.get("success") else " ✗ failed", style=GOOD if e.data.get("success") else "bold")
    moved = []
    for e in details:
        f = s.tracks.get(str(e.data.get("target", ""))) if e.kind == "effect" else None
        if f is None:
            continue
        try:
            delta = float(e.data["after"]) - float(e.data["before"])
        except (KeyError, TypeError, ValueError):
            continue
        if delta:
            moved.append((delta, f))
    for i, (delta, f) in enumerate(moved):
        out.append(" — " if i == 0 else ", ")
        out.append_text(change_text(delta, f.track.higher_is, words=False))
        name = f.track.title if f.track.nation is None else f"{f.track.title} ({f.track.nation})"
        out.append(f" {name}")
    return out


def outcomes(s: Situation, most: int | None = None) -> RenderableType:
    """How the game can end and how close each outcome is ("Deterrence holds 3/5"), closest
    first among those that can end the game early, then those judged at the last turn."""
    sc, st = s.scenario, s.state
    rows = []
    for o in sc.outcomes:
        p = sc.progress(o.when, st.values)
        rows.append((o.at_end, -(p.met / p.total if p.total else 1), o, p))
    rows.sort(key=lambda r: (r[0], r[1]))
    grid = _Rows((1, 0), right=frozenset({1}))
    hidden = 0
    if most is not None and len(rows) > most:  # the closest first; the rest in the details pane
        hidden = len(rows) - (most - 1)
        rows = rows[:most - 1]
    for at_end, _, o, p in rows:
        name = Text(o.title, style="bold" if p.holds else "")
        if at_end:
            name.append(f" (at {sc.turn_label(sc.turns)})", style="dim")
        grid.add(name, Text(f"{p.met} of {p.total}", style="bold" if p.holds else ""))
    if hidden:
        grid.add(Text(f"… and {hidden} more: see How it ends", style="dim"), Text(""))
    return grid


def _pane(body: RenderableType, title: str) -> Panel:
    return Panel(body, title=Text(title, style="bold"), title_align="left", box=box.ROUNDED, padding=(0, 1))


def render_situation(scenario: Scenario, state: State, events: Sequence[Event], *, clock: str = "",
                     seat: str = "") -> RenderableType:
    """The whole situation room for a console: the panes in a two-column grid under the header."""
    s = situation(scenario, state, events)
    ends = outcomes(s, most=max(len(scenario.nations), 3))  # no taller than the nations beside it
    return Group(header(s, clock, seat),
                 _SideBySide(_pane(ladder(s), "Escalation ladder"), _pane(tracks(s), "Tracks"), 2 / 5),
                 _SideBySide(_pane(nations(s), "Nations"), _pane(ends, "How it ends"), 3 / 5),
                 _SideBySide(_pane(this_turn(s), "This turn"), _pane(results(s), results_title(s)), 2 / 5))


@dataclass
class _SideBySide:
    """Two renderables side by side, the left taking `share` of the width: each is rendered at
    its own fixed width and the lines put together (cheaper than a table that measures both)."""

    left: RenderableType
    right: RenderableType
    share: float

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        lw = max(int(width * self.share), 1)
        rw = max(width - lw, 1)
        left = console.render_lines(self.left, options.update(width=lw), pad=True)
        right = console.render_lines(self.right, options.update(width=rw), pad=True)
        blank_l, blank_r = [Segment(" " * lw)], [Segment(" " * rw)]
        for i in range(max(len(left), len(right))):
            yield from left[i] if i < len(left) else blank_l
            yield from right[i] if i < len(right) else blank_r
            yield Segment.line()


def results_title(s: Situation) -> str:
    return f"Results of {s.scenario.turn_label(s.last_number)}" if s.last_number else "Last turn's results"
