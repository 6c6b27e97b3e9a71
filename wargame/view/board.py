"""The situation board, the human menu and the scenario overview, as rich renderables.

Only this package imports rich; the engine hands over plain state and events.

Every string that comes from a scenario file is untrusted: it is only ever put into `Text`
objects (never parsed as console markup), so `[bold]` in a title is shown as written.
Meaning never depends on colour alone: changes carry ▲/▼ and a word, the current rung is
marked "◀ now", unavailable options carry "—" and the reason. No live display is used.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rich import box
from rich.cells import cell_len
from rich.color import Color, ColorParseError
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.panel import Panel
from rich.style import Style
from rich.table import Table
from rich.text import Text

from wargame.engine.events import Event
from wargame.engine.state import State
from wargame.engine.turn import Choice
from wargame.scenario.expr import Compiled, Effect
from wargame.scenario.scenario import NationInfo, OptionInfo, Scenario, TrackInfo

TRACKS_WIDTH = 78  # the ladder stands beside the tracks only if this much is left for them
BAR_WIDTH = 10

GOOD, FAIR, BAD = "green", "yellow", "red"

__all__ = ["render_board", "render_options", "render_scenario"]


# ------------------------------------------------------------------ small helpers


def _num(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.1f}"


def _pct(chance: float) -> str:
    return f"{min(max(chance, 0.0), 1.0) * 100:.0f}%"


def _nation_style(nation: NationInfo) -> Style:
    """Bold in the nation's colour; a colour the terminal cannot parse is simply dropped
    (only a colour is taken from the scenario, never a whole style such as a link)."""
    try:
        return Style(color=Color.parse(nation.colour), bold=True)
    except ColorParseError:
        return Style(bold=True)


def _nation_text(scenario: Scenario, nation_id: str) -> Text:
    try:
        nation = scenario.nation(nation_id)
    except KeyError:
        return Text(nation_id, style="bold")
    return Text(nation.name, style=_nation_style(nation))


def _goodness(track: TrackInfo, value: float) -> float:
    span = track.hi - track.lo
    frac = (value - track.lo) / span if span else 0.0
    return frac if track.higher_is == "better" else 1.0 - frac


def _level_style(track: TrackInfo, value: float) -> str:
    good = _goodness(track, value)
    return GOOD if good >= 0.6 else FAIR if good >= 0.35 else BAD


def _change_text(delta: float, higher_is: str, words: bool = True) -> Text:
    """`▲ +1 better`: direction, amount and (with `words`) whether that is good news."""
    if not delta:
        return Text("· no change", style="dim") if words else Text("·", style="dim")
    improved = (delta > 0) == (higher_is == "better")
    style = GOOD if improved else BAD
    marker = "▲" if delta > 0 else "▼"
    amount = f"{delta:+.0f}" if float(delta).is_integer() else f"{delta:+.1f}"
    out = Text(f"{marker} {amount}" if words else f"{marker}{amount}", style=style)
    if words:
        out.append(" better" if improved else " worse", style=style)
    return out


def _track_label(scenario: Scenario, name: str) -> str:
    """A person's name for an expression name: "Domestic support (Japan)", "Alert"."""
    slot = scenario.names.get(name)
    track = scenario.track_by_slot.get(slot.index) if slot is not None else None
    if track is not None:
        if track.nation is not None:
            return f"{track.title} ({_nation_name(scenario, track.nation)})"
        return track.title
    for flag in scenario.model.flags:
        if flag.id == name:
            return flag.name
    return name


def _nation_name(scenario: Scenario, nation_id: str) -> str:
    try:
        return scenario.nation(nation_id).name
    except KeyError:
        return nation_id


def _track(scenario: Scenario, name: str) -> TrackInfo | None:
    slot = scenario.names.get(name)
    return scenario.track_by_slot.get(slot.index) if slot is not None else None


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


def _role_shown(role: str) -> str:
    """What everyone may see of a declared role: a private one is only "defined (private)"."""
    if not role:
        return "—"
    if role.endswith("(private)"):
        return "defined (private)"
    return role


