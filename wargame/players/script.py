"""Decisions read from a script file, for rehearsed demos, tests and classroom hand-outs.

Format: one decision a line, `TURN NATION OPTION`, with `#` starting a comment and blank lines
ignored. OPTION is the option id (`japan.yokota_cell`) or its part after the nation
(`yokota_cell`); `wargame show SCENARIO` lists the ids. A turn the script says nothing of for
one of its nations is played by the computer. Anything after ` -- ` on a line is kept as the
decision's note:

    # turn nation option
    1 japan yokota_cell -- start with intelligence, it costs least at home
    2 japan colby_private_logistics

Messages of the negotiation phase are lines too, sent before that turn's decisions in file
order (the text runs to the end of the line; a `#` in it starts a comment):

    2 japan say We will not be drawn into a war.              # a public statement
    2 japan tell australia,philippines Let us keep it quiet.  # a private message
    2 us offer japan colby_private_logistics stockpiles Define it and we stock forward.
    3 us signal red_line Any quarantine will be met together. # a costly signal of the scenario

An offer names the addressee's option, then the sender's (ids or their part after the nation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from wargame.engine.events import Decision
from wargame.engine.negotiation import Message
from wargame.engine.rules import IllegalDecision, legal_options
from wargame.engine.state import State
from wargame.errors import NotFound, UsageError
from wargame.files import read_bytes, strip_bom
from wargame.scenario.scenario import Scenario

MAX_SCRIPT = 1_000_000  # bytes; a script is a line per decision


class ScriptFileError(NotFound):
    """A --script file that is missing, not a regular file, or cannot be read."""


class ScriptRefused(IllegalDecision):
    """A scripted decision the rules do not allow when its turn comes."""


VERBS = {"say": "statement", "tell": "private", "offer": "offer", "signal": "signal"}


@dataclass(frozen=True)
class Script:
    path: str
    decisions: dict[tuple[int, str], Decision]
    lines: dict[tuple[int, str], int] = field(default_factory=dict)  # the line each decision is on
    messages: dict[tuple[int, str], list[Message]] = field(default_factory=dict)

    @property
    def nations(self) -> set[str]:
        return {nation for _, nation in self.decisions}

    def has(self, turn: int, nation: str) -> bool:
        return (turn, nation) in self.decisions

    def messages_of(self, turn: int, nation: str) -> list[Message]:
        """The messages `nation` sends in turn `turn`'s negotiation phase, in file order."""
        return list(self.messages.get((turn, nation), []))

    def decision(self, turn: int, nation: str) -> Decision:
        found = self.decisions.get((turn, nation))
        if found is None:
            raise UsageError(f"{self.path}: no decision for {nation} in turn {turn}")
        return found

    def decide(self, scenario: Scenario, state: State, nation: str) -> Decision:
        """This turn's decision for `nation`, checked against the rules now: ScriptRefused (exit
        1) naming the script's file, line and turn when the option may not be taken."""
        found = self.decision(state.turn, nation)
        for choice in legal_options(scenario, state, nation):
            if choice.option.id == found.option and not choice.ok:
                where = f"{self.path}:{self.lines.get((state.turn, nation), '?')}"
                raise ScriptRefused(f"{where}: turn {state.turn}: {scenario.nation(nation).name} cannot choose "
                                    f"{choice.option.name!r} ({found.option}) now: {choice.why_not}; "
                                    "change that line of the script (`wargame show` lists when each option "
                                    "is open)")
        return found


