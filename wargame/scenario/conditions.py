"""A condition taken apart for people: its top-level `and` parts, whether each holds now, and
each in the scenario's words ("Escalation at least 10 (Brink of war)", "from Week 6").

Pure: no rendering, no I/O. The views use it for how close an outcome is ("Deterrence holds:
3 of 5 conditions met") and the engine for why an option is closed. Only the scenario's own
names and numbers are read; nothing from the file is executed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from wargame.errors import ExpressionError
from wargame.scenario.expr import Compiled, Slot, compile_node
from wargame.scenario.expr_syntax import Binary, Bool, Call, Name, Node, Num, Unary, parse

__all__ = ["Part", "Progress", "Words", "conjuncts", "judge", "parse", "progress", "split", "unparse"]

COMPARE_WORDS = {">=": "at least", "<=": "at most", ">": "above", "<": "below", "==": "exactly", "!=": "not"}
FLIP = {">=": "<=", "<=": ">=", ">": "<", "<": ">", "==": "==", "!=": "!="}
_POWER = {"or": 1, "and": 2, "==": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4, "+": 5, "-": 5, "*": 6, "/": 6}


@dataclass(frozen=True)
class Part:
    """One top-level `and` part of a condition: its text as written, in words, and whether it
    holds on the values it was judged on."""

    source: str
    words: str
    met: bool


@dataclass(frozen=True)
class Progress:
    """How close a condition is: every part judged on one state. `met` counts the parts that
    hold; the condition holds when all do."""

    parts: tuple[Part, ...]

    @property
    def met(self) -> int:
        return sum(1 for p in self.parts if p.met)

    @property
    def total(self) -> int:
        return len(self.parts)

    @property
    def holds(self) -> bool:
        return all(p.met for p in self.parts)


def conjuncts(node: Node) -> list[Node]:
    """The top-level `and` parts of a syntax tree, left to right (one part if there is no `and`)."""
    if isinstance(node, Binary) and node.op == "and":
        return conjuncts(node.left) + conjuncts(node.right)
    return [node]


def unparse(node: Node, power: int = 0) -> str:
    """A tree back as expression text, with brackets only where precedence needs them."""
    if isinstance(node, Num):
        return f"{node.value:g}"
    if isinstance(node, Bool):
        return "true" if node.value else "false"
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Call):
        return f"{node.func}({', '.join(unparse(a) for a in node.args)})"
    if isinstance(node, Unary):
        inner = unparse(node.operand, 3 if node.op == "not" else 7)
        return f"not {inner}" if node.op == "not" else f"-{inner}"
    mine = _POWER[node.op]
    text = f"{unparse(node.left, mine - 1)} {node.op} {unparse(node.right, mine)}"
    return f"({text})" if mine <= power else text


Judge = tuple[str, str, Callable[[Sequence[float]], float]]  # (source, words, evaluator) of one part


def split(compiled: Compiled, names: Mapping[str, Slot], words: Words | None = None) -> tuple[Judge, ...]:
    """The top-level parts of `compiled`, each with its text, its words and its evaluator (built
    once, so judging a condition on many states costs only the evaluations)."""
    return tuple((unparse(node), (words or Words()).say(node), compile_node(node, names))
                 for node in conjuncts(parse(compiled.source)))


def judge(parts: Sequence[Judge], values: Sequence[float]) -> Progress:
    """Every part judged on `values`; a part that cannot be judged counts as not met."""
    out = []
    for source, said, evaluate in parts:
        try:
            met = bool(evaluate(values))
        except (ExpressionError, ArithmeticError, ValueError):
            met = False
        out.append(Part(source, said, met))
    return Progress(tuple(out))


def progress(compiled: Compiled, names: Mapping[str, Slot], values: Sequence[float],
             words: Words | None = None) -> Progress:
    """Each top-level part of `compiled` judged on `values` (the state's value list).

    `names` are the scenario's names (Scenario.names); `words` names things for people
    (default: the names as written). A part that cannot be judged counts as not met."""
    return judge(split(compiled, names, words), values)


@dataclass(frozen=True)
class Words:
    """How to name things in a condition: `titles` for tracks and flags by name ("escalation" ->
    "Escalation"), `rungs` for a track's named thresholds by (name, value), `turn_label` for
    "turn" comparisons ("Week 6"), `counters` for the engine's counters ("colby.defined" ->
    "partners that defined a role for Colby's request")."""

    titles: Mapping[str, str] | None = None
    rungs: Mapping[tuple[str, int], str] | None = None
    turn_labels: Sequence[str] = ()
    counters: Mapping[str, str] | None = None
    flags: frozenset[str] = frozenset()

    def name(self, name: str) -> str:
        return (self.counters or {}).get(name) or (self.titles or {}).get(name) or name

    def turn(self, n: float) -> str:
        k = int(n)
        return self.turn_labels[k - 1] if float(n).is_integer() and 1 <= k <= len(self.turn_labels) else f"turn {n:g}"

    def say(self, node: Node) -> str:
        """One part in words; what has no simple reading keeps its expression, names replaced."""
        if isinstance(node, Bool):
            return "always" if node.value else "never"
        if isinstance(node, Name):
            return self.name(node.name)
        if isinstance(node, Unary) and node.op == "not" and isinstance(node.operand, Name):
            return f"not: {self.name(node.operand.name)}"
        if isinstance(node, Binary) and node.op in COMPARE_WORDS:
            op, left, right = node.op, node.left, node.right
            if isinstance(left, Num) and isinstance(right, Name):
                op, left, right = FLIP[op], right, left
            if isinstance(left, Name) and isinstance(right, Num):
                return self._compare(left.name, op, right.value)
        if isinstance(node, Binary) and node.op in ("and", "or"):
            return f"{self.say(node.left)} {node.op} {self.say(node.right)}"
        return self._rename(node)

    def _compare(self, name: str, op: str, value: float) -> str:
        if name == "turn":
            n = value + 1 if op == ">" else value - 1 if op == "<" else value
            if op in (">=", ">"):
                return f"from {self.turn(n)}"
            if op in ("<=", "<"):
                return f"until {self.turn(n)}"
            return f"in {self.turn(n)}" if op == "==" else f"not in {self.turn(n)}"
        said = f"{self.name(name)} {COMPARE_WORDS[op]} {value:g}"
        named = op in (">=", "==") and float(value).is_integer()  # the rung starts at that value
        rung = (self.rungs or {}).get((name, int(value))) if named else None
        return f"{said} ({rung})" if rung else said

    def _rename(self, node: Node) -> str:
        if isinstance(node, Name):
            return self.name(node.name)
        if isinstance(node, Binary):
            mine = _POWER[node.op]
            return f"{self._rename(node.left)} {node.op} {self._rename(node.right)}" if mine else unparse(node)
        if isinstance(node, Unary):
            return f"not {self._rename(node.operand)}" if node.op == "not" else f"-{self._rename(node.operand)}"
        if isinstance(node, Call):
            return f"{node.func}({', '.join(self._rename(a) for a in node.args)})"
        return unparse(node)