class _Bar:
    """A level bar, `█████░░░░░`, as wide as its column allows (meaning survives NO_COLOR)."""

    def __init__(self, fraction: float, style: str) -> None:
        self.fraction = min(max(fraction, 0.0), 1.0)
        self.style = style

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, BAR_WIDTH)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, min(options.max_width, BAR_WIDTH))
        filled = round(self.fraction * width)
        yield Text.assemble(("█" * filled, self.style), ("░" * (width - filled), "dim"))


def _lines(rows: Sequence[tuple[Text, Text]], indent: int = 0) -> RenderableType:
    """Marker + text rows with a hanging indent: wrapped text stays right of the marker."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for marker, text in rows:
        grid.add_row(marker, text)
    return Padding(grid, (0, 0, 0, indent)) if indent else grid


def _panel(body: RenderableType, title: str, **kw: object) -> Panel:
    return Panel(body, title=Text(title, style="bold"), title_align="left", box=box.ROUNDED,
                 padding=(0, 1), **kw)  # type: ignore[arg-type]


# ------------------------------------------------------------------ the board


def render_board(scenario: Scenario, state: State, events: Sequence[Event]) -> RenderableType:
    """The situation board after a turn: `events` are all of that turn's events (begin_turn's
    and resolve's). The layout adapts to the width it is printed at."""
    return _Board(scenario, state, tuple(events))


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
    loose: list[Event] = field(default_factory=list)
    game_end: Event | None = None


def _option_reasons(scenario: Scenario, option: OptionInfo) -> set[str]:
    """The reasons the engine gives to effects caused by `option` (see turn._resolve_option)."""
    reasons = {option.reason, f"{option.reason} (succeeded)", f"{option.reason} (failed)"}
    if option.approval is not None:
        reasons.add(f"{option.approval.body} rejected {_nation_name(scenario, option.nation)}: "
                    f"{option.name}")
    return reasons


def _split(scenario: Scenario, events: Sequence[Event]) -> _Turn:
    """Group a turn's events under the inject, decision or pledge that caused them.

    Effect events do not say which decision caused them, so they are matched by their reason
    text; events that carry a nation go to that nation's decision."""
    turn = _Turn()
    by_nation: dict[str, _Block] = {}
    by_reason: dict[str, _Block] = {}
    current: _Block | None = None
    inject_roll: Event | None = None
    for ev in events:
        kind = ev.kind
        if kind in ("turn_start", "turn_end"):
            continue
        if kind == "game_end":
            turn.game_end = ev
            continue
        if kind == "chance" and "inject" in ev.data:
            if ev.data.get("success"):
                inject_roll = ev
            else:
                turn.missed.append(ev)
            continue
        if kind == "inject":
            current = _Block(ev, [inject_roll] if inject_roll is not None else [])
            inject_roll = None
            turn.injects.append(current)
            continue
        if kind == "decision":
            block = _Block(ev)
            turn.decisions.append(block)
            nation = ev.data.get("nation")
            if isinstance(nation, str):
                by_nation[nation] = block
            option = scenario.options.get(str(ev.data.get("option")))
            if option is not None:
                for reason in _option_reasons(scenario, option):
                    by_reason.setdefault(reason, block)
            current = None
            continue
        if kind == "pledge_fired":
            current = _Block(ev)
            turn.pledges.append(current)
            continue
        owner = current
        in_decisions = bool(turn.decisions) and not turn.pledges
        if in_decisions:
            nation = ev.data.get("nation")
            if kind == "effect" and ev.data.get("reason") in by_reason:
                owner = by_reason[str(ev.data["reason"])]
            elif isinstance(nation, str) and nation in by_nation:
                owner = by_nation[nation]
        if owner is None:
            turn.loose.append(ev)
        else:
            owner.details.append(ev)
            current = owner
    return turn


