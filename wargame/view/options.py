"""What an option does, in a person's words: one description for the menu, the handout and the
overview alike ("needs Parliament approval (50% now); Deterrence credibility +2; ..."), the
option's number for the whole game, and its full detail (`option_detail`) for `i N` and the
full-screen options pane."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from wargame.scenario.expr import Compiled, Effect
from wargame.scenario.scenario import OptionInfo, Scenario, SignalInfo
from wargame.view.common import chance_now, nation_name, pct
from wargame.view.words import effect_hint as effect_hint
from wargame.view.words import track_of


def option_number(scenario: Scenario, option: OptionInfo) -> int:
    """The option's number for the whole game: its place (from 1) in its nation's option list,
    so a number never moves from turn to turn, open or closed."""
    return scenario.options_by_nation[option.nation].index(option) + 1


def option_by_number(scenario: Scenario, nation_id: str, number: int) -> OptionInfo | None:
    """The option a nation's number stands for, or None if it has no such number."""
    options = scenario.options_by_nation.get(nation_id, ())
    return options[number - 1] if 1 <= number <= len(options) else None


def effects_hint(scenario: Scenario, effects: Iterable[Effect]) -> str:
    return ", ".join(effect_hint(scenario, e) for e in effects)


def signal_hint(scenario: Scenario, signal: SignalInfo) -> str:
    """What a costly signal does, and when: "Logistics -1 — lands when the turn is adjudicated"
    (its effects wait for the adjudication, before the orders: wargame.engine.negotiation)."""
    does = effects_hint(scenario, signal.effects) or "no direct effect"
    return f"{does} — lands when the turn is adjudicated"


def chance_hint(compiled: Compiled, values: Sequence[float], when: str) -> str:
    """"70%", "40% now" (`when`: "now" or "at the start"), or the formula if it cannot be judged."""
    p = chance_now(compiled, values)
    if p < 0:
        return compiled.source
    return f"{pct(p)} {when}" if compiled.names else pct(p)


def describe_option(scenario: Scenario, option: OptionInfo, values: Sequence[float], when: str = "now") -> str:
    """Everything an option does, judged on `values` (the state now, or at the start)."""
    bits = []
    if option.approval is not None:
        a = option.approval
        bit = f"needs {a.body} approval ({chance_hint(a.chance, values, when)})"
        if a.on_denied:
            bit += f", if refused: {effects_hint(scenario, a.on_denied)}"
        bits.append(bit)
    if option.effects:
        bits.append(effects_hint(scenario, option.effects))
    p = chance_now(option.chance, values)
    if p == 1.0:  # certain: its success is simply what it does
        if option.on_success:
            bits.append(effects_hint(scenario, option.on_success))
    else:
        bit = f"{chance_hint(option.chance, values, when)} chance"
        if option.on_success:
            bit += f"; success: {effects_hint(scenario, option.on_success)}"
        if option.on_failure:
            bit += f"; failure: {effects_hint(scenario, option.on_failure)}"
        bits.append(bit)
    if option.pledge is not None and option.pledge in scenario.pledges:
        bits.append(f"pledges: {scenario.pledges[option.pledge].name}")
    if option.opens is not None and option.opens in scenario.requests:
        request = scenario.requests[option.opens]
        bits.append(f"asks {', '.join(nation_name(scenario, n) for n in request.to)}: {request.name}")
    if option.posture:
        bits.append(f"posture: {option.posture}")
    if option.once:
        bits.append("once a game")
    return "; ".join(bits) if bits else "no direct effect"


def when_open(scenario: Scenario, option: OptionInfo) -> str:
    """When an option can be taken at all, in the scenario's words ("always" if nothing limits it)."""
    bits = []
    if option.answer is not None:
        request = scenario.requests.get(option.answer.request)
        if request is not None:
            bits.append(f"once {nation_name(scenario, request.sender)} makes the request ({request.name}), "
                        "until it is answered")
    if option.available is not None:
        bits.append(f"when {scenario.explain(option.available)}")
    if option.real_time:
        bits.append(f"only in real time, once the crisis is live ({scenario.explain(scenario.crisis_live)})")
    if option.once:
        bits.append("once a game")
    if option.pledge is not None and option.pledge in scenario.pledges:
        bits.append(f"until the pledge is made: {scenario.pledges[option.pledge].name}")
    return "; ".join(bits) if bits else "always"


def _worse(scenario: Scenario, option: OptionInfo, effect: Effect) -> bool | None:
    """Whether an effect works against the option's nation: by the nation's interests where it
    weighs the track, else by the track's "higher is"; None if that cannot be told."""
    track = track_of(scenario, effect.target)
    if track is None or effect.constant is None or effect.op == "=" or not effect.constant:
        return None
    up = (effect.constant > 0) == (effect.op == "+=")
    weight = dict(scenario.nation(option.nation).interests).get(track.slot)
    if weight:
        return up != (weight > 0)
    return up != (track.higher_is == "better")


def option_detail(scenario: Scenario, option: OptionInfo, values: Sequence[float], *,
                  open_now: bool = True, why_not: str = "") -> list[tuple[str, str]]:
    """Everything about one option, in words, as (heading, text) rows judged on `values`:
    number and name, what it is, whether it is open now (and why not), when it can be taken,
    the approval it needs, its chance now, what it always does, on success, on failure, its
    gains and costs, and what else follows (pledge, request, posture, once a game)."""
    rows = [("Option", f"{option_number(scenario, option)}. {option.name} ({option.category_name})")]
    if option.text:
        rows.append(("What", option.text))
    rows.append(("Now", "open — can be chosen this turn" if open_now else f"closed — {why_not or 'unavailable'}"))
    rows.append(("When", when_open(scenario, option)))
    if option.approval is not None:
        a = option.approval
        said = f"{a.body} must approve: {chance_hint(a.chance, values, 'now')}"
        if a.on_denied:
            said += f"; if refused: {effects_hint(scenario, a.on_denied)}"
        else:
            said += "; if refused, nothing happens"
        rows.append(("Approval", said))
    p = chance_now(option.chance, values)
    rows.append(("Chance", "certain" if p == 1.0 else f"{chance_hint(option.chance, values, 'now')} that it succeeds"))
    if option.effects:
        rows.append(("Always", effects_hint(scenario, option.effects)))
    if option.on_success:
        rows.append(("If it succeeds" if p < 1.0 else "Then", effects_hint(scenario, option.on_success)))
    if option.on_failure and p < 1.0:
        rows.append(("If it fails", effects_hint(scenario, option.on_failure)))
    done = (*option.effects, *option.on_success)
    gains = [e for e in done if _worse(scenario, option, e) is False]
    costs = [e for e in done if _worse(scenario, option, e)]
    if gains:
        rows.append(("Gains", effects_hint(scenario, gains)))
    rows.append(("Costs", effects_hint(scenario, costs) if costs else "none on the tracks it cares about"))
    also = []
    if option.pledge is not None and option.pledge in scenario.pledges:
        pledge = scenario.pledges[option.pledge]
        also.append(f"pledges: {pledge.name} (comes due when {scenario.explain(pledge.trigger)})")
    if option.opens is not None and option.opens in scenario.requests:
        request = scenario.requests[option.opens]
        also.append(f"asks {', '.join(nation_name(scenario, n) for n in request.to)}: {request.name}")
    if option.posture:
        also.append(f"posture becomes: {option.posture}")
    if option.once:
        also.append("once a game")
    if also:
        rows.append(("Also", "; ".join(also)))
    return rows
