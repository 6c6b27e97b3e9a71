"""The situation board after a turn: ladder, tracks, nations, injects, decisions and results.

Only this package imports rich; the engine hands over plain state and events. Each effect
event names its cause (inject=…, pledge=…, or nation=… and option=…), and the board puts it
under that inject, pledge or decision. A privately defined role stays private: the board
shows that a role was defined, never which (the engine's texts already leave it out).
No live display is used. The grouping is wargame.view.turn_events'; the injects and decisions
panels are wargame.view.board_results'.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from wargame.engine.events import Event
from wargame.engine.negotiation import Message, can_see
from wargame.engine.state import State
from wargame.scenario.scenario import Scenario
from wargame.view.board_results import TurnResults
from wargame.view.common import (
    BAD,
    BAR_WIDTH,
    GOOD,
    Bar,
    Column,
    WordTable,
    change_text,
    fill,
    level_style,
    lines,
    nation_style,
    num,
    panel,
    track_of,
)
from wargame.view.objectives import objectives_panel
from wargame.view.turn_events import net_changes, role_shown, split_turn

TRACKS_WIDTH = 78  # the ladder stands beside the tracks only if this much is left for them

__all__ = ["render_board", "render_outcomes"]


def render_outcomes(scenario: Scenario, state: State) -> Panel:
    """How the game can end, in the scenario's words, and how close each outcome is now:
    "Deterrence holds — 2 of 5 met: ✓ Escalation at most 5, ✗ from Week 6, …". Outcomes judged
    only at the last turn say so."""
    parts: list[RenderableType] = []
    rows = []
    for outcome in scenario.outcomes:
        progress = scenario.progress(outcome.when, state.values)
        head = Text(outcome.title, style="bold")
        when = f" (judged at the end of {scenario.turn_label(scenario.turns)})" if outcome.at_end else ""
        head.append(f" — {progress.met} of {progress.total} met{when}", style="" if progress.holds else "dim")
        body = Text()
        for i, part in enumerate(progress.parts):
            if i:
                body.append(", ")
            body.append("✓ " if part.met else "✗ ", style=GOOD if part.met else BAD)
            body.append(part.words)
        rows.append((Text("◇"), Text.assemble(head, "\n", body)))
    parts.append(lines(rows))
    parts.append(Text("The first outcome whose every condition is met ends the game, in this order; "
                      "those judged at the end only once the last turn is played.", style="dim"))
    return panel(Group(*parts), "How the game ends")


def render_board(scenario: Scenario, state: State, events: Sequence[Event],
                 history: Sequence[State] | None = None, nation: str | None = None,
                 secrets: bool = False) -> RenderableType:
    """The situation board after a turn: `events` are all of that turn's events (begin_turn's
    and adjudicate's). The layout adapts to the width it is printed at.

    Objectives: a delegation's board (`nation`) shows where that delegation stands on its own
    objectives if the game ended now; the shared board shows every delegation's only once the
    game is over (objectives are part of each delegation's private papers until the debrief).
    `history`, the state after each turn played, judges objectives that look at every turn
    (without it, the current state alone).

    Private messages and offers of the negotiation phase: the shared board says that one was
    sent and to whom, never what it says, unless `secrets` (a replay after the game, a
    debrief); a delegation's board shows those it sent or received."""
    return _Board(scenario, state, tuple(_heard(scenario, events, nation, secrets)), tuple(history or ()), nation)


def _heard(scenario: Scenario, events: Sequence[Event], nation: str | None, secrets: bool) -> list[Event]:
    out = []
    for ev in events:
        if ev.kind == "message" and not secrets:
            message = Message.from_data(ev.data)
            if not message.public and (nation is None or not can_see(message, nation)):
                if nation is not None:
                    continue
                to = ", ".join(scenario.nation(n).name for n in message.to if n in scenario.nation_index)
                what = "an offer" if message.kind == "offer" else "a private message"
                ev = Event("message", ev.turn, f"{scenario.nation(message.sender).name} sent {to} {what}",
                           {"nation": message.sender, "message": message.kind, "to": list(message.to)})
        out.append(ev)
    return out


# ------------------------------------------------------------------ the board


@dataclass
class _Board(TurnResults):
    scenario: Scenario
    state: State
    events: tuple[Event, ...]
    history: tuple[State, ...] = ()
    nation: str | None = None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        s, st = self.scenario, self.state
        turn = split_turn(self.events)
        changes = net_changes(self.events)

        yield self.header()
        if st.ended:
            yield self.outcome()
        ladder = self.ladder(changes)
        tracks = self.tracks(changes)
        # side by side when the ladder gets the width its longest rung needs and the tracks
        # still get as much as a whole 80-column board gives them
        rungs = [cell_len(name) for _, name in s.ladder.thresholds] if s.ladder else []
        ladder_width = max(max([cell_len(s.ladder.title) + 12 if s.ladder else 0, *rungs]) + 16, 32)
        if (ladder is not None and tracks is not None
                and options.max_width - ladder_width - 1 >= TRACKS_WIDTH):
            grid = Table.grid(expand=True, padding=(0, 1))
            grid.add_column(width=ladder_width)
            grid.add_column(ratio=1)
            grid.add_row(ladder, tracks)
            yield grid
        else:
            yield from (p for p in (ladder, tracks) if p is not None)
        yield self.nations(changes)
        yield self.injects(turn)
        yield self.decisions(turn)
        if not st.ended:
            yield render_outcomes(s, st)
        objectives = objectives_panel(s, st, self.history or None, self.nation)
        if objectives is not None:
            yield objectives
        yield Text(s.model.marking, style="bold", justify="center")

    # -------------------------------------------------------------- parts

    def header(self) -> Panel:
        s, st = self.scenario, self.state
        if st.turn <= 0:
            when = f"Before {s.turn_label(1)} — {s.turns} turns"
        else:
            label = s.turn_label(st.turn)
            if label == f"Turn {st.turn}":
                when = f"Turn {st.turn} of {s.turns}"
            else:
                when = f"{label} — turn {st.turn} of {s.turns}"
            live = s.live
            if live is not None and st.values[live.slot] and st.turn > st.values[live.since_slot]:
                since = int(st.values[live.since_slot])
                when = (f"{label} — turn {st.turn} of {since + live.turns} — "
                        f"LIVE CRISIS, {st.turn - since} of {live.turns}")
            if st.ended:
                when += " — game over"
        body = Group(
            Text(s.model.marking, style="bold reverse", justify="center"),
            Text(s.title, style="bold", justify="center"),
            Text(when, justify="center"),
        )
        return Panel(body, box=box.HEAVY, padding=(0, 1))

    def outcome(self) -> Panel:
        s, st = self.scenario, self.state
        info = next((o for o in s.outcomes if o.id == st.outcome), None)
        ending = next((e for e in self.events if e.kind == "game_end"), None)
        parts: list[RenderableType] = []
        if info is None and st.outcome is not None and ending is not None:  # the facilitator's ruling
            parts.append(Text(str(ending.data.get("title") or ending.text), style="bold", justify="center"))
            if ending.data.get("detail"):
                parts.append(Text(str(ending.data["detail"])))
            parts.append(Text("The facilitator ended the game.", style="dim"))
        elif info is None:
            parts.append(Text("The game ends with no outcome reached.", style="bold"))
        else:
            parts.append(Text(info.title, style="bold", justify="center"))
            if info.text:
                parts.append(Text(info.text))
        parts.append(Text(f"Reached at the end of {s.turn_label(st.turn)}.", style="dim"))
        return Panel(Group(*parts), title=Text("OUTCOME", style="bold"), box=box.DOUBLE,
                     border_style="bold", padding=(0, 1))

    def ladder(self, changes: dict[str, float]) -> Panel | None:
        s, st = self.scenario, self.state
        track = s.ladder
        if track is None:
            return None
        value = st.values[track.slot]
        rung = track.rung(value)
        head = Text.assemble((f"{track.title}: ", "bold"),
                             (rung or "below the first rung", level_style(track, value) + " bold"),
                             f" ({num(value)}/{track.hi})")
        rows: list[RenderableType] = [head]
        ths = track.thresholds
        if ths:
            current = max((i for i, (at, _) in enumerate(ths) if value >= at), default=-1)
            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True, width=1)
            grid.add_column(no_wrap=True, justify="right")
            grid.add_column(ratio=1, overflow="fold")
            grid.add_column(no_wrap=True)
            for i in range(len(ths) - 1, -1, -1):
                at, name = ths[i]
                top = ths[i + 1][0] - 1 if i + 1 < len(ths) else track.hi
                span = str(at) if top <= at else f"{at}–{top}"
                style = level_style(track, at)
                if i == current:
                    grid.add_row(Text("▶", style="bold"), Text(span, style="bold"),
                                 Text(name, style=f"bold reverse {style}"),
                                 Text("◀ now", style="bold"))
                else:
                    grid.add_row(Text(" "), Text(span, style="dim"), Text(name, style=style), Text(""))
            rows.append(grid)
        delta = changes.get(track.name, 0.0)
        if delta:
            reasons = [str(ev.data.get("reason", "")) for ev in self.events
                       if ev.kind == "effect" and ev.data.get("target") == track.name]
            line = Text("This turn: ").append_text(change_text(delta, track.higher_is))
            if reasons:
                line.append(" — " + "; ".join(dict.fromkeys(r for r in reasons if r)))
            rows.append(line)
        else:
            rows.append(Text("This turn: no change", style="dim"))
        return panel(Group(*rows), track.title)  # the scenario's name for its ladder

    def tracks(self, changes: dict[str, float]) -> Panel | None:
        s, st = self.scenario, self.state
        shown = [t for t in s.tracks if t.nation is None and not t.ladder]
        if not shown:
            return None
        table = WordTable(Column("Track", ratio=3), Column("Level", width=BAR_WIDTH),
                          Column("Now", justify="right"), Column("", ratio=2), Column("This turn"))
        for track in shown:
            value = st.values[track.slot]
            style = level_style(track, value)
            table.add_row(Text(track.title), Bar(fill(track, value), style),
                          Text(f"{num(value)}/{track.hi}", style="bold"),
                          Text(track.rung(value) or "", style=style),
                          change_text(changes.get(track.name, 0.0), track.higher_is))
        parts: list[RenderableType] = [table]
        flags = [f.name for f in s.model.flags if st.values[s.names[f.id].index]] if s.model.flags else []
        if flags:
            parts.append(Text.assemble(("In force: ", "bold"), "; ".join(flags)))
        return panel(Group(*parts), "Situation")

    def nations(self, changes: dict[str, float]) -> Panel:
        s, st = self.scenario, self.state
        extra = list(s.model.nation_tracks)
        support = next((t for t in extra if t.id == "support"), None)
        shown = ([support] if support is not None else []) + [t for t in extra if t.id != "support"]
        # a scenario without requests has no roles to show, one without pledges no pledges
        roles, pledges = bool(s.requests), bool(s.pledges)
        table = WordTable(Column("Nation", ratio=3), *([Column("Role", ratio=3)] if roles else []),
                          Column("Posture", ratio=3),
                          *(Column(Text(t.name), ratio=2, min_width=9) for t in shown),
                          *([Column("Pledges", ratio=3)] if pledges else []))
        for i, nation in enumerate(s.nations):
            name = Text(nation.name, style=nation_style(nation))
            tags = []
            if nation.non_combat:
                tags.append("non-combat")
            if not nation.pledge_in_advance:
                tags.append("real-time only")
            if tags:
                name.append("\n" + ", ".join(tags), style="dim")
            row: list[RenderableType] = [name]
            if roles:
                row.append(Text(role_shown(s, st.roles[i])))
            row.append(Text(st.postures[i]))
            for t in shown:
                row.append(self._nation_track(f"{nation.id}.{t.id}", changes))
            if pledges:
                row.append(self._pledges(nation.id))
            table.add_row(*row)
        return panel(table, "Nations")

    def _nation_track(self, name: str, changes: dict[str, float]) -> Text:
        s, st = self.scenario, self.state
        track = track_of(s, name)
        if track is None:
            return Text("—")
        value = st.values[track.slot]
        out = Text(f"{num(value)}/{track.hi}", style=level_style(track, value) + " bold")
        delta = changes.get(name, 0.0)
        if delta:
            out.append(" ").append_text(change_text(delta, track.higher_is, words=False))
        rung = track.rung(value)
        if rung:
            out.append(f"\n{rung}", style=level_style(track, value))
        return out

    def _pledges(self, nation_id: str) -> Text:
        s, st = self.scenario, self.state
        out = []
        for pid in st.active_pledges:
            pledge = s.pledges.get(pid)
            if pledge is not None and pledge.nation == nation_id:
                out.append(Text(f"• {pledge.name}"))
        for pid in st.fired_pledges:
            pledge = s.pledges.get(pid)
            if pledge is not None and pledge.nation == nation_id:
                out.append(Text(f"✓ {pledge.name} (fired)", style="bold"))
        if not out:
            return Text("—", style="dim")
        return Text("\n").join(out)