class _Redactor:
    """Keeps a privately defined role private: the category is left out of what the board says
    about a private answer (its effects still show)."""

    def __init__(self, scenario: Scenario, decisions: Iterable[_Block]) -> None:
        self.names: dict[str, str] = {}
        self.private: set[str] = set()
        self.subs: list[tuple[str, str]] = []
        for block in decisions:
            option = scenario.options.get(str(block.head.data.get("option")))
            if option is None or option.answer is None or option.answer.kind != "private":
                continue
            self.private.add(option.id)
            request = next((r for r in scenario.model.requests if r.id == option.answer.request), None)
            if request is not None:
                self.names[option.id] = request.answers.private.name
            category = option.category_name
            if category and f"({category})" in option.reason:
                hidden = option.reason.replace(f" ({category})", "").replace(f"({category})", "")
                self.subs.append((option.reason, hidden))

    def option_name(self, option: OptionInfo) -> str:
        return self.names.get(option.id, option.name)

    def text(self, text: str) -> str:
        for old, new in self.subs:
            text = text.replace(old, new)
        return text


@dataclass
class _Board:
    scenario: Scenario
    state: State
    events: tuple[Event, ...]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        s, st = self.scenario, self.state
        turn = _split(s, self.events)
        changes = _changes(self.events)
        redact = _Redactor(s, turn.decisions)

        yield self.header()
        if st.ended:
            yield self.outcome(turn)
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
        yield self.injects(turn, redact)
        yield self.decisions(turn, redact)
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
            if st.ended:
                when += " — game over"
        body = Group(
            Text(s.model.marking, style="bold reverse", justify="center"),
            Text(s.title, style="bold", justify="center"),
            Text(when, justify="center"),
        )
        return Panel(body, box=box.HEAVY, padding=(0, 1))

    def outcome(self, turn: _Turn) -> Panel:
        s, st = self.scenario, self.state
        info = next((o for o in s.outcomes if o.id == st.outcome), None)
        parts: list[RenderableType] = []
        if info is None:
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
                             (rung or "below the first rung", _level_style(track, value) + " bold"),
                             f" ({_num(value)}/{track.hi})")
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
                style = _level_style(track, at)
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
            line = Text("This turn: ").append_text(_change_text(delta, track.higher_is))
            if reasons:
                line.append(" — " + "; ".join(dict.fromkeys(r for r in reasons if r)))
            rows.append(line)
        else:
            rows.append(Text("This turn: no change", style="dim"))
        return _panel(Group(*rows), "Escalation ladder")

    def tracks(self, changes: dict[str, float]) -> Panel | None:
        s, st = self.scenario, self.state
        shown = [t for t in s.tracks if t.nation is None and not t.ladder]
        if not shown:
            return None
        table = Table(box=box.SIMPLE_HEAD, expand=True, padding=(0, 1), pad_edge=False, show_edge=False)
        table.add_column("Track", ratio=3, overflow="fold")
        table.add_column("Level", width=BAR_WIDTH, no_wrap=True)
        table.add_column("Now", no_wrap=True, justify="right")
        table.add_column("", ratio=2, overflow="fold")
        table.add_column("This turn", no_wrap=True)
        for track in shown:
            value = st.values[track.slot]
            style = _level_style(track, value)
            table.add_row(Text(track.title), _Bar(_goodness_fill(track, value), style),
                          Text(f"{_num(value)}/{track.hi}", style="bold"),
                          Text(track.rung(value) or "", style=style),
                          _change_text(changes.get(track.name, 0.0), track.higher_is))
        parts: list[RenderableType] = [table]
        flags = [f.name for f in s.model.flags if st.values[s.names[f.id].index]] if s.model.flags else []
        if flags:
            parts.append(Text.assemble(("In force: ", "bold"), "; ".join(flags)))
        return _panel(Group(*parts), "Situation")

    def nations(self, changes: dict[str, float]) -> Panel:
        s, st = self.scenario, self.state
        table = Table(box=box.SIMPLE_HEAD, expand=True, padding=(0, 1), pad_edge=False, show_edge=False)
        table.add_column("Nation", ratio=3, overflow="fold")
        table.add_column("Role", ratio=3, overflow="fold")
        table.add_column("Posture", ratio=3, overflow="fold")
        extra = [t for t in s.model.nation_tracks]
        support = next((t for t in extra if t.id == "support"), None)
        others = [t for t in extra if t.id != "support"]
        if support is not None:
            table.add_column("Support", ratio=2, min_width=9, overflow="fold")
        for t in others:
            table.add_column(Text(t.name), ratio=2, overflow="fold")
        table.add_column("Pledges", ratio=3, overflow="fold")
        for i, nation in enumerate(s.nations):
            name = Text(nation.name, style=_nation_style(nation))
            tags = []
            if nation.non_combat:
                tags.append("non-combat")
            if not nation.pledge_in_advance:
                tags.append("real-time only")
            if tags:
                name.append("\n" + ", ".join(tags), style="dim")
            row: list[RenderableType] = [name, Text(_role_shown(st.roles[i])), Text(st.postures[i])]
            for t in ([support] if support is not None else []) + others:
                row.append(self._nation_track(f"{nation.id}.{t.id}", changes))
            row.append(self._pledges(nation.id))
            table.add_row(*row)
        return _panel(table, "Nations")

    def _nation_track(self, name: str, changes: dict[str, float]) -> Text:
        s, st = self.scenario, self.state
        track = _track(s, name)
        if track is None:
            return Text("—")
        value = st.values[track.slot]
        out = Text(f"{_num(value)}/{track.hi}", style=_level_style(track, value) + " bold")
        delta = changes.get(name, 0.0)
        if delta:
            out.append(" ").append_text(_change_text(delta, track.higher_is, words=False))
        rung = track.rung(value)
        if rung:
            out.append(f"\n{rung}", style=_level_style(track, value))
        return out

    def _pledges(self, nation_id: str) -> Text:
        s, st = self.scenario, self.state
        lines = []
        for pid in st.active_pledges:
            pledge = s.pledges.get(pid)
            if pledge is not None and pledge.nation == nation_id:
                lines.append(Text(f"• {pledge.name}"))
        for pid in st.fired_pledges:
            pledge = s.pledges.get(pid)
            if pledge is not None and pledge.nation == nation_id:
                lines.append(Text(f"✓ {pledge.name} (fired)", style="bold"))
        if not lines:
            return Text("—", style="dim")
        return Text("\n").join(lines)

    def injects(self, turn: _Turn, redact: _Redactor) -> Panel:
        s = self.scenario
        label = s.turn_label(self.state.turn) if self.state.turn > 0 else "this turn"
        texts = {i.id: i.text for i in s.injects}
        parts: list[RenderableType] = []
        for block in turn.injects:
            head = block.head
            parts.append(_lines([(Text("■", style="bold"),
                                  Text(str(head.data.get("title") or head.text), style="bold"))]))
            body = texts.get(str(head.data.get("inject")), "")
            rows = [(Text(" "), Text(body))] if body else []
            known = str(head.data.get("title") or head.text)
            rows += self._details(block.details, redact, known)
            if rows:
                parts.append(_lines(rows, indent=2))
        if turn.missed:
            missed = "; ".join(f"{self._inject_title(ev)} ({self._roll(ev)})" for ev in turn.missed)
            parts.append(_lines([(Text("□", style="dim"),
                                  Text(f"Did not happen: {missed}", style="dim"))]))
        if not parts:
            parts.append(Text("No injects this turn.", style="dim"))
        return _panel(Group(*parts), f"Injects — {label}")

    def _inject_title(self, ev: Event) -> str:
        inject = next((i for i in self.scenario.injects if i.id == ev.data.get("inject")), None)
        return inject.title if inject is not None else str(ev.data.get("subject", "inject"))

    def decisions(self, turn: _Turn, redact: _Redactor) -> Panel:
        s = self.scenario
        parts: list[RenderableType] = []
        for block in turn.decisions:
            data = block.head.data
            option = s.options.get(str(data.get("option")))
            head = _nation_text(s, str(data.get("nation")))
            head.append(f" (by {data.get('by', 'bot')})", style="dim")
            head.append(": ")
            if option is not None:
                head.append(redact.option_name(option), style="bold")
                if option.id not in redact.private:
                    head.append(f"  [{option.category_name}]", style="dim")
            else:
                head.append(redact.text(block.head.text), style="bold")
            parts.append(_lines([(Text("▶", style="bold"), head)]))
            rows = []
            note = data.get("note")
            if note:
                rows.append((Text("›", style="dim"), Text(f"why: {note}", style="dim italic")))
            rows += self._details(block.details, redact, option.reason if option else None)
            if rows:
                parts.append(_lines(rows, indent=2))
        for block in turn.pledges:
            parts.append(_lines([(Text("◆", style="bold"), Text(block.head.text, style="bold"))]))
            if block.details:
                known = self._pledge_reason(block.head)
                parts.append(_lines(self._details(block.details, redact, known), indent=2))
        if turn.loose:
            parts.append(_lines(self._details(turn.loose, redact)))
        if not parts:
            parts.append(Text("No decisions yet.", style="dim"))
        return _panel(Group(*parts), "Decisions and results")

    def _pledge_reason(self, head: Event) -> str | None:
        pledge = self.scenario.pledges.get(str(head.data.get("pledge")))
        if pledge is None:
            return None
        return f"{_nation_name(self.scenario, pledge.nation)}'s pledge: {pledge.name}"

    def _details(self, events: Sequence[Event], redact: _Redactor,
                 known: str | None = None) -> list[tuple[Text, Text]]:
        """Detail lines; `known` is the reason the headline already gives (not repeated)."""
        rows = []
        skip_next_roll = False
        for i, ev in enumerate(events):
            if ev.kind == "chance" and i + 1 < len(events) and events[i + 1].kind == "approval":
                skip_next_roll = True  # shown with the approval
                continue
            roll = events[i - 1] if skip_next_roll and i > 0 else None
            skip_next_roll = False
            rows.append(self._detail(ev, redact, roll, known))
        return rows

    @staticmethod
    def _roll(ev: Event) -> str:
        chance, roll = ev.data.get("chance"), ev.data.get("roll")
        if not isinstance(chance, int | float):
            return ev.text
        if roll is None or not isinstance(roll, int | float):
            return "no chance"
        return f"rolled {roll * 100:.0f} against {_pct(chance)}"

    def _detail(self, ev: Event, redact: _Redactor, roll: Event | None = None,
                known: str | None = None) -> tuple[Text, Text]:
        s = self.scenario
        kind, data = ev.kind, ev.data
        if kind == "effect":
            return self._effect(ev, redact, known)
        if kind == "approval":
            passed = bool(data.get("passed"))
            said = f"{data.get('body', 'Approval')} {'approves' if passed else 'rejects'}"
            if roll is not None:
                said += f" ({self._roll(roll)})"
            return (Text("✓" if passed else "✗", style=GOOD if passed else BAD),
                    Text(said, style="bold" if not passed else ""))
        if kind == "chance":
            ok = bool(data.get("success"))
            if "inject" in data:
                said = "it happens" if ok else "it does not happen"
            else:
                said = "chance: success" if ok else "chance: failure"
            return (Text("✓" if ok else "✗", style=GOOD if ok else BAD),
                    Text(f"{said} ({self._roll(ev)})"))
        if kind == "request":
            request = s.requests.get(str(data.get("request")))
            text = Text(redact.text(ev.text))
            if request is not None and request.text:
                text.append(f"\n{request.text}", style="dim")
            return Text("→", style="bold"), text
        if kind in ("pledge_made", "pledge_fired"):
            return Text("◆", style="bold"), Text(ev.text)
        if kind == "role":
            return Text("◆", style="bold"), Text(redact.text(ev.text))
        return Text("•"), Text(redact.text(ev.text))

    def _effect(self, ev: Event, redact: _Redactor, known: str | None) -> tuple[Text, Text]:
        s, data = self.scenario, ev.data
        target = str(data.get("target", ""))
        before, after = data.get("before"), data.get("after")
        label = _track_label(s, target)
        if isinstance(after, bool) or _track(s, target) is None:
            on = bool(after)
            text = Text(f"{label}: {'set' if on else 'cleared'}", style="bold")
            text.append(redact.text(_reason_tail(str(data.get("reason") or ""), known)))
            return Text("⚑" if on else "·"), text
        track = _track(s, target)
        assert track is not None
        try:
            delta = float(after) - float(before)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return Text("•"), Text(redact.text(ev.text))
        style = _change_text(delta, track.higher_is, words=False).style
        # the engine's text is "NAME +N: REASON[ (held at max N)]"; keep what follows the name
        rest = ev.text.split(": ", 1)[1] if ": " in ev.text else str(data.get("reason", ""))
        text = Text(f"{label} ", style="bold")
        text.append(f"{delta:+.0f}" if delta.is_integer() else f"{delta:+.1f}", style=style)
        text.append(f" → {_num(float(after))}")  # type: ignore[arg-type]
        text.append(redact.text(_reason_tail(rest, known)))
        return Text("▲" if delta > 0 else "▼", style=style), text


