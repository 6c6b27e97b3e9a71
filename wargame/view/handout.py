"""A delegation's handout: `wargame brief SCENARIO NATION`.

One nation's papers for the table: the public situation (the scenario, this nation's and every
other delegation's public brief), its private brief, its objectives, the roles it may take and
its rules, and every option with when it can be taken and what it does. The handout carries the
exercise marking at top and bottom and says plainly that it holds a private brief.

The objectives are the nation's own `[[objectives]]` with the conditions that judge them, then
what its computer player weighs (its `interests`), most important first — the handout says so,
rather than inventing goals the scenario does not state. Written as Markdown; `wargame brief`
shows it rendered in the terminal or prints it as is.
"""

from __future__ import annotations

from wargame.errors import UsageError
from wargame.scenario.scenario import NationInfo, OptionInfo, Scenario
from wargame.view.common import nation_name, roles_of
from wargame.view.objectives import handout_lines
from wargame.view.options import describe_option, effects_hint
from wargame.view.report_md import esc, para

__all__ = ["find_nation", "render_handout"]


def find_nation(scenario: Scenario, name: str) -> NationInfo:
    """The nation by id or name, in any case; a UsageError naming the nations otherwise."""
    wanted = name.strip().casefold()
    for nation in scenario.nations:
        if wanted in (nation.id.casefold(), nation.name.casefold()):
            return nation
    known = ", ".join(n.id for n in scenario.nations)
    raise UsageError(f"no nation {name!r} in {scenario.id}; choose from {known}")


def render_handout(scenario: Scenario, nation: NationInfo) -> str:
    s, m = scenario, scenario.model
    turns = f"{s.turns} turns, {s.turn_label(1)}" + (f" to {s.turn_label(s.turns)}" if s.turns > 1 else "")
    out = [f"**{esc(m.marking)}**", "",
           f"# Delegation handout: {esc(nation.name)}", "",
           f"*{esc(m.title)}* — {esc(turns)}.", "",
           f"> For the {esc(nation.name)} delegation only: this handout holds its private brief.", ""]

    out += ["## The situation", "", para(m.summary), ""]
    if nation.public_brief:
        out += [f"### {esc(nation.name)}", "", para(nation.public_brief), ""]
    others = [n for n in s.nations if n.id != nation.id and n.public_brief]
    if others:
        out += ["### The other delegations", ""]
        out += [f"- **{esc(n.name)}:** {esc(n.public_brief)}" for n in others]
        out.append("")

    out += [f"## Private brief: {esc(nation.name)} only", "",
            para(nation.private_brief) if nation.private_brief else "This scenario gives no private brief.", ""]

    out += ["## Objectives", ""]
    own = handout_lines(s, nation, esc)
    if own:
        out += ["Your delegation's own objectives, judged when the game ends. You have achieved your "
                "objectives if you achieve every one, partly if you reach at least one at least in part:", ""]
        out += own
        out.append("")
    objectives = _objectives(s, nation)
    if objectives:
        out += [("What the computer player weighs for this nation" if own else
                 "Derived from the scenario's interests for this nation (the weights its computer player "
                 "uses)") + ", most important first:", ""]
        out += [f"{i}. {line}" for i, line in enumerate(objectives, start=1)]
    elif not own:
        out.append("The scenario states no interests for this nation.")
    out.append("")

    out += ["## Your role", ""]
    out.append(f"- **Roles you may take:** {'; '.join(_roles(s, nation)) or '—'}")
    out += [f"- {rule}" for rule in _rules(s, nation)]
    out.append(f"- **Starting posture:** {esc(nation.posture)}")
    for track in s.tracks:
        if track.nation == nation.id:
            rung = track.rung(track.start)
            out.append(f"- **Starting {esc(track.title.lower())}:** {track.start} of {track.lo}–{track.hi}"
                       + (f" ({esc(rung)})" if rung else ""))
    out += [f"- **The crisis is live when:** {esc(s.explain(s.crisis_live))}", ""]

    out += _outcomes(s)

    out += ["## Options", "",
            "Each turn you choose one. What an option does is judged on the state when you choose it; "
            "chances below are at the start of the game.", ""]
    answers: dict[str, list[OptionInfo]] = {}
    for option in s.options_by_nation.get(nation.id, ()):
        if option.answer is not None:
            answers.setdefault(option.answer.request, []).append(option)
            continue
        out += _option(s, nation, option)
    for request_id, options in answers.items():
        request = s.requests.get(request_id)
        if request is None:
            continue
        sender = next((n.name for n in s.nations if n.id == request.sender), request.sender)
        out += ["", f"### Answers to {esc(request.name)}", "",
                f"Open once {esc(sender)} makes the request. {esc(request.text)}".rstrip(), ""]
        for option in options:
            effects = effects_hint(s, option.effects)
            out.append(f"- **{esc(option.name)}**" + (f" — {esc(effects)}" if effects else ""))
    out.append("")

    out += ["## The tracks", "", "| Track | Range | Start | Thresholds |", "|---|---|---|---|"]
    for track in s.tracks:
        if track.nation is not None and track.nation != nation.id:
            continue
        name = track.title + (f" ({nation.name})" if track.nation else "")
        tags = ", ".join((["escalation ladder"] if track.ladder else []) + [f"higher is {track.higher_is}"])
        ths = "; ".join(f"{at} {name}" for at, name in track.thresholds) or "—"
        out.append(f"| {esc(name)} ({esc(tags)}) | {track.lo}–{track.hi} | {track.start} | {esc(ths)} |")
    out += ["", f"**{esc(m.marking)}**"]
    return "\n".join(out) + "\n"


