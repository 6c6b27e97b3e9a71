"""The White cell's actions as pure engine steps, so they replay and verify like decisions.

An action is plain data — exactly what the record stores in a `facilitator` event — and
`facilitate(scenario, state, action)` turns it into a new state and the events that explain it.
Track changes are written in the scenario's own effect language (`cohesion -= 1`), checked
against the scenario's names before anything changes; nothing is ever evaluated as Python.

Actions (the `action` field) and their fields:
    inject      inject (a scenario inject id) — fires it now, for certain; early (true) — set by
                `as_taken` when the inject is scheduled for a turn not begun yet: that scheduled
                firing is spent (it does not fire again at its turn; a triggered inject keeps its
                own rule: once, or again whenever its condition holds if it is `repeat`)
    free_inject title, detail, effects — an inject the facilitator writes on the spot
    adjust      effects, reason — set a track straight
    adjudicate  nation, proposal, chance (0..1), on_success, on_failure — a free-form
                proposal, matrix-game style; the engine rolls
    end         title, detail — end the game with the facilitator's outcome
    comment     note — a note for the record and the report
    clock       paused (bool) — the decision clock stopped or restarted
    undo        to_turn — back to the start of this turn or the previous one; or last_action
                (true) — take back the facilitator's last action alone, when it was taken between
                turns and nothing has happened since (wargame.game.Game keeps the states it restores)
The four that change the situation (inject, free_inject, adjust, adjudicate) are for between
turns: while the delegations decide, the situation they decide on stands still.
Every action may carry `reason`.

A new action is taken through `as_taken` (wargame.game.Game.facilitate does): it adds `early`
where the rule says so, and the record keeps the action as taken, so a replay sees what was
decided then. A record written before the rule has no `early` on an inject fired ahead of its
turn; replayed as recorded, that inject fires again at its turn, as it did when it was played.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wargame.engine.events import Event
from wargame.engine.rules import Scratch, possessive
from wargame.engine.state import State
from wargame.errors import ExpressionError, WargameError
from wargame.scenario.expr import Effect, compile_effect
from wargame.scenario.scenario import InjectInfo, Scenario

FACILITATOR_OUTCOME = "facilitator"
NO_STATE_CHANGE = {"comment", "clock", "undo"}
CHANGES_SITUATION = {"inject", "free_inject", "adjust", "adjudicate"}  # between turns only
ACTIONS = {"inject", "free_inject", "adjust", "adjudicate", "end"} | NO_STATE_CHANGE


class FacilitatorError(WargameError):
    """A facilitator command that cannot be carried out as given."""


def compile_effects(scenario: Scenario, texts: Sequence[str]) -> tuple[Effect, ...]:
    """Check effect statements against the scenario's names, or say which one is wrong."""
    out = []
    for text in texts:
        try:
            out.append(compile_effect(str(text), scenario.names))
        except ExpressionError as err:
            raise FacilitatorError(f"{text!r}: {err}") from None
    return tuple(out)


def whole_amount(target: str, amount: float) -> None:
    """The one rule for an amount a facilitator types for a track, at every console (the
    terminal's White cell, the full-screen table's command line, the browser's White cell page):
    tracks hold whole numbers, so the amount must be one. (The engine would round it: `cohesion
    = 5.5` would be recorded as written and applied as 6.) FacilitatorError otherwise."""
    if not float(amount).is_integer():
        raise FacilitatorError(f"{target} holds whole numbers: give a whole amount, not a fraction")


def typed_effects(scenario: Scenario, texts: Sequence[str]) -> tuple[Effect, ...]:
    """Effect statements a facilitator types now (`cohesion -= 1`): `compile_effects`, and every
    track amount given as a number whole (`whole_amount`). An amount worked out from the tracks
    (`escalation += cohesion / 2`) is rounded, as a scenario's own effects are. Actions already
    in a record are not held to this: they replay as they were carried out. FacilitatorError."""
    effects = compile_effects(scenario, texts)
    for effect in effects:
        if effect.slot.kind == "num" and effect.constant is not None:
            try:
                whole_amount(effect.target, effect.constant)
            except FacilitatorError as err:
                raise FacilitatorError(f"{effect.source!r}: {err}") from None
    return effects


def _text(action: Mapping[str, Any], key: str, default: str = "") -> str:
    value = action.get(key, default)
    if not isinstance(value, str):
        raise FacilitatorError(f"{key!r} must be text")
    return value.strip()