def _reason_tail(reason: str, known: str | None) -> str:
    """": REASON", or only what REASON adds to the headline's `known` reason (" (failed)")."""
    if known and reason.startswith(known):
        reason = reason[len(known):].strip()
    if not reason:
        return ""
    return f" {reason}" if reason.startswith("(") else f": {reason}"


def _goodness_fill(track: TrackInfo, value: float) -> float:
    span = track.hi - track.lo
    return (value - track.lo) / span if span else 0.0


# ------------------------------------------------------------------ the human menu


def _effect_hint(scenario: Scenario, effect: Effect) -> str:
    label = _track_label(scenario, effect.target)
    if effect.slot.kind == "bool":
        if effect.constant is not None:
            return f"{label}: {'set' if effect.constant else 'cleared'}"
        return effect.source
    if effect.constant is None:
        return effect.source
    amount = round(effect.constant)
    if effect.op == "+=":
        return f"{label} {amount:+d}"
    if effect.op == "-=":
        return f"{label} {-amount:+d}"
    return f"{label} set to {amount}"


def _effects_hint(scenario: Scenario, effects: Iterable[Effect]) -> str:
    return ", ".join(_effect_hint(scenario, e) for e in effects)


def _chance_now(compiled: Compiled, values: Sequence[float]) -> float:
    try:
        return min(max(float(compiled.evaluate(values)), 0.0), 1.0)
    except Exception:  # an expression that cannot be judged now is shown by its source
        return -1.0


