"""Where each of the scenario's injects stands, in words: one rule for every White cell console
that lists them (the terminal's console, the full-screen table's White cell, the browser page).

An inject the White cell fired before its scheduled turn is spent (wargame.engine.facilitator):
it is listed as fired early, never as still due. A triggered inject says whether it can fire
again (`repeat`) or has fired its once.
"""

from __future__ import annotations

from wargame.engine.state import State
from wargame.scenario.scenario import InjectInfo, Scenario


def standing(scenario: Scenario, state: State, inject: InjectInfo) -> str:
    """A few words on `inject` now, e.g. "due Day 3", "fired early: it will not fire again in
    Day 3", "fired (once only)". `state` is the game's current State."""
    fired = inject.id in state.fired_injects
    if inject.turn is None:  # triggered
        if inject.repeat:
            return "fired; may fire again when its condition holds" if fired else \
                "fires when its condition holds, as often as it does"
        return "fired (once only)" if fired else "fires once, when its condition holds"
    label = scenario.turn_label(inject.turn)
    to_come = inject.turn > state.turn
    if inject.id in state.spent_injects:
        return f"fired early: it will not fire again in {label}" if to_come else f"fired early (was due {label})"
    if to_come:  # fired here only in a game recorded before an early firing spent the schedule
        return f"fired; due again {label}" if fired else f"due {label}"
    return "fired" if fired else f"did not fire (was due {label})"


def done(state: State, inject: InjectInfo) -> bool:
    """Whether `inject` will not fire again by itself: it fired (a triggered one that may repeat
    excepted), or it was spent early, or its turn is past."""
    if inject.id in state.spent_injects:
        return True
    if inject.turn is None:
        return inject.id in state.fired_injects and not inject.repeat
    return inject.turn <= state.turn
