"""One turn of a played game as report facts: its recorded events grouped by what caused them
(an inject, a decision, a facilitator action, a message), with the results and changes that
followed each, and the tracks that moved.

Every effect, roll and approval follows its cause in the record, so one pass over the turn's
events suffices. Also the names a report gives tracks, flags, nations and options.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from wargame.engine.events import Event
from wargame.engine.negotiation import Message, offers_kept
from wargame.engine.state import State
from wargame.record.verify import PlayedTurn
from wargame.scenario.scenario import OptionInfo, Scenario, TrackInfo
from wargame.view.report_facts import (
    Change,
    DecisionFact,
    InjectFact,
    MessageFact,
    Move,
    Remark,
    TurnFacts,
    pct,
)
from wargame.view.words import event_words

# events that are structure, not content: the timeline's sections stand for them
_STRUCTURE = {"turn_start", "turn_end", "game_end"}


def _label(scenario: Scenario, name: str) -> tuple[str, bool]:
    """A person's name for a track or flag, and whether it is a flag."""
    slot = scenario.names.get(name)
    track = scenario.track_by_slot.get(slot.index) if slot is not None else None
    if track is not None:
        return _track_label(scenario, track), False
    for flag in scenario.model.flags:
        if flag.id == name:
            return flag.name, True
    return name, slot is not None and slot.kind == "bool"


def _track_label(scenario: Scenario, track: TrackInfo) -> str:
    if track.nation is None:
        return track.title
    return f"{track.title} ({nation_name(scenario, track.nation)})"


def nation_name(scenario: Scenario, nation_id: str) -> str:
    index = scenario.nation_index.get(nation_id)
    return scenario.nations[index].name if index is not None else nation_id


def option_name(scenario: Scenario, option_id: str) -> str:
    option: OptionInfo | None = scenario.options.get(option_id)
    return option.name if option is not None else option_id


def change_of(scenario: Scenario, ev: Event) -> Change:
    target = str(ev.data.get("target", ""))
    label, flag = _label(scenario, target)
    before, after = ev.data.get("before"), ev.data.get("after")
    flag = flag or isinstance(after, bool)
    reason = str(ev.data.get("reason") or "")
    marker = f": {reason}"
    at = ev.text.find(marker)
    rest = ev.text[at + len(marker):] if at >= 0 else ""
    held = rest if rest.startswith(" (held at") else ""
    return Change(target, label, before, after, reason, flag, held)


def _roll(ev: Event) -> str:
    chance, roll = ev.data.get("chance"), ev.data.get("roll")
    if not isinstance(chance, int | float) or isinstance(chance, bool):
        return ""
    if not isinstance(roll, int | float) or isinstance(roll, bool):
        return "no chance"
    return f"rolled {roll * 100:.0f} against {pct(chance)}"


@dataclass
class _Open:
    """A fact being gathered: what it is, and the results and changes that follow it."""

    event: Event
    results: list[str]
    changes: list[Change]


