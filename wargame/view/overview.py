"""`wargame show`: the brief, the nations and their rules, the tracks and every option."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from wargame.scenario.expr import Compiled
from wargame.scenario.scenario import NationInfo, OptionInfo, Scenario
from wargame.view.common import (
    Column,
    WordTable,
    chance_now,
    lines,
    nation_name,
    nation_style,
    panel,
    pct,
    roles_of,
)

__all__ = ["render_scenario"]


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
        parts.append(panel(lines(rows), "Sources"))

    for nation in s.nations:
        parts.append(_nation(s, nation))
    parts.append(panel(_tracks(s), "Tracks"))
    for nation in s.nations:
        title = Text.assemble(("Options: ", "bold"), Text(nation.name, style=nation_style(nation)))
        parts.append(panel(Group(_options(s, nation), _script_ids(s, nation)), title))
    if m.variants:
        rows = []
        for v in m.variants:
            text = Text.assemble((v.id, "bold"), ": ", v.title)
            if v.description:
                text.append(f"\n{v.description}")
            if v.source:
                text.append(f"\nsource: {v.source}", style="dim")
            rows.append((Text("•"), text))
        parts.append(panel(lines(rows), "Variants (play --variant ID, sweep --variant ID|all)"))
    if s.personas:
        rows = []
        for nation in s.nations:
            for persona in s.personas.get(nation.id, {}).values():
                text = Text.assemble((f"{nation.id}={persona.id}", "bold"), ": ", persona.title)
                if persona.description:
                    text.append(f" — {persona.description}")
                rows.append((Text("•"), text))
        parts.append(panel(lines(rows), "Bot personas (--persona NATION=NAME)"))
    parts.append(Text(m.marking, style="bold", justify="center"))
    return Group(*parts)


def _nation(s: Scenario, nation: NationInfo) -> Panel:
    roles = [name + tags for name, tags in roles_of(s, nation)]
    rules = ["Playable by a human." if nation.playable else "Played by the computer only."]
    if nation.non_combat:
        rules.append("Non-combat: may never take a combat role.")
    if nation.pledge_in_advance:
        rules.append("May make pledges in advance.")
    else:
        rules.append("Makes no pledges in advance: force commitments only once the crisis is "
                     f"live ({s.explain(s.crisis_live)}), and only with approval.")
    body: list[RenderableType] = [
        Text.assemble(("Roles: ", "bold"), "; ".join(roles) or "—"),
        Text.assemble(("Starting posture: ", "bold"), nation.posture),
        Text.assemble(("Rules: ", "bold"), " ".join(rules)),
    ]
    if nation.public_brief:
        body.append(Text(nation.public_brief))
    title = Text.assemble(("Nation: ", "bold"), Text(nation.name, style=nation_style(nation)))
    return panel(Group(*body), title)


def _tracks(s: Scenario) -> WordTable:
    m = s.model
    table = WordTable(Column("Track", ratio=3), Column("Range"), Column("Start", ratio=2),
                      Column("Thresholds", ratio=5))
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
    return table


def _options(s: Scenario, nation: NationInfo) -> WordTable:
    table = WordTable(Column("Option", ratio=4), Column("Role", ratio=2), Column("Available", ratio=4))
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
        model = next((r for r in s.model.requests if r.id == request_id), None)
        cats = list(dict.fromkeys(o.category_name for o in opts if o.answer and o.answer.category))
        if model is not None:
            a = model.answers
            replies = f"{a.public.name} or {a.private.name} (one role); {a.defer.name}; {a.decline.name}"
            if not cats:
                replies = f"{a.defer.name}; {a.decline.name}"
        else:
            replies = "; ".join(o.name for o in opts)
        table.add_row(Text(f"Answer {request.name}", style="bold"), Text(", ".join(cats) or "Reply to a request"),
                      Text(f"once {nation_name(s, request.sender)} asks: {replies}"))
    return table


def _script_ids(s: Scenario, nation: NationInfo) -> Text:
    """The option ids a --script file uses, as one wrapped line."""
    own = [o.id for o in s.options_by_nation.get(nation.id, ()) if o.answer is None]
    text = Text("Ids for --script: ", style="dim bold")
    text.append(", ".join(own), style="dim")
    for request in s.requests.values():
        if nation.id not in request.to:
            continue
        roles = sorted({o.answer.category for o in s.options_by_nation[nation.id]
                        if o.answer is not None and o.answer.request == request.id and o.answer.category})
        stem = f"{nation.id}.{request.id}"
        text.append(f"; answers: {stem}_defer, {stem}_decline", style="dim")
        if roles:
            text.append(f", {stem}_public_ROLE, {stem}_private_ROLE (ROLE: {', '.join(roles)})", style="dim")
    return text


def _static_chance(compiled: Compiled, initial: Sequence[float]) -> str:
    """"70%", or "0.1 * japan.support (50% at the start)"; "" for a certain thing."""
    p = chance_now(compiled, initial)
    if not compiled.names:
        return "" if p == 1.0 else pct(p)
    return f"{compiled.source} ({pct(p)} at the start)" if p >= 0 else compiled.source


def _availability(scenario: Scenario, option: OptionInfo) -> str:
    bits = []
    if option.available is not None:
        bits.append(f"when {scenario.explain(option.available)}")
    if option.real_time:
        bits.append(f"only once the crisis is live ({scenario.explain(scenario.crisis_live)})")
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
