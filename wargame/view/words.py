"""Names in a person's words, with no formatting (no rich): a nation's name, a track's or flag's
name for its expression name ("Domestic support (Japan)" for `japan.support`), an effect
statement in words ("Coalition cohesion +1"), an event's line with its names in words, and the
reveal's first line (who let the clock take their order). The board, the screens, the White
cell's answers and the after-action report (which stays free of rich) all name things through
here.
"""

from __future__ import annotations

from collections.abc import Sequence

from wargame.engine.events import Event
from wargame.errors import ExpressionError
from wargame.scenario.expr import Effect, compile_effect
from wargame.scenario.scenario import Scenario, TrackInfo


def nation_name(scenario: Scenario, nation_id: str) -> str:
    """A nation's name for its id (the id itself if the scenario has no such nation)."""
    try:
        return scenario.nation(nation_id).name
    except KeyError:
        return nation_id


def track_of(scenario: Scenario, name: str) -> TrackInfo | None:
    """The track an expression name stands for, or None (a flag, or no such name)."""
    slot = scenario.names.get(name)
    return scenario.track_by_slot.get(slot.index) if slot is not None else None


def track_label(scenario: Scenario, name: str) -> str:
    """A person's name for an expression name: "Domestic support (Japan)", "Alert"."""
    track = track_of(scenario, name)
    if track is not None:
        if track.nation is not None:
            return f"{track.title} ({nation_name(scenario, track.nation)})"
        return track.title
    for flag in scenario.model.flags:
        if flag.id == name:
            return flag.name
    return name


def effect_hint(scenario: Scenario, effect: Effect) -> str:
    """"Coalition cohesion +1", "Quarantine declared: set"; an amount that is computed is given
    with the names in words ("Escalation up by max(1, Heat - 2)")."""
    label = track_label(scenario, effect.target)
    if effect.slot.kind == "bool":
        if effect.constant is not None:
            return f"{label}: {'set' if effect.constant else 'cleared'}"
        return f"{label}: set when {_amount(scenario, effect)}"
    if effect.constant is None:
        verb = {"+=": "up by", "-=": "down by"}.get(effect.op, "set to")
        return f"{label} {verb} {_amount(scenario, effect)}"
    amount = round(effect.constant)
    if effect.op == "+=":
        return f"{label} {amount:+d}"
    if effect.op == "-=":
        return f"{label} {-amount:+d}"
    return f"{label} set to {amount}"


def _amount(scenario: Scenario, effect: Effect) -> str:
    """The right-hand side of an effect statement with its names in words."""
    from wargame.scenario.conditions import parse

    rest = effect.source.split(effect.op, 1)[1] if effect.op in effect.source else effect.source
    try:
        return scenario.words.say(parse(rest.strip()))
    except Exception:  # the statement was checked at load time; this is a guard
        return rest.strip()


def event_words(scenario: Scenario, event: Event) -> str:
    """An event's line with a track's or flag's name in words, as the board names it: an effect's
    text is "NAME +N: REASON" or "NAME set: REASON" (wargame.engine.rules), NAME the expression
    name ("bloc_politics"); it becomes "Bloc politics +1: REASON". The White cell's adjustment,
    "Facilitator adjusts taiwan.support -= 2 — REASON" in the record (wargame.engine.facilitator),
    becomes "Facilitator adjusts Domestic support (Taiwan) -2 — REASON". Other events' text as
    it is (the record keeps its own text: only the line shown changes)."""
    if event.kind == "facilitator" and event.data.get("action") == "adjust":
        return _adjustment_words(scenario, event)
    target = event.data.get("target")
    if event.kind != "effect" or not isinstance(target, str):
        return event.text
    _, space, rest = event.text.partition(" ")
    label = track_label(scenario, target)
    return f"{label} {rest}" if space and label != target else event.text


ADJUSTS = "Facilitator adjusts "  # the start of an adjustment's line (wargame.engine.facilitator.describe)


def _adjustment_words(scenario: Scenario, event: Event) -> str:
    """An adjustment's line with its effect statements in words (`effect_hint`);
    its text as recorded when it is not the line its `effects` would give, or names what this
    scenario does not have."""
    effects = event.data.get("effects")
    if not isinstance(effects, list) or not effects or not all(isinstance(e, str) for e in effects):
        return event.text
    written = ADJUSTS + ", ".join(effects)
    if not event.text.startswith(written):
        return event.text
    try:
        said = [effect_hint(scenario, compile_effect(e, scenario.names)) for e in effects]
    except ExpressionError:  # names this scenario does not have: the record's own words
        return event.text
    return ADJUSTS + ", ".join(said) + event.text[len(written):]


def reveal_headline(label: str, timed_out: Sequence[str] = ()) -> str:
    """The reveal's first line for the turn `label`: every delegation decided, or the clock took
    the default order of those named in `timed_out` (their results say "(time ran out)")."""
    revealed = f"The orders of {label} are revealed together:"
    if not timed_out:
        return f"Every delegation has decided. {revealed}"
    names = ", ".join(timed_out[:-1]) + " and " + timed_out[-1] if len(timed_out) > 1 else timed_out[0]
    taken = "its default order was" if len(timed_out) == 1 else "their default orders were"
    return f"Time ran out for {names}: {taken} taken. {revealed}"


def clocked(scenario: Scenario, events: Sequence[Event]) -> list[str]:
    """The names of the nations whose order the clock took (`by` "clock") among the decisions in
    `events` after the last turn_start there: a turn's, for `reveal_headline`."""
    start = max((i for i, e in enumerate(events) if e.kind == "turn_start"), default=0)
    return [nation_name(scenario, str(e.data.get("nation"))) for e in events[start:]
            if e.kind == "decision" and e.data.get("by") == "clock"]