def load_script(path: str | Path, scenario: Scenario) -> Script:
    shown = str(path)
    data = read_bytes(path, ScriptFileError, "a script of decisions", MAX_SCRIPT)
    if len(data) > MAX_SCRIPT:
        raise UsageError(f"{shown}: the script is more than {MAX_SCRIPT:,} bytes, the most a script may be")
    try:
        text = strip_bom(data).decode("utf-8")
    except UnicodeDecodeError as err:
        at = data[: err.start].count(b"\n") + 1
        raise UsageError(f"{shown}:{at}: the script is not UTF-8 text (byte {err.start + 1})") from None
    nations = {n.id for n in scenario.nations}
    last = scenario.turns + (scenario.live.turns if scenario.live is not None else 0)
    decisions: dict[tuple[int, str], Decision] = {}
    lines: dict[tuple[int, str], int] = {}
    messages: dict[tuple[int, str], list[Message]] = {}
    problems = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line, _, note = raw.partition(" -- ")
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) >= 3 and parts[0].isdecimal() and parts[2] in VERBS:
            message = _message(scenario, parts, raw, f"{shown}:{number}", problems, last)
            if message is not None:
                messages.setdefault((int(parts[0]), parts[1]), []).append(message)
            continue
        if len(parts) != 3 or not parts[0].isdecimal():
            problems.append(f"{shown}:{number}: expected 'TURN NATION OPTION', got {raw.strip()!r}")
            continue
        turn, nation, option = int(parts[0]), parts[1], parts[2]
        if not 1 <= turn <= last:
            problems.append(f"{shown}:{number}: turn {turn} is outside 1..{last}")
            continue
        if nation not in nations:
            problems.append(f"{shown}:{number}: unknown nation {nation!r}; the nations are "
                            f"{', '.join(sorted(nations))}")
            continue
        full = option if option.startswith(nation + ".") else f"{nation}.{option}"
        if full not in scenario.options:
            problems.append(f"{shown}:{number}: {nation} has no option {option!r}; "
                            f"`wargame show {scenario.id}` lists the option ids")
            continue
        if (turn, nation) in decisions:
            problems.append(f"{shown}:{number}: a second decision for {nation} in turn {turn}")
            continue
        decisions[(turn, nation)] = Decision(nation, full, "script", note.strip())
        lines[(turn, nation)] = number
    if problems:
        raise UsageError("\n".join(problems))
    return Script(shown, decisions, lines, messages)


def parse_message(scenario: Scenario, turn: int, nation: str, line: str) -> Message:
    """A message typed at the table, in the script's words without the turn and nation:
    `say TEXT`, `tell TO[,TO] TEXT`, `offer TO THEIR_OPTION OUR_OPTION [TEXT]`, `signal ID [TEXT]`.
    UsageError saying what is wrong."""
    problems: list[str] = []
    parts = [str(turn), nation, *line.split()]
    last = scenario.turns + (scenario.live.turns if scenario.live is not None else 0)
    message = _message(scenario, parts, line, "message", problems, last) if len(parts) >= 3 else None
    if message is None:
        raise UsageError("; ".join(problems) or "a message is say, tell, offer or signal")
    return message


def addressees(words: list[str]) -> tuple[list[str], list[str]]:
    """`tell`'s words after the verb split into the addressees and the text: `japan,australia
    Hi` and `japan, australia Hi` (spaces after or before a comma) both name Japan and Australia.
    The one rule for a typed `tell`, at the table and in `wargame join` (wargame.serve.joining)."""
    names: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        names.extend(n for n in word.split(",") if n)
        index += 1
        more = word.endswith(",") or (index < len(words) and words[index].startswith(","))
        if not more:
            break
    return names, words[index:]


def _message(scenario: Scenario, parts: list[str], raw: str, where: str, problems: list[str],
             last: int) -> Message | None:
    """A message line (`TURN NATION VERB ...`), or None with the problem added."""
    turn, nation, verb = int(parts[0]), parts[1], parts[2]
    nations = {n.id for n in scenario.nations}
    if not 1 <= turn <= last or nation not in nations:
        problems.append(f"{where}: turn {turn} or nation {nation!r} is not in the scenario")
        return None
    kind = VERBS[verb]
    rest = parts[3:]

    def option(owner: str, name: str) -> str | None:
        full = name if name.startswith(owner + ".") else f"{owner}.{name}"
        if full not in scenario.options:
            problems.append(f"{where}: {owner} has no option {name!r}")
            return None
        return full

    if kind == "statement":
        return Message(nation, kind, " ".join(rest))
    if kind == "private":
        if not rest:
            problems.append(f"{where}: expected 'TURN NATION tell TO[,TO] TEXT', got {raw.strip()!r}")
            return None
        names, said = addressees(rest)
        to = tuple(names)
        if not to or any(n not in nations for n in to):
            problems.append(f"{where}: unknown nation in {','.join(names)!r}")
            return None
        return Message(nation, kind, " ".join(said), to)
    if kind == "signal":
        if not rest or rest[0] not in scenario.signals:
            problems.append(f"{where}: expected a signal of the scenario ({', '.join(scenario.signals) or 'none'})")
            return None
        return Message(nation, kind, " ".join(rest[1:]), signal=rest[0])
    if len(rest) < 3 or rest[0] not in nations:
        problems.append(f"{where}: expected 'TURN NATION offer TO THEIR_OPTION OUR_OPTION [TEXT]', got {raw.strip()!r}")
        return None
    wanted, given = option(rest[0], rest[1]), option(nation, rest[2])
    if wanted is None or given is None:
        return None
    return Message(nation, kind, " ".join(rest[3:]), (rest[0],), if_option=wanted, then_option=given)
