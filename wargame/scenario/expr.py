"""The scenario expression language: parsed once, checked against the scenario's names,
compiled to closures over a flat list of numbers.

Scenario text is never given to eval or exec. The grammar has numbers, booleans, names the
scenario declares, arithmetic, comparisons, logic and three functions (min, max, abs); there
is no attribute, subscript, string, exponent or call of anything else, so no Python object is
reachable from an expression. The syntax (tokens, parser, tree) is wargame.scenario.expr_syntax.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from wargame.errors import ExpressionError
from wargame.scenario.expr_syntax import MAX_LENGTH, Binary, Bool, Call, Name, Node, Num, Unary, parse

MAX_AMOUNT = 1e12  # an effect amount beyond this is taken as this (tracks are small ranges)

Kind = Literal["num", "bool"]
Values = Sequence[float]
Evaluator = Callable[[Values], float]


@dataclass(frozen=True)
class Slot:
    """Where a name lives in the state's value list, and what it may hold."""

    index: int
    kind: Kind
    lo: float = 0.0
    hi: float = 1.0
    writable: bool = True


@dataclass(frozen=True)
class Effect:
    """One effect statement, `target op value`, compiled."""

    target: str
    slot: Slot
    op: str  # "+=", "-=", "="
    value: Evaluator
    constant: float | None  # the value when it does not depend on the state
    source: str


# ---------------------------------------------------------------- checking


def check(node: Node, names: Mapping[str, Slot]) -> Kind:
    """Return the type of an expression, or raise naming the first misuse."""
    if isinstance(node, Num):
        return "num"
    if isinstance(node, Bool):
        return "bool"
    if isinstance(node, Name):
        slot = names.get(node.name)
        if slot is None:
            raise ExpressionError(f"unknown name {node.name!r}{_suggest(node.name, names)}", node.col)
        return slot.kind
    if isinstance(node, Unary):
        inner = check(node.operand, names)
        want: Kind = "bool" if node.op == "not" else "num"
        if inner != want:
            raise ExpressionError(f"'{node.op}' needs a {_noun(want)}", node.col)
        return want
    if isinstance(node, Call):
        if node.func == "abs" and len(node.args) != 1:
            raise ExpressionError("abs takes one argument", node.col)
        for arg in node.args:
            if check(arg, names) != "num":
                raise ExpressionError(f"{node.func} needs numbers", node.col)
        return "num"
    left, right = check(node.left, names), check(node.right, names)
    if node.op in ("and", "or"):
        if left != "bool" or right != "bool":
            raise ExpressionError(f"'{node.op}' needs true/false on both sides", node.col)
        return "bool"
    if node.op in ("==", "!="):
        if left != right:
            raise ExpressionError(f"'{node.op}' compares a number with true/false", node.col)
        return "bool"
    if left != "num" or right != "num":
        raise ExpressionError(f"'{node.op}' needs numbers on both sides", node.col)
    return "bool" if node.op in ("<", "<=", ">", ">=") else "num"


def _noun(kind: Kind) -> str:
    return "number" if kind == "num" else "true/false value"


def _suggest(name: str, names: Mapping[str, Slot]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(names), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


# ---------------------------------------------------------------- static ranges

Interval = tuple[float, float]


def interval(node: Node, names: Mapping[str, Slot]) -> Interval:
    """Bounds of a checked expression over every state the track ranges allow.

    Booleans are intervals over {0, 1}: (1, 1) is always true, (0, 0) never true.
    The bounds are safe (never too narrow), which is what the "can never fire" lint needs.
    """
    if isinstance(node, Num):
        return (node.value, node.value)
    if isinstance(node, Bool):
        return (float(node.value), float(node.value))
    if isinstance(node, Name):
        slot = names[node.name]
        return (slot.lo, slot.hi)
    if isinstance(node, Unary):
        lo, hi = interval(node.operand, names)
        return (1 - hi, 1 - lo) if node.op == "not" else (-hi, -lo)
    if isinstance(node, Call):
        spans = [interval(a, names) for a in node.args]
        if node.func == "min":
            return (min(s[0] for s in spans), min(s[1] for s in spans))
        if node.func == "max":
            return (max(s[0] for s in spans), max(s[1] for s in spans))
        lo, hi = spans[0]
        if lo >= 0:
            return (lo, hi)
        if hi <= 0:
            return (-hi, -lo)
        return (0.0, max(-lo, hi))
    a, b = interval(node.left, names), interval(node.right, names)
    op = node.op
    if op == "and":
        return (min(a[0], b[0]), min(a[1], b[1]))
    if op == "or":
        return (max(a[0], b[0]), max(a[1], b[1]))
    if op == "+":
        return (a[0] + b[0], a[1] + b[1])
    if op == "-":
        return (a[0] - b[1], a[1] - b[0])
    if op == "*":
        products = [a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]]
        return (min(products), max(products))
    if op == "/":
        if b[0] > 0 or b[1] < 0:
            quotients = [a[0] / b[0], a[0] / b[1], a[1] / b[0], a[1] / b[1]]
            return (min(quotients), max(quotients))
        return (-math.inf, math.inf)
    # comparisons: decide whether always / never true
    always, never = _compare_bounds(op, a, b)
    return (1.0 if always else 0.0, 0.0 if never else 1.0)


