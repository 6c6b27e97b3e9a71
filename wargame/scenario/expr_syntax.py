"""The syntax of the scenario expression language (wargame.scenario.expr): tokens, a
precedence-climbing parser and the syntax tree it builds.

The grammar has numbers, booleans, names, arithmetic, comparisons, logic and three functions
(min, max, abs); there is no attribute, subscript, string or exponent, and the limits below
bound the text's length, its nesting and the tree's depth.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from wargame.errors import ExpressionError

MAX_LENGTH = 2000
MAX_DEPTH = 32  # brackets and prefix operators while parsing
MAX_TREE_DEPTH = 100  # the parsed tree; checking and compiling recurse this deep
MAX_LITERAL = 1e9



@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Bool:
    value: bool


@dataclass(frozen=True)
class Name:
    name: str
    col: int


@dataclass(frozen=True)
class Unary:
    op: str
    operand: Node
    col: int


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node
    col: int


@dataclass(frozen=True)
class Call:
    func: str
    args: tuple[Node, ...]
    col: int


Node = Num | Bool | Name | Unary | Binary | Call


# ---------------------------------------------------------------- tokens

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<num>[0-9]+(?:\.[0-9]+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
  | (?P<op>\+=|-=|==|!=|<=|>=|[-+*/<>=(),])
    """,
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "true", "false"}
FUNCTIONS = {"min", "max", "abs"}


def _tokens(text: str) -> list[tuple[str, str, int]]:
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression is longer than {MAX_LENGTH} characters")
    out: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            ch = text[pos]
            hint = ""
            if ch in "'\"":
                hint = "; expressions have no strings"
            elif ch in "[].":
                hint = "; expressions have no subscripts or attributes"
            raise ExpressionError(f"unexpected character {ch!r}{hint}", pos + 1)
        kind = m.lastgroup or ""
        if kind != "ws":
            value = m.group()
            if kind == "name" and value in _KEYWORDS:
                kind = "kw"
            out.append((kind, value, pos + 1))
        pos = m.end()
    out.append(("end", "", len(text) + 1))
    return out


# ---------------------------------------------------------------- parser

_BINARY_POWER = {
    "or": 1,
    "and": 2,
    "==": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4,
    "+": 5, "-": 5,
    "*": 6, "/": 6,
}


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokens(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> tuple[str, str, int]:
        return self.toks[self.i]

    def take(self) -> tuple[str, str, int]:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expect(self, value: str) -> None:
        kind, got, col = self.take()
        if got != value:
            raise ExpressionError(f"expected {value!r} but found {_describe(kind, got)}", col)

    def expression(self, min_power: int = 0) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"expression is nested more than {MAX_DEPTH} deep")
        left = self.prefix()
        while True:
            kind, value, col = self.peek()
            power = _BINARY_POWER.get(value) if kind in ("op", "kw") else None
            if power is None or power <= min_power:
                break
            self.take()
            right = self.expression(power)
            left = Binary(value, left, right, col)
            if power == 4:  # comparisons do not chain: a < b < c is an error, not Python's chaining
                nk, nv, ncol = self.peek()
                if _BINARY_POWER.get(nv) == 4:
                    raise ExpressionError("comparisons do not chain; use 'and'", ncol)
        self.depth -= 1
        return left

    def prefix(self) -> Node:
        kind, value, col = self.take()
        if kind == "num":
            number = float(value)
            if not math.isfinite(number) or abs(number) > MAX_LITERAL:
                raise ExpressionError(f"number {value} is too large", col)
            return Num(number)
        if kind == "kw" and value in ("true", "false"):
            return Bool(value == "true")
        if kind == "kw" and value == "not":
            return Unary("not", self.expression(3), col)
        if kind == "op" and value == "-":
            return Unary("-", self.expression(6), col)
        if kind == "op" and value == "+":
            return self.expression(6)
        if kind == "op" and value == "(":
            inner = self.expression()
            self.expect(")")
            return inner
        if kind == "name":
            if self.peek()[1] == "(":
                if value not in FUNCTIONS:
                    raise ExpressionError(
                        f"unknown function {value!r}; only min, max and abs can be called", col
                    )
                self.take()
                args = [self.expression()]
                while self.peek()[1] == ",":
                    self.take()
                    args.append(self.expression())
                self.expect(")")
                return Call(value, tuple(args), col)
            return Name(value, col)
        raise ExpressionError(f"expected a value but found {_describe(kind, value)}", col)


def _describe(kind: str, value: str) -> str:
    return "the end of the expression" if kind == "end" else repr(value)


def parse(text: str) -> Node:
    """Parse an expression into a syntax tree no deeper than MAX_TREE_DEPTH."""
    parser = _Parser(text)
    node = parser.expression()
    kind, value, col = parser.peek()
    if kind != "end":
        raise ExpressionError(f"unexpected {_describe(kind, value)}", col)
    if _depth(node) > MAX_TREE_DEPTH:
        raise ExpressionError(f"expression has more than {MAX_TREE_DEPTH} operations in a chain; split it up")
    return node


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Call):
        return node.args
    return ()


def _depth(root: Node) -> int:
    """The tree's depth, measured without recursion (a long `a+a+...` chain is deep, not nested)."""
    deepest = 0
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in _children(node))
    return deepest