def _effects(action: Mapping[str, Any], key: str) -> list[str]:
    value = action.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FacilitatorError(f"{key!r} must be a list of effects")
    return value


def _known(scenario: Scenario, inject_id: str) -> bool:
    return any(i.id == inject_id for i in scenario.injects)


def _inject(scenario: Scenario, inject_id: str) -> InjectInfo:
    return next(i for i in scenario.injects if i.id == inject_id)


def spends_schedule(state: State, inject: InjectInfo) -> bool:
    """Whether firing `inject` now spends its scheduled firing: it is scheduled (`turn`) for a
    turn that has not begun (between turns the next one begins at `state.turn + 1`)."""
    return inject.turn is not None and inject.turn > state.turn


def as_taken(scenario: Scenario, state: State, action: Mapping[str, Any]) -> dict[str, Any]:
    """A new White cell action as the engine takes it now, to carry out and record: an inject
    scheduled for a turn not begun yet gets `early: true` (its scheduled firing is spent). Every
    console's action goes through here (wargame.game.Game.facilitate); a recorded action is
    replayed as it is. FacilitatorError if the action already says `early` (wargame decides it)."""
    taken = dict(action)
    if "early" in taken:
        raise FacilitatorError("'early' is wargame's own field: it records that an inject was fired before its turn")
    inject_id = taken.get("inject")
    if (taken.get("action") == "inject" and isinstance(inject_id, str) and _known(scenario, inject_id)
            and spends_schedule(state, _inject(scenario, inject_id))):
        taken["early"] = True
    return taken


def check(scenario: Scenario, state: State, action: Mapping[str, Any]) -> None:
    """Refuse a malformed action before anything is recorded."""
    kind = action.get("action")
    if "text" in action or "kind" in action or "turn" in action:
        raise FacilitatorError("'text', 'kind' and 'turn' are the record's own fields")
    if kind not in ACTIONS:
        raise FacilitatorError(f"unknown facilitator action {kind!r}")
    if kind != "undo" and state.ended:
        raise FacilitatorError("the game is over; only undo is possible")
    if kind in CHANGES_SITUATION and state.in_turn:
        raise FacilitatorError("the delegations are deciding on the situation as it stands: change it between "
                               "turns (or undo to the start of this turn first)")
    inject_id = action.get("inject")
    if kind == "inject" and (not isinstance(inject_id, str) or not _known(scenario, inject_id)):
        raise FacilitatorError(f"no inject {action.get('inject')!r} in this scenario")
    if "early" in action:  # a recorded action: only true, only for an inject not due yet
        if kind != "inject" or action["early"] is not True:
            raise FacilitatorError("'early' is true, on an inject fired before its scheduled turn, or absent")
        if not spends_schedule(state, _inject(scenario, str(inject_id))):
            raise FacilitatorError(f"inject {inject_id!r} is not scheduled for a turn still to come: it cannot be "
                                   "fired early")
    if kind in ("free_inject", "end") and not _text(action, "title"):
        raise FacilitatorError("give it a title")
    if kind in ("free_inject", "adjust"):
        if kind == "adjust" and not _effects(action, "effects"):
            raise FacilitatorError("say what changes, e.g. cohesion -= 1")
        compile_effects(scenario, _effects(action, "effects"))
    if kind == "adjust" and not _text(action, "reason"):
        raise FacilitatorError("an adjustment needs a reason")
    if kind == "adjudicate":
        nation = action.get("nation")
        if not isinstance(nation, str) or nation not in scenario.nation_index:
            raise FacilitatorError(f"no nation {action.get('nation')!r}")
        chance = action.get("chance")
        if isinstance(chance, bool) or not isinstance(chance, int | float) or not 0 <= chance <= 1:
            raise FacilitatorError("the chance of success is a number from 0 to 1")
        if not _text(action, "proposal"):
            raise FacilitatorError("say what is proposed")
        compile_effects(scenario, _effects(action, "on_success"))
        compile_effects(scenario, _effects(action, "on_failure"))
    if kind == "comment" and not _text(action, "note"):
        raise FacilitatorError("an empty comment")
    if kind == "undo" and action.get("last_action") is not None:
        if action.get("last_action") is not True or "to_turn" in action:
            raise FacilitatorError("an undo goes back either to a turn's start (to_turn) or over the last action "
                                   "(last_action: true)")
    elif kind == "undo":
        to_turn = action.get("to_turn")
        if isinstance(to_turn, bool) or not isinstance(to_turn, int) or to_turn < 1:
            raise FacilitatorError("undo needs the turn to go back to")
        if to_turn not in (state.turn, state.turn - 1):
            raise FacilitatorError(f"undo goes back to the start of this turn or the previous one, not turn {to_turn}")