def turn_facts(scenario: Scenario, view: PlayedTurn, before: State) -> TurnFacts:
    """Group a turn's events by what caused them. Every effect, roll and approval follows its
    cause in the record (an inject, a decision, a facilitator action), so one pass suffices."""
    events = view.events
    injects: list[_Open] = []
    inject_by_id: dict[str, _Open] = {}
    decisions: dict[tuple[str, str], _Open] = {}
    remarks: list[tuple[Remark, _Open | None]] = []
    acting: _Open | None = None  # the facilitator action whose results are being read
    missed: list[str] = []
    lines: list[str] = []
    loose: list[Change] = []
    messages: list[_Open] = []
    # (sender, signal id) -> its messages this turn whose effects have not begun to land, in order;
    # and the landing being read: its message and the index in the signal's effects reached
    signalled: dict[tuple[str, str], list[_Open]] = {}
    landing: dict[tuple[str, str], tuple[_Open, int]] = {}
    outcome = None
    for i, ev in enumerate(events):
        data = ev.data
        key = (str(data.get("nation")), str(data.get("option")))
        if ev.kind in ("turn_start", "decision"):
            acting = None
        if ev.kind in _STRUCTURE:
            if ev.kind == "game_end":
                outcome = str(data.get("title") or ev.text)
        elif ev.kind == "inject":
            fact = _Open(ev, [], [])
            injects.append(fact)
            inject_by_id[str(data.get("inject"))] = fact
        elif ev.kind == "decision":
            decisions[key] = _Open(ev, [], [])
        elif ev.kind == "chance":
            roll = _roll(ev)
            said = ("succeeded" if data.get("success") else "failed") + (f" ({roll})" if roll else "")
            following = events[i + 1] if i + 1 < len(events) else None
            if "inject" in data:
                if not data.get("success"):
                    missed.append(_inject_title(scenario, str(data["inject"]), ev))
            elif following is not None and following.kind == "approval":
                continue  # the approval's roll, told with the approval
            elif acting is not None:
                acting.results.append(said)
            elif key in decisions:
                decisions[key].results.append(said)
            else:
                lines.append(ev.text)
        elif ev.kind == "approval":
            body = str(data.get("body") or "Approval")
            said = f"{body} {'approved' if data.get('passed') else 'rejected'} it"
            previous = events[i - 1] if i > 0 else None
            if previous is not None and previous.kind == "chance" and "inject" not in previous.data:
                roll = _roll(previous)
                said += f" ({roll})" if roll else ""
            if key in decisions:
                decisions[key].results.append(said)
            else:
                lines.append(ev.text)
        elif ev.kind == "effect":
            change = change_of(scenario, ev)
            inject = data.get("inject")
            if inject is not None and str(inject) in inject_by_id:
                inject_by_id[str(inject)].changes.append(change)
            elif acting is not None:
                acting.changes.append(change)
            elif (landed := _landing(scenario, ev, signalled, landing)) is not None:  # a signal landing
                landed.changes.append(change)
            elif key in decisions:
                decisions[key].changes.append(change)
            else:
                loose.append(change)
        elif ev.kind == "message":
            acting = _Open(ev, [], [])
            messages.append(acting)
            if data.get("signal") is not None:
                signalled.setdefault((str(data.get("nation")), str(data.get("signal"))), []).append(acting)
        elif ev.kind == "facilitator":
            acting = _Open(ev, [], [])
            text = event_words(scenario, ev)
            for extra in (data.get("detail"), data.get("reason")):
                said = str(extra or "").strip()
                if said and said not in text:
                    text = f"{text} — {said}"
            remarks.append((Remark("facilitator", "", text), acting))
        elif ev.kind == "comment":
            by = str(data.get("by") or data.get("nation") or "").strip()
            heading = f"Comment ({nation_name(scenario, by)})" if by else "Comment"
            remarks.append((Remark("comment", heading, str(data.get("text") or ev.text)), None))
        elif ev.kind == "posture" and key in decisions:
            decisions[key].results.append(f"posture: {data.get('posture')}")
        elif ev.kind in ("request", "role", "pledge_made", "pledge_fired", "posture", "response", "live_crisis",
                         "inject_spent"):
            lines.append(ev.text)
        else:  # a kind this version does not know: its text says what it was
            remarks.append((Remark(ev.kind, ev.kind.replace("_", " ").capitalize(), ev.text), None))
    inject_facts = tuple(
        InjectFact(str(f.event.data.get("inject")), str(f.event.data.get("title") or f.event.text),
                   _inject_text(scenario, str(f.event.data.get("inject"))), tuple(f.changes),
                   str(f.event.data.get("by") or ""))
        for f in injects)
    decision_facts = tuple(
        DecisionFact(
            nation=str(f.event.data.get("nation")),
            nation_name=nation_name(scenario, str(f.event.data.get("nation"))),
            option=str(f.event.data.get("option")),
            option_name=option_name(scenario, str(f.event.data.get("option"))),
            category=_category(scenario, str(f.event.data.get("option"))),
            by=str(f.event.data.get("by") or "—"),
            note=str(f.event.data.get("note") or ""),
            results=tuple(f.results),
            changes=tuple(f.changes),
        )
        for f in decisions.values())
    remark_facts = tuple(
        replace(r, results=tuple(o.results), changes=tuple(o.changes)) if o is not None else r
        for r, o in remarks)
    chosen = {d.nation: d.option for d in decision_facts}
    message_facts = tuple(_message(scenario, f, chosen) for f in messages)
    return TurnFacts(view.number, view.label, inject_facts, tuple(missed), decision_facts, tuple(lines),
                     tuple(loose), remark_facts, _moves(scenario, before, view.state), outcome, message_facts)


def _landing(scenario: Scenario, ev: Event, signalled: dict[tuple[str, str], list[_Open]],
             landing: dict[tuple[str, str], tuple[_Open, int]]) -> _Open | None:
    """The signal message an `effect` event of a signal landing belongs to, or None (not a
    signal's effect, or no message sent it). The signals sent in a turn land at its
    adjudication in the order they were sent, each applying its effects in the scenario's order
    (a change to nothing is left out), so the same signal sent twice is matched in order: an
    effect that cannot follow the last one matched in the signal's list begins the next landing."""
    key = (str(ev.data.get("nation")), str(ev.data.get("signal")))
    signal = scenario.signals.get(key[1])
    if signal is None or (key not in signalled and key not in landing):
        return None
    targets = [e.target for e in signal.effects]
    target = ev.data.get("target")
    current = landing.get(key)
    if current is not None:
        later = [j for j in range(current[1] + 1, len(targets)) if targets[j] == target]
        if later:
            landing[key] = (current[0], later[0])
            return current[0]
    waiting = signalled.get(key) or []
    if not waiting:  # more effects than messages: the last landing's
        return current[0] if current is not None else None
    fact = waiting.pop(0)
    landing[key] = (fact, targets.index(target) if target in targets else 0)
    return fact


def _message(scenario: Scenario, fact: _Open, chosen: dict[str, str]) -> MessageFact:
    message = Message.from_data(fact.event.data)
    kept = offers_kept([message], chosen) if message.kind == "offer" and chosen else []
    return MessageFact(nation_name(scenario, message.sender), message.kind, fact.event.text,
                       tuple(fact.changes), kept[0][1] if kept else "")


def _inject_title(scenario: Scenario, inject_id: str, ev: Event) -> str:
    info = next((i for i in scenario.injects if i.id == inject_id), None)
    if info is not None:
        return info.title
    subject = ev.data.get("subject")
    return str(subject) if subject else inject_id


def _inject_text(scenario: Scenario, inject_id: str) -> str:
    info = next((i for i in scenario.injects if i.id == inject_id), None)
    return info.text if info is not None else ""


def _category(scenario: Scenario, option_id: str) -> str:
    """The option's role category, unless its name already says it."""
    option = scenario.options.get(option_id)
    if option is None or option.name.endswith(option.category_name):
        return ""
    return option.category_name


def _moves(scenario: Scenario, before: State, after: State) -> tuple[Move, ...]:
    out = []
    for track in scenario.tracks:
        a, b = before.values[track.slot], after.values[track.slot]
        if a != b:
            out.append(Move(track.name, _track_label(scenario, track), float(a), float(b), track.higher_is))
    return tuple(out)
