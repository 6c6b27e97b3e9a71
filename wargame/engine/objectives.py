"""Delegation objectives: how far each nation reached its own goals (docs/scenario-format.md,
"Objectives").

A pure function of the scenario and the states a game passed through: the same game always
gets the same verdicts, so the board, the report and a sweep agree without storing anything in
the record. An objective is judged on the final state (`over = "end"`), on every turn's closing
state (`"every_turn"`: it must have held throughout) or on any of them (`"any_turn"`). Its
expressions may read `outcome.ID`, true in the final state when the game ended with that outcome.

Each objective is `achieved` when its `achieved` condition holds, `partly` when only its
`partly` condition does, otherwise `not`. A delegation has achieved its objectives when it
achieved every one, has not when it reached none even partly, and partly otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from wargame.engine.state import State
from wargame.scenario.expr import Compiled
from wargame.scenario.scenario import ObjectiveInfo, Scenario


class Verdict(StrEnum):
    """How far an objective, or a delegation's objectives together, were reached."""

    ACHIEVED = "achieved"
    PARTLY = "partly"
    NOT = "not"

    @property
    def words(self) -> str:
        return {"achieved": "achieved", "partly": "partly achieved", "not": "not achieved"}[self.value]


@dataclass(frozen=True)
class ObjectiveResult:
    objective: ObjectiveInfo
    verdict: Verdict


@dataclass(frozen=True)
class DelegationResult:
    nation: str
    verdict: Verdict
    objectives: tuple[ObjectiveResult, ...]


def _values(scenario: Scenario, state: State) -> list[float]:
    """The state's values followed by one `outcome.ID` flag per outcome, in scenario order."""
    return [*state.values, *(float(o.id == state.outcome) for o in scenario.outcomes)]


def _holds(condition: Compiled | None, rows: Sequence[Sequence[float]], over: str) -> bool:
    if condition is None or not rows:
        return False
    if over == "every_turn":
        return all(condition.evaluate(r) for r in rows)
    if over == "any_turn":
        return any(condition.evaluate(r) for r in rows)
    return bool(condition.evaluate(rows[-1]))


def judge(objective: ObjectiveInfo, rows: Sequence[Sequence[float]]) -> Verdict:
    """One objective over the closing values of each turn (the last row is the final state)."""
    if _holds(objective.achieved, rows, objective.over):
        return Verdict.ACHIEVED
    if _holds(objective.partly, rows, objective.over):
        return Verdict.PARTLY
    return Verdict.NOT


def combine(verdicts: Sequence[Verdict]) -> Verdict:
    """A delegation's verdict from its objectives' (documented in the module docstring)."""
    if verdicts and all(v is Verdict.ACHIEVED for v in verdicts):
        return Verdict.ACHIEVED
    if any(v is not Verdict.NOT for v in verdicts):
        return Verdict.PARTLY
    return Verdict.NOT


def assess(scenario: Scenario, states: Sequence[State]) -> tuple[DelegationResult, ...]:
    """Every nation's results, in scenario order (nations without objectives are left out).

    `states`: the state after each turn played, in order; the last is the one judged as final
    (for a game in progress, the verdicts say where each delegation stands if it ended now).
    An empty sequence judges nothing: every objective is not achieved.
    """
    rows = [_values(scenario, s) for s in states]
    out = []
    for nation in scenario.nations:
        objectives = scenario.objectives_of(nation.id)
        if not objectives:
            continue
        results = tuple(ObjectiveResult(o, judge(o, rows)) for o in objectives)
        out.append(DelegationResult(nation.id, combine([r.verdict for r in results]), results))
    return tuple(out)


__all__ = ["DelegationResult", "ObjectiveResult", "Verdict", "assess", "combine", "judge"]
