"""Decisions read from a script file, for rehearsed demos, tests and classroom hand-outs.

Format: one decision a line, `TURN NATION OPTION`, with `#` starting a comment and blank lines
ignored. OPTION is the option id (`japan.yokota_cell`) or its part after the nation
(`yokota_cell`); `wargame show SCENARIO` lists the ids. A turn the script says nothing of for
one of its nations is played by the computer. Anything after ` -- ` on a line is kept as the
decision's note:

    # turn nation option
    1 japan yokota_cell -- start with intelligence, it costs least at home
    2 japan colby_private_logistics
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wargame.engine.events import Decision
from wargame.errors import UsageError
from wargame.scenario.scenario import Scenario


@dataclass(frozen=True)
class Script:
    path: str
    decisions: dict[tuple[int, str], Decision]

    @property
    def nations(self) -> set[str]:
        return {nation for _, nation in self.decisions}

    def has(self, turn: int, nation: str) -> bool:
        return (turn, nation) in self.decisions

    def decision(self, turn: int, nation: str) -> Decision:
        found = self.decisions.get((turn, nation))
        if found is None:
            raise UsageError(f"{self.path}: no decision for {nation} in turn {turn}")
        return found


def load_script(path: str | Path, scenario: Scenario) -> Script:
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"{shown}: cannot read the script: {err}") from None
    nations = {n.id for n in scenario.nations}
    decisions: dict[tuple[int, str], Decision] = {}
    problems = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line, _, note = raw.partition(" -- ")
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 3 or not parts[0].isdecimal():
            problems.append(f"{shown}:{number}: expected 'TURN NATION OPTION', got {raw.strip()!r}")
            continue
        turn, nation, option = int(parts[0]), parts[1], parts[2]
        if not 1 <= turn <= scenario.turns:
            problems.append(f"{shown}:{number}: turn {turn} is outside 1..{scenario.turns}")
            continue
        if nation not in nations:
            problems.append(f"{shown}:{number}: unknown nation {nation!r}")
            continue
        full = option if option.startswith(nation + ".") else f"{nation}.{option}"
        if full not in scenario.options:
            problems.append(f"{shown}:{number}: {nation} has no option {option!r}")
            continue
        if (turn, nation) in decisions:
            problems.append(f"{shown}:{number}: a second decision for {nation} in turn {turn}")
            continue
        decisions[(turn, nation)] = Decision(nation, full, "script", note.strip())
    if problems:
        raise UsageError("\n".join(problems))
    return Script(shown, decisions)