def _chance_hint(compiled: Compiled, values: Sequence[float]) -> str:
    p = _chance_now(compiled, values)
    if p < 0:
        return compiled.source
    if compiled.names:
        return f"{_pct(p)} now"
    return _pct(p)


def _option_hint(scenario: Scenario, state: State, option: OptionInfo) -> str:
    values = state.values
    bits = []
    if option.approval is not None:
        a = option.approval
        bit = f"needs {a.body} approval ({_chance_hint(a.chance, values)})"
        if a.on_denied:
            bit += f", if refused: {_effects_hint(scenario, a.on_denied)}"
        bits.append(bit)
    if option.effects:
        bits.append(_effects_hint(scenario, option.effects))
    p = _chance_now(option.chance, values)
    if p != 1.0:
        bit = f"{_chance_hint(option.chance, values)} chance"
        if option.on_success:
            bit += f"; success: {_effects_hint(scenario, option.on_success)}"
        if option.on_failure:
            bit += f"; failure: {_effects_hint(scenario, option.on_failure)}"
        bits.append(bit)
    if option.pledge is not None and option.pledge in scenario.pledges:
        bits.append(f"pledges: {scenario.pledges[option.pledge].name}")
    if option.opens is not None and option.opens in scenario.requests:
        request = scenario.requests[option.opens]
        bits.append(f"asks {', '.join(_nation_name(scenario, n) for n in request.to)}: {request.name}")
    if option.posture:
        bits.append(f"posture: {option.posture}")
    if option.once:
        bits.append("once a game")
    return "; ".join(bits) if bits else "no direct effect"


