"""What an option does, in a person's words: one description for the menu, the handout and the
overview alike ("needs Parliament approval (50% now); Deterrence credibility +2; ...")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from wargame.scenario.expr import Compiled, Effect
from wargame.scenario.scenario import OptionInfo, Scenario
from wargame.view.common import chance_now, nation_name, pct, track_label


def effect_hint(scenario: Scenario, effect: Effect) -> str:
    """"Coalition cohesion +1", "Quarantine declared: set"; the statement itself when it computes."""
    label = track_label(scenario, effect.target)
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


def effects_hint(scenario: Scenario, effects: Iterable[Effect]) -> str:
    return ", ".join(effect_hint(scenario, e) for e in effects)


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