def _outcomes(s: Scenario) -> list[str]:
    """How the game can end, in the scenario's words, each with its conditions and how many hold
    at the start ("2 of 5 conditions met at the start")."""
    out = ["## How the game ends", "",
           f"After each turn the outcomes are checked in this order; the first whose every condition is met "
           f"ends the game. Those marked *at the end* are checked only after {esc(s.turn_label(s.turns))}.", ""]
    for outcome in s.outcomes:
        progress = s.progress(outcome.when, s.initial)
        when = " *(at the end)*" if outcome.at_end else ""
        out.append(f"- **{esc(outcome.title)}**{when} — {progress.met} of {progress.total} conditions met "
                   "at the start")
        if outcome.text:
            out.append(f"  - {esc(outcome.text)}")
        out.append(f"  - *When:* {esc('; '.join(p.words for p in progress.parts))}")
    out.append("")
    return out


def _objectives(s: Scenario, nation: NationInfo) -> list[str]:
    """"Keep Escalation low (weight 1.2)", by weight, largest first (file order among equals)."""
    ranked = sorted(enumerate(nation.interests), key=lambda row: (-abs(row[1][1]), row[0]))
    out = []
    for _, (slot, weight) in ranked:
        if not weight:
            continue
        track = s.track_by_slot.get(slot)
        if track is None:
            continue
        label = track.title + (f" ({nation_name(s, track.nation)})" if track.nation else "")
        verb = f"Raise {esc(label)}" if weight > 0 else f"Keep {esc(label)} low"
        out.append(f"{verb} (weight {abs(weight):g})")
    return out


def _roles(s: Scenario, nation: NationInfo) -> list[str]:
    return [esc(name) + tags for name, tags in roles_of(s, nation)]


def _rules(s: Scenario, nation: NationInfo) -> list[str]:
    out = []
    if nation.non_combat:
        out.append("**Non-combat:** you may never take a combat role.")
    if nation.pledge_in_advance:
        out.append("**Pledges:** you may make pledges in advance.")
    else:
        out.append("**No pledges in advance:** a force commitment is possible only once the crisis is live "
                   f"({esc(s.explain(s.crisis_live))}), in the turn it is made, and only with approval.")
    return out


def _option(s: Scenario, nation: NationInfo, option: OptionInfo) -> list[str]:
    head = f"- **{esc(option.name)}**"
    if not option.name.endswith(option.category_name):
        head += f" ({esc(option.category_name)})"
    if option.id == nation.default:
        head += " — the default, taken when no choice is made"
    out = [head]
    if option.text:
        out.append(f"  - {esc(option.text)}")
    out.append(f"  - *When:* {esc(_availability(s, option))}")
    does = describe_option(s, option, s.initial, "at the start")
    if does:
        out.append(f"  - *Does:* {esc(does)}")
    return out


def _availability(s: Scenario, option: OptionInfo) -> str:
    bits = []
    if option.available is not None:
        bits.append(f"when {s.explain(option.available)}")
    if option.real_time:
        bits.append(f"only once the crisis is live ({s.explain(s.crisis_live)})")
    if option.once:
        bits.append("once a game")
    if option.pledge is not None and option.pledge in s.pledges:
        bits.append(f"until the pledge is made: {s.pledges[option.pledge].name}")
    return "; ".join(bits) if bits else "always"