def _compare_bounds(op: str, a: Interval, b: Interval) -> tuple[bool, bool]:
    if op == "<":
        return a[1] < b[0], a[0] >= b[1]
    if op == "<=":
        return a[1] <= b[0], a[0] > b[1]
    if op == ">":
        return a[0] > b[1], a[1] <= b[0]
    if op == ">=":
        return a[0] >= b[1], a[1] < b[0]
    if op == "==":
        return a[0] == a[1] == b[0] == b[1], a[1] < b[0] or b[1] < a[0]
    return a[1] < b[0] or b[1] < a[0], a[0] == a[1] == b[0] == b[1]  # !=


# ---------------------------------------------------------------- compiling

_ARITH: dict[str, Callable[[float, float], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


def _div(a: float, b: float) -> float:
    return a / b if b else 0.0


def compile_node(node: Node, names: Mapping[str, Slot]) -> Evaluator:
    """Turn a checked tree into a closure `values -> number` (booleans are 0/1 floats or bools).
    Parts that read no state are folded to constants."""
    return _build(node, names)[0]


def _fold(node: Node, names: Mapping[str, Slot]) -> float | None:
    """The value of an expression that reads no state, or None."""
    return _build(node, names)[1]


def _settle(fn: Evaluator, constant: bool) -> tuple[Evaluator, float | None]:
    if not constant:
        return fn, None
    value = float(fn(()))
    return (lambda v: value), value


def _build(node: Node, names: Mapping[str, Slot]) -> tuple[Evaluator, float | None]:
    """One bottom-up pass: the closure, and the constant it always gives (or None)."""
    if isinstance(node, Num | Bool):
        value = float(node.value)
        return (lambda v: value), value
    if isinstance(node, Name):
        return operator.itemgetter(names[node.name].index), None
    if isinstance(node, Unary):
        inner, c = _build(node.operand, names)
        fn: Evaluator = (lambda v: not inner(v)) if node.op == "not" else (lambda v: -inner(v))
        return _settle(fn, c is not None)
    if isinstance(node, Call):
        parts = [_build(a, names) for a in node.args]
        args = [f for f, _ in parts]
        if node.func == "abs":
            (only,) = args
            fn = lambda v: abs(only(v))  # noqa: E731
        else:
            pick = min if node.func == "min" else max
            fn = lambda v: pick(a(v) for a in args)  # noqa: E731
        return _settle(fn, all(c is not None for _, c in parts))
    (left, lc), (right, rc) = _build(node.left, names), _build(node.right, names)
    op = node.op
    if op == "and":
        fn = lambda v: bool(left(v)) and bool(right(v))  # noqa: E731
    elif op == "or":
        fn = lambda v: bool(left(v)) or bool(right(v))  # noqa: E731
    else:
        fn2 = _div if op == "/" else _ARITH[op]
        if isinstance(node.left, Name) and rc is not None:
            # the common case, `track >= 3`: one index and one comparison
            idx, constant = names[node.left.name].index, rc
            fn = lambda v: fn2(v[idx], constant)  # noqa: E731
        else:
            fn = lambda v: fn2(left(v), right(v))  # noqa: E731
    return _settle(fn, lc is not None and rc is not None)


# ---------------------------------------------------------------- public entry points


@dataclass(frozen=True)
class Compiled:
    """A checked, compiled expression and what static analysis knows of it."""

    source: str
    kind: Kind
    evaluate: Evaluator
    bounds: Interval
    names: frozenset[str]


def _names_in(node: Node) -> set[str]:
    if isinstance(node, Name):
        return {node.name}
    if isinstance(node, Unary):
        return _names_in(node.operand)
    if isinstance(node, Binary):
        return _names_in(node.left) | _names_in(node.right)
    if isinstance(node, Call):
        return set().union(*(_names_in(a) for a in node.args))
    return set()


def finite(value: float) -> float:
    """A number expression's value as the engine uses it: arithmetic that overflowed to infinity
    is taken as +-MAX_AMOUNT, and a value that is not a number (infinity minus infinity) as 0.
    So no scenario can put NaN or Infinity into a state, a chance or a record."""
    if value != value:
        return 0.0
    if value in (math.inf, -math.inf):
        return MAX_AMOUNT if value > 0 else -MAX_AMOUNT
    return value


def compile_expression(text: str, names: Mapping[str, Slot], want: Kind | None = None) -> Compiled:
    """Parse, check and compile one expression; `want` is the type the context needs. A number
    expression always evaluates to a finite number (see `finite`)."""
    node = parse(text)
    kind = check(node, names)
    if want is not None and kind != want:
        raise ExpressionError(f"this must be a {_noun(want)}, not a {_noun(kind)}")
    evaluate = compile_node(node, names)
    if kind == "num":
        raw = evaluate
        evaluate = lambda v: finite(float(raw(v)))  # noqa: E731
    return Compiled(text, kind, evaluate, interval(node, names), frozenset(_names_in(node)))


def constant(value: float) -> Compiled:
    """A number given as a number in the scenario (`chance = 0.00001`), as a compiled expression:
    never turned into text and parsed back, so any finite TOML float is taken as written."""
    value = finite(float(value))
    text = format(value, "f").rstrip("0").rstrip(".") if value and abs(value) >= 1e-4 else repr(value)
    return Compiled(text, "num", lambda v: value, (value, value), frozenset())


_STATEMENT = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(\+=|-=|=)(?!=)(.*)$", re.DOTALL)


def compile_effect(text: str, names: Mapping[str, Slot]) -> Effect:
    """Parse, check and compile one effect statement: `track += 2`, `flag = true`."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"effect is longer than {MAX_LENGTH} characters")
    m = _STATEMENT.match(text)
    if m is None:
        raise ExpressionError("an effect is 'NAME += EXPR', 'NAME -= EXPR' or 'NAME = EXPR'")
    target, op, rest = m.group(1), m.group(2), m.group(3)
    slot = names.get(target)
    if slot is None:
        raise ExpressionError(f"unknown name {target!r}{_suggest(target, names)}", 1)
    if not slot.writable:
        raise ExpressionError(f"{target!r} is kept by the engine and cannot be set", 1)
    offset = m.start(3)
    try:
        node = parse(rest)
        kind = check(node, names)
    except ExpressionError as err:
        col = None if err.column is None else err.column + offset
        raise ExpressionError(str(err).split(" (at column")[0], col) from None
    if slot.kind == "bool":
        if op != "=":
            raise ExpressionError(f"{target!r} is true/false: set it with '=', not '{op}'")
        if kind != "bool":
            raise ExpressionError(f"{target!r} is true/false and cannot be set to a number")
    elif kind != "num":
        raise ExpressionError(f"{target!r} is a number and cannot be set to true/false")
    constant = _fold(node, names)
    if constant is not None and not abs(constant) <= MAX_AMOUNT:  # also catches inf and nan
        raise ExpressionError(f"the amount {constant:g} is out of all proportion to any track")
    return Effect(target, slot, op, compile_node(node, names), constant, text.strip())


def whole(amount: float) -> int:
    """An effect's amount as the whole number applied: rounded, kept within +-MAX_AMOUNT,
    and 0 for a value that is not a number (so no state can crash the engine; see `finite`)."""
    amount = finite(amount)
    if not -MAX_AMOUNT <= amount <= MAX_AMOUNT:
        return int(MAX_AMOUNT) if amount > 0 else -int(MAX_AMOUNT)
    return round(amount)
