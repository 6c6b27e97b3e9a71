"""The scenario expression language: what it computes, what it refuses, and that hostile text
only ever produces an ExpressionError."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wargame.errors import ExpressionError
from wargame.scenario.expr import Slot, compile_effect, compile_expression

# A small world of names, laid out as a scenario would: turn first, then tracks, flags and
# an engine-kept request counter.
NAMES = {
    "turn": Slot(0, "num", 1, 10, writable=False),
    "escalation": Slot(1, "num", 0, 10),
    "x": Slot(2, "num", 0, 5),
    "alert": Slot(3, "bool", 0, 1),
    "colby.open": Slot(4, "bool", 0, 1, writable=False),
    "colby.defined": Slot(5, "num", 0, 4, writable=False),
    "japan.support": Slot(6, "num", 0, 10),
}
VALUES = [3, 4, 2, True, False, 1, 7]  # turn, escalation, x, alert, colby.open, colby.defined, japan.support


def value(text: str, values: list[float] | None = None) -> float:
    return compile_expression(text, NAMES).evaluate(VALUES if values is None else values)


def bounds(text: str) -> tuple[float, float]:
    return compile_expression(text, NAMES).bounds


# ---------------------------------------------------------------- arithmetic and logic


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2", 3),
        ("7 - 10", -3),
        ("6 * 7", 42),
        ("7 / 2", 3.5),
        ("0.25 + 0.5", 0.75),
        ("escalation + x", 6),
        ("japan.support - colby.defined", 6),
        ("turn * 2", 6),
        ("-x", -2),
        ("+x", 2),
        ("- x + 1", -1),
    ],
)
def test_arithmetic_computes_the_expected_number(text: str, expected: float) -> None:
    assert value(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 - 4 - 3", 3),  # left to right
        ("12 / 3 / 2", 2),
        ("2 * 3 + 4 * 5", 26),
        ("-2 * 3", -6),
        ("1 + 1 == 2", True),
        ("not false and false", False),  # (not false) and false
        ("true or false and false", True),  # and binds tighter than or
        ("not escalation > 9", True),  # not applies to the whole comparison
    ],
)
def test_precedence_follows_the_usual_rules(text: str, expected: float) -> None:
    assert value(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("escalation == 4", True),
        ("escalation != 4", False),
        ("escalation < 4", False),
        ("escalation <= 4", True),
        ("escalation > 3", True),
        ("escalation >= 5", False),
        ("alert == true", True),
        ("colby.open != alert", True),
    ],
)
def test_comparisons(text: str, expected: bool) -> None:
    assert bool(value(text)) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("alert and colby.open", False),
        ("alert or colby.open", True),
        ("not colby.open", True),
        ("not alert", False),
        ("escalation > 3 and x < 3", True),
        ("escalation > 9 or x > 9", False),
    ],
)
def test_and_or_not(text: str, expected: bool) -> None:
    assert bool(value(text)) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("min(3, 1, 2)", 1),
        ("max(3, 1, 2)", 3),
        ("min(escalation, x)", 2),
        ("max(0, escalation - 6)", 0),
        ("abs(-4)", 4),
        ("abs(x - escalation)", 2),
        ("min(7)", 7),
    ],
)
def test_min_max_abs(text: str, expected: float) -> None:
    assert value(text) == expected


@pytest.mark.parametrize("text", ["1 / 0", "x / (x - x)", "escalation / (colby.defined - 1)"])
def test_division_by_zero_gives_zero(text: str) -> None:
    assert value(text) == 0


def test_division_by_zero_is_judged_on_the_state_not_once_at_load() -> None:
    compiled = compile_expression("10 / (x - 2)", NAMES)
    assert compiled.evaluate([3, 4, 2, True, False, 1, 7]) == 0
    assert compiled.evaluate([3, 4, 4, True, False, 1, 7]) == 5


def test_compiled_expression_reads_the_values_it_is_given() -> None:
    compiled = compile_expression("escalation >= 4", NAMES)
    assert compiled.evaluate([1, 4, 0, False, False, 0, 0])
    assert not compiled.evaluate([1, 3, 0, False, False, 0, 0])


def test_compiled_expression_lists_the_names_it_reads() -> None:
    assert compile_expression("escalation + japan.support > turn", NAMES).names == {
        "escalation", "japan.support", "turn"
    }


# ---------------------------------------------------------------- type errors


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("escalation and alert", "'and' needs true/false"),
        ("alert or 1", "'or' needs true/false"),
        ("alert + 1", "'+' needs numbers"),
        ("escalation == true", "compares a number with true/false"),
        ("not escalation", "'not' needs a true/false value"),
        ("-alert", "'-' needs a number"),
        ("min(alert, 1)", "min needs numbers"),
        ("alert < 1", "'<' needs numbers"),
    ],
)
def test_mixing_numbers_and_true_false_is_a_type_error(text: str, fragment: str) -> None:
    with pytest.raises(ExpressionError, match=re.escape(fragment)):
        compile_expression(text, NAMES)


def test_a_number_where_a_condition_is_needed_is_an_error() -> None:
    with pytest.raises(ExpressionError, match="must be a true/false value, not a number"):
        compile_expression("escalation + 1", NAMES, "bool")


def test_a_condition_where_a_number_is_needed_is_an_error() -> None:
    with pytest.raises(ExpressionError, match="must be a number, not a true/false value"):
        compile_expression("escalation > 1", NAMES, "num")


def test_comparisons_do_not_chain() -> None:
    with pytest.raises(ExpressionError, match="comparisons do not chain"):
        compile_expression("1 < x < 3", NAMES)


def test_abs_takes_exactly_one_argument() -> None:
    with pytest.raises(ExpressionError, match="abs takes one argument"):
        compile_expression("abs(1, 2)", NAMES)


def test_an_error_names_its_column() -> None:
    with pytest.raises(ExpressionError) as info:
        compile_expression("escalation + ;", NAMES)
    assert info.value.column == 14
    assert "column 14" in str(info.value)


# ---------------------------------------------------------------- unknown names


def test_a_misspelt_name_suggests_the_right_one() -> None:
    with pytest.raises(ExpressionError, match=r"unknown name 'escalaton' \(did you mean 'escalation'\?\)"):
        compile_expression("escalaton > 3", NAMES)


def test_a_misspelt_nation_track_suggests_the_right_one() -> None:
    with pytest.raises(ExpressionError, match="did you mean 'japan.support'"):
        compile_expression("japan.suport > 3", NAMES)


def test_an_unrelated_unknown_name_makes_no_suggestion() -> None:
    with pytest.raises(ExpressionError, match="unknown name 'qqqqqq'") as info:
        compile_expression("qqqqqq > 3", NAMES)
    assert "did you mean" not in str(info.value)


def test_only_min_max_abs_can_be_called() -> None:
    with pytest.raises(ExpressionError, match="only min, max and abs can be called"):
        compile_expression("round(x)", NAMES)


# ---------------------------------------------------------------- effects


@pytest.mark.parametrize(
    ("text", "target", "op", "constant"),
    [
        ("escalation += 2", "escalation", "+=", 2),
        ("escalation -= 1", "escalation", "-=", 1),
        ("escalation = 7", "escalation", "=", 7),
        ("japan.support -= 1", "japan.support", "-=", 1),
        ("alert = true", "alert", "=", 1),
        ("alert = false", "alert", "=", 0),
    ],
)
def test_effect_statements_parse_into_target_op_and_amount(
    text: str, target: str, op: str, constant: float
) -> None:
    effect = compile_effect(text, NAMES)
    assert (effect.target, effect.op, effect.constant) == (target, op, constant)
    assert effect.slot is NAMES[target]


def test_an_effect_amount_can_read_the_state() -> None:
    effect = compile_effect("japan.support -= max(0, escalation - 2)", NAMES)
    assert effect.constant is None
    assert effect.value(VALUES) == 2


def test_a_flag_can_be_set_from_a_condition() -> None:
    effect = compile_effect("alert = escalation >= 4", NAMES)
    assert bool(effect.value(VALUES)) is True


@pytest.mark.parametrize("op", ["+=", "-="])
def test_flags_are_only_set_with_equals(op: str) -> None:
    with pytest.raises(ExpressionError, match="set it with '='"):
        compile_effect(f"alert {op} 1", NAMES)


def test_a_flag_cannot_be_set_to_a_number() -> None:
    with pytest.raises(ExpressionError, match="true/false and cannot be set to a number"):
        compile_effect("alert = 1", NAMES)


def test_a_track_cannot_be_set_to_true_false() -> None:
    with pytest.raises(ExpressionError, match="is a number and cannot be set to true/false"):
        compile_effect("escalation = true", NAMES)


@pytest.mark.parametrize("text", ["turn = 3", "turn += 1", "colby.open = true", "colby.defined += 1"])
def test_engine_kept_names_cannot_be_written(text: str) -> None:
    with pytest.raises(ExpressionError, match="kept by the engine"):
        compile_effect(text, NAMES)


def test_an_effect_on_an_unknown_track_suggests_the_right_one() -> None:
    with pytest.raises(ExpressionError, match="did you mean 'escalation'"):
        compile_effect("escalaton += 1", NAMES)


@pytest.mark.parametrize("text", ["escalation", "escalation == 1", "escalation *= 2", "+= 1", ""])
def test_a_non_statement_is_not_an_effect(text: str) -> None:
    with pytest.raises(ExpressionError, match="an effect is"):
        compile_effect(text, NAMES)


def test_an_error_in_an_effect_amount_points_at_its_column_in_the_statement() -> None:
    with pytest.raises(ExpressionError) as info:
        compile_effect("escalation += 1 +", NAMES)
    assert info.value.column == len("escalation += 1 +") + 1


# ---------------------------------------------------------------- static bounds


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("escalation + 1", (1, 11)),
        ("escalation - x", (-5, 10)),
        ("x * -2", (-10, 0)),
        ("-x", (-5, 0)),
        ("min(x, 3)", (0, 3)),
        ("max(x, escalation)", (0, 10)),
        ("abs(x - 7)", (2, 7)),
        ("abs(x - 2)", (0, 3)),
        ("x / 2", (0, 2.5)),
    ],
)
def test_bounds_of_numbers_cover_every_state_the_ranges_allow(
    text: str, expected: tuple[float, float]
) -> None:
    assert bounds(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("escalation > 99", (0, 0)),  # never true
        ("escalation >= 0", (1, 1)),  # always true
        ("escalation >= 4", (0, 1)),  # depends on the state
        ("true", (1, 1)),
        ("false", (0, 0)),
        ("not (escalation > 99)", (1, 1)),
        ("alert and escalation > 99", (0, 0)),
        ("alert or escalation >= 0", (1, 1)),
        ("x == 9", (0, 0)),
    ],
)
def test_bounds_of_conditions_tell_always_and_never(
    text: str, expected: tuple[float, float]
) -> None:
    assert bounds(text) == expected


def test_bounds_of_a_division_by_a_range_through_zero_are_unbounded() -> None:
    assert bounds("1 / (x - 2)") == (-math.inf, math.inf)


# ---------------------------------------------------------------- hostile input

HOSTILE = {
    "import": "__import__('os')",
    "dunder_chain": "().__class__.__bases__",
    "attribute": "escalation.__class__",
    "subscript": "x[0]",
    "format_string": '"{0.__class__}".format(1)',
    "f_string": 'f"{x}"',
    "lambda": "lambda: 1",
    "huge_power": "2**99999999",
    "power_tower": "9**9**9",
    "float_overflow": "1e99999",
    "ten_thousand_digits": "9" * 10_000,
    "thousand_digits": "9" * 1000,
    "long_decimal": "1" * 400 + ".5",
    "parens_1000_deep": "(" * 1000 + "x" + ")" * 1000,
    "parens_100_deep": "(" * 100 + "x" + ")" * 100,
    "not_1000_deep": "not " * 1000 + "alert",
    "not_40_deep": "not " * 40 + "alert",
    "minus_1000": "-" * 1000 + "x",
    "minus_40": "-" * 40 + "x",
    "hundred_kb": "x + " * 25_000 + "x",
    "nul": "x\x00 + 1",
    "nul_only": "\x00",
    "cyrillic_e": "\u0435scalation > 1",  # Cyrillic е
    "greek_omicron": "c\u03bflby.open",  # Greek ο
    "dotless_i": "turn > 1 and \u0131",
    "statement": "escalation; import os",
    "backslash": "x \\ 1",
    "line_continuation": "x + \\\n1",
    "newline_statement": "escalation > 1\nimport os",
    "newline_call": "1\n__import__('os')",
    "semicolon_newline": "x\n;\nx",
    "dunder_name": "__builtins__",
    "call_builtin": "eval(1)",
    "call_open": "open(x)",
    "modulo": "x % 2",
    "bitwise": "x | 1",
    "walrus": "(y := 1)",
    "ternary": "1 if alert else 2",
    "is": "x is x",
    "in": "x in x",
    "string": "'abc'",
    "bytes": "b'abc'",
    "list": "[1, 2]",
    "dict": "{1: 2}",
    "starargs": "min(*x)",
    "keyword_arg": "min(a=1)",
    "empty": "",
    "blank": "   ",
    "dangling_op": "x +",
    "unbalanced": "(x + 1",
    "extra_close": "x + 1)",
    "hex": "0x10",
    "exponent": "1e5",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_expression_is_refused_with_an_expression_error(text: str) -> None:
    with pytest.raises(ExpressionError):
        compile_expression(text, NAMES)


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_effect_amount_is_refused_with_an_expression_error(text: str) -> None:
    with pytest.raises(ExpressionError):
        compile_effect("escalation += " + text, NAMES)


@pytest.mark.parametrize(
    "text",
    ["__import__('os').system('true') = 1", "escalation.__class__ = 1", "x[0] = 1", "x\x00 = 1"],
)
def test_hostile_effect_target_is_refused_with_an_expression_error(text: str) -> None:
    with pytest.raises(ExpressionError):
        compile_effect(text, NAMES)


def test_hostile_input_runs_nothing(tmp_path, monkeypatch) -> None:
    """An expression that would create a file if anything executed it, refused and inert."""
    monkeypatch.chdir(tmp_path)
    for text in ("__import__('pathlib').Path('pwned').touch()", "open('pwned', 'w')"):
        with pytest.raises(ExpressionError):
            compile_expression(text, NAMES)
    assert not (tmp_path / "pwned").exists()


def test_an_expression_longer_than_the_limit_is_refused_quickly() -> None:
    with pytest.raises(ExpressionError, match="longer than"):
        compile_expression("x+" * 50_000 + "x", NAMES)


def test_deep_nesting_is_refused_by_depth_not_by_crashing() -> None:
    with pytest.raises(ExpressionError, match="nested more than"):
        compile_expression("(" * 100 + "x" + ")" * 100, NAMES)


@pytest.mark.parametrize("op", ["+", "-", "*", "/"])
def test_a_long_flat_operator_chain_is_refused_not_a_recursion_crash(op: str) -> None:
    text = f"x{op}" * 900 + "x"
    assert len(text) < 2000
    try:
        compiled = compile_expression(text, NAMES)
    except ExpressionError:
        return
    compiled.evaluate(VALUES)


@pytest.mark.parametrize("text", ["\uff11 + 1", "\u0663 > 1", "x > \u0967"])
def test_unicode_lookalike_digits_are_refused(text: str) -> None:
    with pytest.raises(ExpressionError):
        compile_expression(text, NAMES)


def test_newlines_and_tabs_are_plain_whitespace() -> None:
    # Multi-line TOML strings may break a long condition; that must mean the same thing.
    assert value("escalation\n  >= 4\tand\nalert") == value("escalation >= 4 and alert")


# ---------------------------------------------------------------- property tests

_ALPHABET = list("0123456789.+-*/<>=!(), \n\t_[]'\":;\\%") + [
    "x", "escalation", "alert", "colby.open", "japan.support", "turn", "and", "or", "not",
    "true", "false", "min", "max", "abs", "__class__", "lambda", "e", "1e9", "1000000000",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pieces=st.lists(st.sampled_from(_ALPHABET), max_size=60),
    values=st.tuples(
        st.integers(1, 10), st.integers(0, 10), st.integers(0, 5), st.booleans(),
        st.booleans(), st.integers(0, 4), st.integers(0, 10),
    ),
)
def test_random_text_only_ever_raises_expression_error(pieces: list[str], values: tuple) -> None:
    text = " ".join(pieces) if len(pieces) % 2 else "".join(pieces)
    try:
        compiled = compile_expression(text, NAMES)
    except ExpressionError:
        return
    compiled.evaluate(list(values))


_NUM_LEAVES = st.one_of(
    st.sampled_from(["x", "escalation", "japan.support", "turn", "colby.defined"]),
    st.integers(0, 1_000_000_000).map(str),
    st.sampled_from(["0.5", "0.25", "0"]),
)


def _num_exprs(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, st.sampled_from(["+", "-", "*", "/"]), children).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        children.map(lambda c: f"-{c}"),
        children.map(lambda c: f"abs({c})"),
        st.lists(children, min_size=1, max_size=3).map(lambda cs: f"min({', '.join(cs)})"),
        st.lists(children, min_size=1, max_size=3).map(lambda cs: f"max({', '.join(cs)})"),
    )


NUM_EXPRS = st.recursive(_NUM_LEAVES, _num_exprs, max_leaves=12)
BOOL_EXPRS = st.recursive(
    st.one_of(
        st.sampled_from(["alert", "colby.open", "true", "false"]),
        st.tuples(NUM_EXPRS, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), NUM_EXPRS).map(
            lambda t: f"{t[0]} {t[1]} {t[2]}"
        ),
    ),
    lambda children: st.one_of(
        st.tuples(children, st.sampled_from(["and", "or"]), children).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        children.map(lambda c: f"not ({c})"),
    ),
    max_leaves=6,
)


@settings(max_examples=200, deadline=None)
@given(
    text=st.one_of(NUM_EXPRS, BOOL_EXPRS),
    values=st.tuples(
        st.integers(1, 10), st.integers(0, 10), st.integers(0, 5), st.booleans(),
        st.booleans(), st.integers(0, 4), st.integers(0, 10),
    ),
)
def test_well_formed_expressions_compile_and_evaluate(text: str, values: tuple) -> None:
    compiled = compile_expression(text, NAMES)
    result = compiled.evaluate(list(values))
    assert isinstance(result, int | float | bool)


@settings(max_examples=200, deadline=None)
@given(
    text=NUM_EXPRS,
    values=st.tuples(
        st.integers(1, 10), st.integers(0, 10), st.integers(0, 5), st.booleans(),
        st.booleans(), st.integers(0, 4), st.integers(0, 10),
    ),
)
def test_bounds_contain_every_value_an_expression_takes(text: str, values: tuple) -> None:
    compiled = compile_expression(text, NAMES)
    lo, hi = compiled.bounds
    result = compiled.evaluate(list(values))
    if not math.isnan(result) and not (math.isnan(lo) or math.isnan(hi)):
        # a tiny tolerance for float rounding in the interval arithmetic
        assert lo - 1e-6 * (1 + abs(lo)) <= result <= hi + 1e-6 * (1 + abs(hi)), (lo, result, hi)
