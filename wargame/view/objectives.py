"""Delegation objectives as people read them: the board's panel, the handout's and the report's
lines. The verdicts come from `wargame.engine.objectives.assess`; this module only lays them out.

Marks never rely on colour alone: ✓ achieved, ~ partly, ✗ not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.console import Group, RenderableType
from rich.text import Text

from wargame.engine.objectives import DelegationResult, Verdict, assess
from wargame.engine.state import State
from wargame.scenario.scenario import NationInfo, ObjectiveInfo, Scenario
from wargame.view.common import BAD, FAIR, GOOD, lines, nation_text, panel

MARK = {Verdict.ACHIEVED: ("✓", GOOD), Verdict.PARTLY: ("~", FAIR), Verdict.NOT: ("✗", BAD)}
_OVER = {"end": "at the end", "every_turn": "every turn", "any_turn": "at the end of any turn"}


def condition_words(scenario: Scenario, objective: ObjectiveInfo) -> str:
    """"achieved when deterrence >= 6 at the end; partly when …", in the scenario's words."""
    over = _OVER[objective.over]
    said = f"achieved when {scenario.explain(objective.achieved)} {over}"
    if objective.partly is not None:
        said += f"; partly when {scenario.explain(objective.partly)}"
    return said


def handout_lines(scenario: Scenario, nation: NationInfo, esc: Callable[[str], str]) -> list[str]:
    """Markdown list items for a delegation's handout (`esc` escapes scenario text)."""
    out = []
    for i, objective in enumerate(scenario.objectives_of(nation.id), start=1):
        line = f"{i}. **{esc(objective.name)}**"
        if objective.text:
            line += f" — {esc(objective.text)}"
        out.append(line)
        words = condition_words(scenario, objective)
        out.append(f"   *{esc(words[:1].upper() + words[1:])}.*")
    return out


def objectives_panel(scenario: Scenario, state: State, history: Sequence[State] | None = None,
                     nation: str | None = None) -> RenderableType | None:
    """The board's panel: delegations' verdicts and their objectives' marks. With `nation`, that
    delegation's alone (where it stands if the game ended now); without, every delegation's,
    and only once the game is over (None before). `history` is the state after each turn
    played (default: the current state alone), which objectives judged over every turn need."""
    if not scenario.objectives or (nation is None and not state.ended):
        return None
    results = [r for r in assess(scenario, list(history) if history else [state])
               if nation is None or r.nation == nation]
    if not results:
        return None
    rows: list[tuple[Text, Text]] = []
    for result in results:
        rows.append(_delegation_row(scenario, result))
    title = "Objectives" if state.ended else "Your objectives — where you stand if the game ended now"
    return panel(Group(lines(rows)), title)


def _delegation_row(scenario: Scenario, result: DelegationResult) -> tuple[Text, Text]:
    mark, style = MARK[result.verdict]
    head = nation_text(scenario, result.nation)
    head.append(f": {result.verdict.words}")
    for r in result.objectives:
        m, s = MARK[r.verdict]
        head.append("\n  ")
        head.append(m, style=s)
        head.append(f" {r.objective.name}")
    return Text(mark, style=style), head


def verdict_line(scenario: Scenario, result: DelegationResult) -> str:
    """"Japan: partly achieved (✓ Alliance credible; ✗ Out of the war)" — plain text."""
    name = scenario.nation(result.nation).name
    parts = "; ".join(f"{MARK[r.verdict][0]} {r.objective.name}" for r in result.objectives)
    return f"{name}: {result.verdict.words} ({parts})"
