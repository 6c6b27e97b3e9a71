"""The White cell's command line in the full-screen table: one line, one facilitator action.

`parse(scenario, line)` turns a line into the action the Game carries out (plain data, as in
wargame.engine.facilitator), or a `Go` (back to the game). Words the facilitator types — an
inject id, a track name, a nation id — are checked against the scenario; a line that is not
understood raises FacilitatorError with the usage of its command. `vocabulary` gives the words
the command line completes. Pure: no screen, no game.

    inject ID [-- why]                          fire one of the scenario's injects now
    new TITLE : EFFECTS [-- why]                write an inject on the spot
    adjust EFFECTS -- why                       set a track straight (a reason is required)
    propose NATION PERCENT PROPOSAL : IF-SUCCESS : IF-FAILURE [-- why]
    undo                                        take back the last White cell action alone
    undo turn [N]                               back to the start of turn N (this turn by default)
    pause | resume                              the decision clock
    comment TEXT                                a note for the record
    end TITLE [: WHAT IT MEANS] [-- why]        end the game with your own outcome
    go                                          back to the game (or an empty line)

EFFECTS are the scenario's effect statements separated by ";" (`cohesion -= 1; escalation += 2`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wargame.engine.facilitator import FacilitatorError, typed_effects
from wargame.scenario.scenario import Scenario

USAGE = {
    "inject": "inject ID [-- why]",
    "new": "new TITLE : EFFECTS [-- why]",
    "adjust": "adjust EFFECTS -- why",
    "propose": "propose NATION PERCENT PROPOSAL : IF-SUCCESS : IF-FAILURE [-- why]",
    "undo": "undo (the last White cell action) | undo turn [N]",
    "pause": "pause",
    "resume": "resume",
    "comment": "comment TEXT",
    "end": "end TITLE [: WHAT IT MEANS] [-- why]",
    "go": "go",
}
HELP = {
    "inject": "fire one of the scenario's injects now",
    "new": "write an inject on the spot, with track changes",
    "adjust": "change a track, with a reason",
    "propose": "adjudicate a delegation's free-form proposal: you set the chance and the effects",
    "undo": "take back the last White cell action, or go back to the start of a turn",
    "pause": "stop the decision clock",
    "resume": "restart the decision clock",
    "comment": "add a note to the record",
    "end": "end the game with your own outcome",
    "go": "back to the game",
}
COMMANDS = tuple(USAGE)


@dataclass(frozen=True)
class Go:
    """Back to the game."""


def _why(text: str) -> tuple[str, str]:
    """("the line", "why") split at " -- "."""
    head, _, why = text.partition(" -- ")
    return head.strip(), why.strip()


def _effects(scenario: Scenario, text: str) -> list[str]:
    effects = [part.strip() for part in text.split(";") if part.strip()]
    typed_effects(scenario, effects)
    return effects


def parse(scenario: Scenario, line: str, *, turn: int = 0) -> dict[str, Any] | Go:
    """The action a command line asks for (see the module's list), or Go. `turn` is the turn in
    play, for `undo turn` without a number. FacilitatorError when the line is not understood."""
    text = " ".join(line.split())
    if not text or text.lower() in ("go", "back", "continue"):
        return Go()
    word, _, rest = text.partition(" ")
    command = word.lower()
    if command not in USAGE:
        raise FacilitatorError(f"unknown command {word!r}; the commands are {', '.join(COMMANDS)}")
    try:
        return _parse(scenario, command, rest, turn)
    except FacilitatorError as err:
        raise FacilitatorError(f"{err} — usage: {USAGE[command]}") from None


def _parse(scenario: Scenario, command: str, rest: str, turn: int) -> dict[str, Any]:
    if command == "inject":
        name, why = _why(rest)
        ids = {i.id for i in scenario.injects}
        if name not in ids:
            raise FacilitatorError(f"no inject {name!r}" if name else "name the inject")
        return {"action": "inject", "inject": name, "reason": why}
    if command == "new":
        body, why = _why(rest)
        title, _, written = body.partition(":")
        if not title.strip():
            raise FacilitatorError("give it a title")
        return {"action": "free_inject", "title": title.strip(), "detail": "",
                "effects": _effects(scenario, written), "reason": why}
    if command == "adjust":
        body, why = _why(rest)
        effects = _effects(scenario, body)
        if not effects:
            raise FacilitatorError("say what changes, e.g. cohesion -= 1")
        if not why:
            raise FacilitatorError("an adjustment needs a reason after --")
        return {"action": "adjust", "effects": effects, "reason": why}
    if command == "propose":
        body, why = _why(rest)
        parts = body.split(":")
        head = parts[0].split()
        if len(head) < 3 or len(parts) > 3:
            raise FacilitatorError("name the nation, the chance and the proposal")
        nation, percent, proposal = head[0], head[1].rstrip("%"), " ".join(head[2:])
        if nation not in scenario.nation_index:
            raise FacilitatorError(f"no nation {nation!r}")
        try:
            chance = float(percent)
        except ValueError:
            chance = -1.0
        if not 0 <= chance <= 100:
            raise FacilitatorError("the chance is a percentage from 0 to 100")
        success = _effects(scenario, parts[1]) if len(parts) > 1 else []
        failure = _effects(scenario, parts[2]) if len(parts) > 2 else []
        return {"action": "adjudicate", "nation": nation, "proposal": proposal, "chance": round(chance / 100, 4),
                "on_success": success, "on_failure": failure, "reason": why}
    if command == "undo":
        body, why = _why(rest)
        words = body.split()
        extra = {"reason": why} if why else {}
        if not words:
            return {"action": "undo", "last_action": True, **extra}
        if words[0] == "turn" and len(words) <= 2:
            to_turn = turn if len(words) == 1 else int(words[1]) if words[1].isdecimal() else -1
            if to_turn < 1:
                raise FacilitatorError("which turn? e.g. undo turn 3")
            return {"action": "undo", "to_turn": to_turn, **extra}
        raise FacilitatorError("undo takes back the last action, or 'undo turn N'")
    if command in ("pause", "resume"):
        return {"action": "clock", "paused": command == "pause"}
    if command == "comment":
        if not rest.strip():
            raise FacilitatorError("an empty comment")
        return {"action": "comment", "note": rest.strip()}
    body, why = _why(rest)  # end
    title, _, detail = body.partition(":")
    if not title.strip():
        raise FacilitatorError("give the outcome a title")
    return {"action": "end", "title": title.strip(), "detail": detail.strip(), "reason": why}


def vocabulary(scenario: Scenario) -> list[str]:
    """The words the command line completes: commands, inject ids, nation ids, writable names."""
    words = list(COMMANDS) + ["turn"]
    words += [i.id for i in scenario.injects]
    words += [n.id for n in scenario.nations]
    words += [name for name, slot in scenario.names.items() if slot.writable]
    return list(dict.fromkeys(words))


def complete(words: list[str], value: str) -> str | None:
    """`value` with its last word completed from `words` (the first, in order, that it begins),
    or None if nothing completes it."""
    if not value or value.endswith(" "):
        return None
    head, _, last = value.rpartition(" ")
    for word in words:
        if word.startswith(last) and word != last:
            return f"{head} {word}" if head else word
    return None