def _category_suffix(option: OptionInfo) -> str:
    """"  · Category", unless the name already says it (request answers do)."""
    return "" if option.name.endswith(option.category_name) else f"  · {option.category_name}"


def render_options(scenario: Scenario, state: State, nation_id: str,
                   choices: Sequence[Choice]) -> RenderableType:
    """The human menu: available options numbered 1..n in `choices` order, unavailable ones
    dimmed, marked "—" and given the reason. The CLI maps numbers to options the same way."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True, justify="right", min_width=2)
    grid.add_column(ratio=1, overflow="fold")
    number = 0
    for choice in choices:
        option = choice.option
        if choice.ok:
            number += 1
            lines = [Text.assemble((option.name, "bold"), (_category_suffix(option), "dim"))]
            if option.text:
                lines.append(Text(option.text))
            lines.append(Text(f"→ {_option_hint(scenario, state, option)}", style="italic"))
            grid.add_row(Text(str(number), style="bold"), Group(*lines))
        else:
            line = Text.assemble(option.name, _category_suffix(option),
                                 (f" — not now: {choice.why_not or 'unavailable'}", "italic"))
            grid.add_row(Text("—"), line, style="dim")
    label = scenario.turn_label(state.turn) if state.turn > 0 else scenario.turn_label(1)
    title = Text.assemble(_nation_text(scenario, nation_id), f" — choose a response, {label}")
    footer = Text(f"{number} option{'s' if number != 1 else ''} available (1–{number}); "
                  "those marked — cannot be chosen now.", style="dim")
    return Panel(Group(grid, footer), title=title, title_align="left", box=box.ROUNDED,
                 padding=(0, 1))


# ------------------------------------------------------------------ the scenario overview


def _static_chance(compiled: Compiled, initial: Sequence[float]) -> str:
    """"70%", or "0.1 * japan.support (50% at the start)"; "" for a certain thing."""
    p = _chance_now(compiled, initial)
    if not compiled.names:
        return "" if p == 1.0 else _pct(p)
    return f"{compiled.source} ({_pct(p)} at the start)" if p >= 0 else compiled.source


def _availability(scenario: Scenario, option: OptionInfo) -> str:
    bits = []
    if option.available is not None:
        bits.append(f"when {option.available.source}")
    if option.real_time:
        bits.append(f"only once the crisis is live ({scenario.crisis_live.source})")
    if option.approval is not None:
        odds = _static_chance(option.approval.chance, scenario.initial)
        bits.append(f"needs {option.approval.body} approval" + (f", chance {odds}" if odds else ""))
    if option.once:
        bits.append("once a game")
    bit = _static_chance(option.chance, scenario.initial)
    if bit:
        bits.append(f"chance {bit}")
    if option.pledge is not None and option.pledge in scenario.pledges:
        bits.append(f"makes the pledge: {scenario.pledges[option.pledge].name}")
    if option.opens is not None and option.opens in scenario.requests:
        bits.append(f"opens the request: {scenario.requests[option.opens].name}")
    return "; ".join(bits) if bits else "always"


def render_scenario(scenario: Scenario) -> RenderableType:
    """`wargame show`: the brief, the nations and their rules, the tracks and every option."""
    s, m = scenario, scenario.model
    parts: list[RenderableType] = []

    turns = f"{s.turns} turns, {s.turn_label(1)}" + (f" to {s.turn_label(s.turns)}" if s.turns > 1 else "")
    parts.append(Panel(Group(
        Text(m.marking, style="bold reverse", justify="center"),
        Text(m.title, style="bold", justify="center"),
        Text(m.summary),
        Text.assemble(("Turns: ", "bold"), turns),
        Text.assemble(("The crisis is live when: ", "bold"), s.crisis_live.source),
    ), box=box.HEAVY, padding=(0, 1)))

    if m.sources:
        rows = []
        for src in m.sources:
            text = Text(src.title, style="bold")
            if src.ref:
                text.append(f" ({src.ref})", style="dim")
            if src.used_for:
                text.append(f"\nused for: {src.used_for}")
            rows.append((Text("•"), text))
        parts.append(_panel(_lines(rows), "Sources"))

    categories = m.categories
    for nation in s.nations:
        roles = []
        for role in nation.roles:
            cat = categories.get(role)
            if cat is None:
                continue
            tags = [t for t, on in (("combat", cat.combat), ("force", cat.force)) if on]
            roles.append(cat.name + (f" ({', '.join(tags)})" if tags else ""))
        rules = []
        rules.append("Playable by a human." if nation.playable else "Played by the computer only.")
        if nation.non_combat:
            rules.append("Non-combat: may never take a combat role.")
        if nation.pledge_in_advance:
            rules.append("May make pledges in advance.")
        else:
            rules.append("Makes no pledges in advance: force commitments only once the crisis is "
                         f"live ({s.crisis_live.source}), and only with approval.")
        body: list[RenderableType] = [
            Text.assemble(("Roles: ", "bold"), "; ".join(roles) or "—"),
            Text.assemble(("Starting posture: ", "bold"), nation.posture),
            Text.assemble(("Rules: ", "bold"), " ".join(rules)),
        ]
        if nation.public_brief:
            body.append(Text(nation.public_brief))
        title = Text.assemble(("Nation: ", "bold"), Text(nation.name, style=_nation_style(nation)))
        parts.append(Panel(Group(*body), title=title, title_align="left", box=box.ROUNDED,
                           padding=(0, 1)))

    table = Table(box=box.SIMPLE_HEAD, expand=True, padding=(0, 1), pad_edge=False, show_edge=False)
    table.add_column("Track", ratio=3, overflow="fold")
    table.add_column("Range", no_wrap=True)
    table.add_column("Start", ratio=2, overflow="fold")
    table.add_column("Thresholds", ratio=5, overflow="fold")
    for group, per_nation in ((m.tracks, False), (m.nation_tracks, True)):
        for t in group:
            name = Text(t.name, style="bold")
            tags = []
            if t.ladder:
                tags.append("escalation ladder")
            if per_nation:
                tags.append("each nation")
            tags.append(f"higher is {t.higher_is}")
            name.append(f"\n{', '.join(tags)}", style="dim")
            if per_nation:
                start = ", ".join(f"{n.name} {n.start.get(t.id, t.start)}" for n in m.nations)
            else:
                start = str(t.start)
            ths = "; ".join(f"{th.at} {th.name}" for th in t.thresholds) or "—"
            table.add_row(name, Text(f"{t.min}–{t.max}"), Text(start), Text(ths))
    parts.append(_panel(table, "Tracks"))

    for nation in s.nations:
        table = Table(box=box.SIMPLE_HEAD, expand=True, padding=(0, 1), pad_edge=False, show_edge=False)
        table.add_column("Option", ratio=4, overflow="fold")
        table.add_column("Role", ratio=2, overflow="fold")
        table.add_column("Available", ratio=4, overflow="fold")
        answers: dict[str, list[OptionInfo]] = {}
        for option in s.options_by_nation.get(nation.id, ()):
            if option.answer is not None:
                answers.setdefault(option.answer.request, []).append(option)
                continue
            name = Text(option.name, style="bold")
            if option.id == nation.default:
                name.append(" (default)", style="dim")
            table.add_row(name, Text(option.category_name), Text(_availability(s, option)))
        for request_id, opts in answers.items():
            request = s.requests.get(request_id)
            if request is None:
                continue
            model = next((r for r in m.requests if r.id == request_id), None)
            cats = list(dict.fromkeys(o.category_name for o in opts if o.answer and o.answer.category))
            if model is not None:
                a = model.answers
                replies = f"{a.public.name} or {a.private.name} (one role); {a.defer.name}; {a.decline.name}"
                if not cats:
                    replies = f"{a.defer.name}; {a.decline.name}"
            else:
                replies = "; ".join(o.name for o in opts)
            table.add_row(Text(f"Answer {request.name}", style="bold"),
                          Text(", ".join(cats) or "Reply to a request"),
                          Text(f"once {_nation_name(s, request.sender)} asks: {replies}"))
        title = Text.assemble(("Options: ", "bold"), Text(nation.name, style=_nation_style(nation)))
        parts.append(Panel(table, title=title, title_align="left", box=box.ROUNDED, padding=(0, 1)))

    parts.append(Text(m.marking, style="bold", justify="center"))
    return Group(*parts)
