"""The situation board after a turn: ladder, tracks, nations, injects, decisions and results.

Only this package imports rich; the engine hands over plain state and events. Each effect
event names its cause (inject=…, pledge=…, or nation=… and option=…), and the board puts it
under that inject, pledge or decision. A privately defined role stays private: the board
shows that a role was defined, never which (the engine's texts already leave it out).
No live display is used.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from wargame.engine.events import Event
from wargame.engine.negotiation import Message, can_see
from wargame.engine.state import State
from wargame.scenario.scenario import OptionInfo, Scenario
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
    nation_text,
    num,
    panel,
    pct,
    track_label,
    track_of,
)
from wargame.view.objectives import objectives_panel

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


# ------------------------------------------------------------------ a turn's events, grouped


@dataclass
class _Block:
    """A headline event (inject, decision, pledge coming due) and what followed from it."""

    head: Event
    details: list[Event] = field(default_factory=list)


@dataclass
class _Turn:
    injects: list[_Block] = field(default_factory=list)
    missed: list[Event] = field(default_factory=list)  # injects whose chance roll failed
    decisions: list[_Block] = field(default_factory=list)
    pledges: list[_Block] = field(default_factory=list)
    loose: list[Event] = field(default_factory=list)  # events that name no cause on the board


def _split(events: Sequence[Event]) -> _Turn:
    """Group a turn's events under the inject, decision or pledge that caused them, by the
    cause each event names: inject=…, pledge=… (effects of a pledge coming due), option=…,
    or nation=… (a request made, a role defined, a pledge made)."""
    turn = _Turn()
    heads: dict[tuple[str, str], _Block] = {}  # ("inject" | "pledge" | "option" | "nation", id)
    rolls: dict[str, Event] = {}  # an inject's successful chance roll, shown with the inject
    for ev in events:
        kind, data = ev.kind, ev.data
        if kind in ("turn_start", "turn_end", "game_end"):  # the header and outcome read the state
            continue
        if kind == "chance" and "inject" in data:
            if data.get("success"):
                rolls[str(data["inject"])] = ev
            else:
                turn.missed.append(ev)
            continue
        if kind == "inject":
            roll = rolls.pop(str(data.get("inject")), None)
            block = _Block(ev, [roll] if roll is not None else [])
            heads[("inject", str(data.get("inject")))] = block
            turn.injects.append(block)
        elif kind == "decision":
            block = _Block(ev)
            heads[("option", str(data.get("option")))] = block
            heads[("nation", str(data.get("nation")))] = block
            turn.decisions.append(block)
        elif kind == "pledge_fired":
            block = _Block(ev)
            heads[("pledge", str(data.get("pledge")))] = block
            turn.pledges.append(block)
        else:
            owner = _owner(ev, heads)
            (owner.details if owner is not None else turn.loose).append(ev)
    return turn


def _owner(ev: Event, heads: Mapping[tuple[str, str], _Block]) -> _Block | None:
    if ev.kind == "effect" and "signal" in ev.data:
        return None  # a costly signal landing: told with its own reason, not under the sender's order
    causes = ("inject", "pledge", "option", "nation") if ev.kind == "effect" else ("option", "nation")
    for cause in causes:
        if cause in ev.data and (cause, str(ev.data[cause])) in heads:
            return heads[(cause, str(ev.data[cause]))]
    return None


def _changes(events: Iterable[Event]) -> dict[str, float]:
    """Net change of every target over `events` (effect events only)."""
    out: dict[str, float] = {}
    for ev in events:
        if ev.kind != "effect":
            continue
        target = ev.data.get("target")
        before, after = ev.data.get("before"), ev.data.get("after")
        if not isinstance(target, str) or isinstance(after, bool) or isinstance(before, bool):
            continue
        try:
            out[target] = out.get(target, 0.0) + float(after) - float(before)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
    return out


def _role_shown(scenario: Scenario, role: str) -> str:
    """What everyone may see of a nation's answer to a role request: a private role is only
    "defined (private)"."""
    kind, _, category = role.partition(":")
    if kind == "public":
        return f"{scenario.model.categories[category].name} (public)" if category in scenario.model.categories \
            else "defined (public)"
    return {"private": "defined (private)", "defer": "deferred", "decline": "declined"}.get(kind, "—")


def _decision_name(option: OptionInfo) -> Text:
    """The option as others may see it: a private answer does not say which role it defines."""
    name = Text(option.public_name, style="bold")
    private = option.answer is not None and option.answer.kind == "private"
    if not private and not option.name.endswith(option.category_name):
        name.append(f"  [{option.category_name}]", style="dim")
    return name


# ------------------------------------------------------------------ the board


@dataclass
class _Board:
    scenario: Scenario
    state: State
    events: tuple[Event, ...]
    history: tuple[State, ...] = ()
    nation: str | None = None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        s, st = self.scenario, self.state
        turn = _split(self.events)
        changes = _changes(self.events)

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
                row.append(Text(_role_shown(s, st.roles[i])))
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

    def injects(self, turn: _Turn) -> Panel:
        s = self.scenario
        label = s.turn_label(self.state.turn) if self.state.turn > 0 else "this turn"
        texts = {i.id: i.text for i in s.injects}
        parts: list[RenderableType] = []
        for block in turn.injects:
            head = block.head
            parts.append(lines([(Text("■", style="bold"),
                                 Text(str(head.data.get("title") or head.text), style="bold"))]))
            body = texts.get(str(head.data.get("inject")), "")
            rows = [(Text(" "), Text(body))] if body else []
            rows += self._details(block.details)
            if rows:
                parts.append(lines(rows, indent=2))
        if turn.missed:
            missed = "; ".join(f"{self._inject_title(ev)} ({self._roll(ev)})" for ev in turn.missed)
            parts.append(lines([(Text("□", style="dim"), Text(f"Did not happen: {missed}", style="dim"))]))
        if not parts:
            parts.append(Text("No injects this turn.", style="dim"))
        return panel(Group(*parts), f"Injects — {label}")

    def _inject_title(self, ev: Event) -> str:
        inject = next((i for i in self.scenario.injects if i.id == ev.data.get("inject")), None)
        return inject.title if inject is not None else str(ev.data.get("subject", "inject"))

    def decisions(self, turn: _Turn) -> Panel:
        s = self.scenario
        parts: list[RenderableType] = []
        for block in turn.decisions:
            data = block.head.data
            option = s.options.get(str(data.get("option")))
            head = nation_text(s, str(data.get("nation")))
            head.append(f" (by {data.get('by', 'bot')})", style="dim")
            head.append(": ")
            head.append_text(_decision_name(option) if option is not None
                             else Text(block.head.text, style="bold"))
            parts.append(lines([(Text("▶", style="bold"), head)]))
            rows = []
            note = data.get("note")
            if note:
                rows.append((Text("›", style="dim"), Text(f"why: {note}", style="dim italic")))
            rows += self._details(block.details)
            if rows:
                parts.append(lines(rows, indent=2))
        for block in turn.pledges:
            parts.append(lines([(Text("◆", style="bold"), Text(block.head.text, style="bold"))]))
            if block.details:
                parts.append(lines(self._details(block.details), indent=2))
        if turn.loose:
            parts.append(lines(self._details(turn.loose, under_head=False)))
        if not parts:
            parts.append(Text("No decisions yet.", style="dim"))
        return panel(Group(*parts), "Decisions and results")

    def _details(self, events: Sequence[Event], under_head: bool = True) -> list[tuple[Text, Text]]:
        """Detail lines. Under a headline an effect's reason is the headline's, so it is not
        repeated; only what happened before it is added: "(rejected)", "(succeeded)"."""
        rows = []
        stage = ""  # what the effects that follow are the result of
        for i, ev in enumerate(events):
            if ev.kind == "chance" and i + 1 < len(events) and events[i + 1].kind == "approval":
                continue  # the approval's roll, shown with the approval
            if ev.kind == "approval":
                roll = events[i - 1] if i > 0 and events[i - 1].kind == "chance" else None
                stage = "" if ev.data.get("passed") else " (rejected)"
                rows.append(self._approval(ev, roll))
            elif ev.kind == "chance":
                if "inject" not in ev.data:  # an inject's roll decides whether it happens at all
                    stage = " (succeeded)" if ev.data.get("success") else " (failed)"
                rows.append(self._chance(ev))
            elif ev.kind == "effect":
                reason = str(ev.data.get("reason") or "")
                tail = stage if under_head or not reason else f": {reason}"
                rows.append(self._effect(ev, tail + _held(ev)))
            else:
                rows.append(self._event(ev))
        return rows

    @staticmethod
    def _roll(ev: Event) -> str:
        chance, roll = ev.data.get("chance"), ev.data.get("roll")
        if not isinstance(chance, int | float):
            return ev.text
        if roll is None or not isinstance(roll, int | float):
            return "no chance"
        return f"rolled {roll * 100:.0f} against {pct(chance)}"

    def _approval(self, ev: Event, roll: Event | None) -> tuple[Text, Text]:
        passed = bool(ev.data.get("passed"))
        said = f"{ev.data.get('body', 'Approval')} {'approves' if passed else 'rejects'}"
        if roll is not None:
            said += f" ({self._roll(roll)})"
        return (Text("✓" if passed else "✗", style=GOOD if passed else BAD),
                Text(said, style="" if passed else "bold"))

    def _chance(self, ev: Event) -> tuple[Text, Text]:
        ok = bool(ev.data.get("success"))
        if "inject" in ev.data:
            said = "it happens" if ok else "it does not happen"
        else:
            said = "chance: success" if ok else "chance: failure"
        return Text("✓" if ok else "✗", style=GOOD if ok else BAD), Text(f"{said} ({self._roll(ev)})")

    def _event(self, ev: Event) -> tuple[Text, Text]:
        if ev.kind == "request":
            request = self.scenario.requests.get(str(ev.data.get("request")))
            text = Text(ev.text)
            if request is not None and request.text:
                text.append(f"\n{request.text}", style="dim")
            return Text("→", style="bold"), text
        if ev.kind in ("pledge_made", "pledge_fired", "role"):
            return Text("◆", style="bold"), Text(ev.text)
        return Text("•"), Text(ev.text)

    def _effect(self, ev: Event, tail: str) -> tuple[Text, Text]:
        s, data = self.scenario, ev.data
        target = str(data.get("target", ""))
        before, after = data.get("before"), data.get("after")
        label = track_label(s, target)
        track = track_of(s, target)
        if isinstance(after, bool) or track is None:
            on = bool(after)
            text = Text(f"{label}: {'set' if on else 'cleared'}", style="bold")
            text.append(tail)
            return Text("⚑" if on else "·"), text
        try:
            delta = float(after) - float(before)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return Text("•"), Text(ev.text)
        style = change_text(delta, track.higher_is, words=False).style
        text = Text(f"{label} ", style="bold")
        text.append(f"{delta:+.0f}" if delta.is_integer() else f"{delta:+.1f}", style=style)
        text.append(f" → {num(float(after))}")  # type: ignore[arg-type]
        text.append(tail)
        return Text("▲" if delta > 0 else "▼", style=style), text


def _held(ev: Event) -> str:
    """" (held at max 10)" when the engine clamped the effect; its text is
    "NAME +N: REASON[ (held at max N)]" and only that note follows the reason."""
    marker = f": {ev.data.get('reason', '')}"
    at = ev.text.find(marker)
    rest = ev.text[at + len(marker):] if at >= 0 else ""
    return rest if rest.startswith(" (held at") else ""
