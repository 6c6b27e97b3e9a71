"""A turn's events grouped under what caused them, for the situation board and the situation room
(wargame.view.board, wargame.view.situation); and what everyone may see of a nation's role.

Each effect event names its cause (inject=…, pledge=…, or nation=… and option=…), and an event
is put under that inject, pledge or decision.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from wargame.engine.events import Event
from wargame.scenario.scenario import Scenario


@dataclass
class Block:
    """A headline event (inject, decision, pledge coming due) and what followed from it."""

    head: Event
    details: list[Event] = field(default_factory=list)


@dataclass
class TurnEvents:
    injects: list[Block] = field(default_factory=list)
    missed: list[Event] = field(default_factory=list)  # injects whose chance roll failed
    spent: list[Event] = field(default_factory=list)  # injects due now that the White cell fired early
    decisions: list[Block] = field(default_factory=list)
    pledges: list[Block] = field(default_factory=list)
    loose: list[Event] = field(default_factory=list)  # events that name no cause on the board


def split_turn(events: Sequence[Event]) -> TurnEvents:
    """Group a turn's events under the inject, decision or pledge that caused them, by the
    cause each event names: inject=…, pledge=… (effects of a pledge coming due), option=…,
    or nation=… (a request made, a role defined, a pledge made)."""
    turn = TurnEvents()
    heads: dict[tuple[str, str], Block] = {}  # ("inject" | "pledge" | "option" | "nation", id)
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
        if kind == "inject_spent":
            turn.spent.append(ev)
            continue
        if kind == "inject":
            roll = rolls.pop(str(data.get("inject")), None)
            block = Block(ev, [roll] if roll is not None else [])
            heads[("inject", str(data.get("inject")))] = block
            turn.injects.append(block)
        elif kind == "decision":
            block = Block(ev)
            heads[("option", str(data.get("option")))] = block
            heads[("nation", str(data.get("nation")))] = block
            turn.decisions.append(block)
        elif kind == "pledge_fired":
            block = Block(ev)
            heads[("pledge", str(data.get("pledge")))] = block
            turn.pledges.append(block)
        else:
            owner = _owner(ev, heads)
            (owner.details if owner is not None else turn.loose).append(ev)
    return turn


def _owner(ev: Event, heads: Mapping[tuple[str, str], Block]) -> Block | None:
    if ev.kind == "effect" and "signal" in ev.data:
        return None  # a costly signal landing: told with its own reason, not under the sender's order
    causes = ("inject", "pledge", "option", "nation") if ev.kind == "effect" else ("option", "nation")
    for cause in causes:
        if cause in ev.data and (cause, str(ev.data[cause])) in heads:
            return heads[(cause, str(ev.data[cause]))]
    return None


def net_changes(events: Iterable[Event]) -> dict[str, float]:
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


def role_shown(scenario: Scenario, role: str) -> str:
    """What everyone may see of a nation's answer to a role request: a private role is only
    "defined (private)"."""
    kind, _, category = role.partition(":")
    if kind == "public":
        return f"{scenario.model.categories[category].name} (public)" if category in scenario.model.categories \
            else "defined (public)"
    return {"private": "defined (private)", "defer": "deferred", "decline": "declined"}.get(kind, "—")