def describe(scenario: Scenario, action: Mapping[str, Any]) -> str:
    """The one line the record keeps for an action (the screens and the report show it with the
    tracks' and flags' names in words: wargame.view.words.event_words)."""
    kind = action["action"]
    reason = _text(action, "reason")
    why = f" — {reason}" if reason else ""
    if kind == "inject":
        inject = _inject(scenario, action["inject"])
        if action.get("early") is True and inject.turn is not None:
            return (f"Facilitator fires an inject early: {inject.title} (due {scenario.turn_label(inject.turn)}; "
                    f"it will not fire again then){why}")
        return f"Facilitator fires an inject: {inject.title}{why}"
    if kind == "free_inject":
        return f"Facilitator inject: {_text(action, 'title')}{why}"
    if kind == "adjust":
        return f"Facilitator adjusts {', '.join(_effects(action, 'effects'))}{why}"
    if kind == "adjudicate":
        nation = scenario.nation(action["nation"]).name
        chance = float(action["chance"])
        return f"{nation} proposes: {_text(action, 'proposal')} (facilitator sets {chance:.0%}){why}"
    if kind == "end":
        return f"Facilitator ends the game: {_text(action, 'title')}{why}"
    if kind == "comment":
        return f"Facilitator's comment: {_text(action, 'note')}"
    if kind == "clock":
        return f"Facilitator {'pauses' if action.get('paused') else 'restarts'} the clock{why}"
    if action.get("last_action") is True:
        return f"Facilitator takes back the last action{why}"
    return f"Facilitator undoes back to the start of {scenario.turn_label(int(action['to_turn']))}{why}"


def facilitate(scenario: Scenario, state: State, action: Mapping[str, Any]) -> tuple[State, list[Event]]:
    """Carry out one facilitator action: the new state and the events explaining it.

    `undo` is recorded here but carried out by wargame.game.Game, which keeps the states it
    restores (it restores a state rather than computing one)."""
    check(scenario, state, action)
    kind = action["action"]
    t = Scratch(scenario, state, state.turn)
    t.emit("facilitator", describe(scenario, action), **dict(action))
    reason = _text(action, "reason")
    if kind in NO_STATE_CHANGE:
        return state, t.events
    changes: dict[str, Any] = {}
    if kind == "inject":
        inject = _inject(scenario, action["inject"])
        t.emit("inject", inject.title, inject=inject.id, title=inject.title, by="facilitator")
        t.apply(inject.effects, inject.title, inject=inject.id)
        changes["fired_injects"] = tuple(dict.fromkeys((*state.fired_injects, inject.id)))
        if action.get("early") is True:
            changes["spent_injects"] = tuple(dict.fromkeys((*state.spent_injects, inject.id)))
    elif kind == "free_inject":
        title = _text(action, "title")
        t.apply(compile_effects(scenario, _effects(action, "effects")), title, facilitator=kind)
    elif kind == "adjust":
        t.apply(compile_effects(scenario, _effects(action, "effects")), f"facilitator: {reason}", facilitator=kind)
    elif kind == "adjudicate":
        nation = scenario.nation(action["nation"])
        proposal = _text(action, "proposal")
        success = t.roll(float(action["chance"]), f"{possessive(nation.name)} proposal", nation=nation.id)
        chosen = _effects(action, "on_success" if success else "on_failure")
        verdict = "succeeds" if success else "fails"
        t.apply(compile_effects(scenario, chosen), f"{possessive(nation.name)} proposal {verdict}: {proposal}",
                facilitator=kind, nation=nation.id)
    elif kind == "end":
        title = _text(action, "title")
        changes |= {"outcome": FACILITATOR_OUTCOME, "ended": True, "in_turn": False}
        state2, events = t.finish(**changes)
        events.append(Event("game_end", t.turn, title, {"outcome": FACILITATOR_OUTCOME, "title": title,
                                                          "detail": _text(action, "detail")}))
        return state2, events
    return t.finish(**changes)
