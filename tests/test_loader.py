"""The scenario loader: every kind of mistake in a file comes back as a Problem that names the
file, the line of the key, the dotted key and what is wrong, all at once."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from tests.conftest import (
    ENGINE_PATH,
    FLAGSHIP_PATH,
    MINIMAL_PATH,
    line_of,
    only_problem,
    problems_of,
    replace_once,
    write,
)
from wargame.errors import Problem, ScenarioError, ScenarioNotFound
from wargame.scenario.loader import MAX_BYTES, load

MINIMAL = MINIMAL_PATH.read_text(encoding="utf-8")


def edited(tmp_path: Path, old: str, new: str, text: str = MINIMAL) -> tuple[Path, str]:
    """A copy of the minimal scenario with one edit; its path and its text."""
    changed = replace_once(text, old, new)
    return write(tmp_path, changed), changed


def problem_at(problems: list[Problem], key: str) -> Problem:
    found = [p for p in problems if p.key == key]
    assert found, f"no problem at {key}; got:\n" + "\n".join(str(p) for p in problems)
    return found[0]


# ---------------------------------------------------------------- the good files


@pytest.mark.parametrize("path", [FLAGSHIP_PATH, MINIMAL_PATH, ENGINE_PATH], ids=lambda p: p.stem)
def test_shipped_and_fixture_scenarios_load_without_problems(path: Path) -> None:
    scenario = load(path)
    assert scenario.nations and scenario.options and scenario.outcomes


def test_a_missing_file_is_not_found_rather_than_invalid(tmp_path: Path) -> None:
    with pytest.raises(ScenarioNotFound, match="no such file"):
        load(tmp_path / "absent.toml")


# ---------------------------------------------------------------- shape: keys and types


def test_a_misspelt_key_is_reported_at_its_line(tmp_path: Path) -> None:
    path, text = edited(tmp_path, 'effects = ["escalation += 1"]', 'efects = ["escalation += 1"]')
    problem = only_problem(path)
    assert problem.path == str(path)
    assert problem.key == "options[2].efects"
    assert problem.line == line_of(text, "efects =")
    assert "unknown key" in problem.message


def test_a_missing_required_key_is_reported_at_its_table(tmp_path: Path) -> None:
    path, text = edited(tmp_path, 'nation = "blue"\nname = "Provoke"\n', 'nation = "blue"\n')
    problem = only_problem(path)
    assert problem.key == "options[2].name"
    assert problem.line == line_of(text, 'id = "blue.provoke"') - 1  # its [[options]] header
    assert text.splitlines()[problem.line - 1] == "[[options]]"
    assert "required key is missing" in problem.message


def test_a_value_of_the_wrong_type_is_reported_at_its_line(tmp_path: Path) -> None:
    path, text = edited(tmp_path, "count = 4", 'count = "4"')
    problem = only_problem(path)
    assert problem.key == "turns.count"
    assert problem.line == line_of(text, 'count = "4"')
    assert problem.message == "must be a whole number, not text ('4')"


def test_a_string_where_a_boolean_belongs_is_a_type_error(tmp_path: Path) -> None:
    path, text = edited(tmp_path, "once = true", 'once = "yes"')
    problem = only_problem(path)
    assert problem.key == "options[1].once"
    assert problem.line == line_of(text, 'once = "yes"')
    assert problem.message == "must be true or false, not text ('yes')"


def test_a_misspelt_key_in_a_nested_table_names_the_whole_path(tmp_path: Path) -> None:
    path, text = edited(tmp_path, 'name = "Decline"\n', 'name = "Decline"\nefects = []\n')
    problem = only_problem(path)
    assert problem.key == "requests[0].answers.decline.efects"
    assert problem.line == line_of(text, "efects = []")


# ---------------------------------------------------------------- the file itself


def test_a_toml_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    path, text = edited(tmp_path, "count = 4", "count = = 4")
    problem = only_problem(path)
    bad = line_of(text, "count = = 4")
    assert problem.line == bad
    assert "TOML syntax error" in problem.message
    assert f"line {bad}" in problem.message and "column" in problem.message


@pytest.mark.parametrize("content", [b"", b"   \n\n\t\n"], ids=["empty", "blank"])
def test_an_empty_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.toml"
    path.write_bytes(content)
    problem = only_problem(path)
    assert problem.path == str(path)
    assert "empty" in problem.message


def test_a_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "binary.toml"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)))
    assert "binary" in only_problem(path).message


def test_a_non_utf8_file_names_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    text = replace_once(MINIMAL, "EXERCISE — TEST", "EXERCISE \u00e9 TEST")
    path = tmp_path / "latin1.toml"
    path.write_bytes(text.encode("latin-1", errors="replace"))
    problem = only_problem(path)
    assert "not UTF-8" in problem.message
    assert problem.line == line_of(text, "marking =")


@pytest.mark.parametrize(
    "content", ["x = " + "[" * 5000, "x = " + "{a = " * 5000, "x = " + "[" * 5000 + "]" * 5000],
    ids=["open-arrays", "inline-tables", "closed-arrays"],
)
def test_absurdly_nested_brackets_are_refused_without_a_crash(tmp_path: Path, content: str) -> None:
    problem = only_problem(write(tmp_path, content))
    assert "nested" in problem.message


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "#" + "x" * MAX_BYTES + "\n")
    problem = only_problem(path)
    assert "at most" in problem.message and "bytes" in problem.message


# ---------------------------------------------------------------- names and references


def test_an_option_of_an_unknown_nation(tmp_path: Path) -> None:
    path, text = edited(tmp_path, 'nation = "blue"\nname = "Provoke"', 'nation = "purple"\nname = "Provoke"')
    problem = only_problem(path)
    assert problem.key == "options[2].nation"
    assert problem.line == line_of(text, 'nation = "purple"')
    assert "unknown nation 'purple'" in problem.message


def test_a_misspelt_track_in_an_effect_names_file_line_key_and_suggestion(tmp_path: Path) -> None:
    path, text = edited(tmp_path, 'effects = ["escalation += 1"]', 'effects = ["escalaton += 1"]')
    problem = only_problem(path)
    assert problem.path == str(path)
    assert problem.key == "options[2].effects[0]"
    assert problem.line == line_of(text, "escalaton += 1")
    assert "unknown name 'escalaton'" in problem.message
    assert "did you mean 'escalation'" in problem.message
    assert str(problem).startswith(f"{path}:{problem.line}: options[2].effects[0]: ")


def test_an_unknown_option_as_a_nations_default(tmp_path: Path) -> None:
    path, text = edited(tmp_path, 'default = "blue.hold"', 'default = "blue.nothing"')
    problem = only_problem(path)
    assert problem.key == "nations[0].default"
    assert problem.line == line_of(text, 'default = "blue.nothing"')
    assert "'blue.nothing' is not an option of blue" in problem.message


def test_another_nations_option_as_default(tmp_path: Path) -> None:
    path, _ = edited(tmp_path, 'default = "blue.hold"', 'default = "green.hold"')
    assert "not an option of blue" in only_problem(path).message


def test_a_conditional_default_is_refused(tmp_path: Path) -> None:
    path, _ = edited(tmp_path, 'default = "blue.hold"', 'default = "blue.ask"')
    problem = only_problem(path)
    assert problem.key == "nations[0].default"
    assert "must always be available" in problem.message


def test_duplicate_option_ids(tmp_path: Path) -> None:
    path, text = edited(tmp_path, 'id = "blue.promise"', 'id = "blue.provoke"')
    problem = only_problem(path)
    assert problem.key == "options[3].id"
    assert problem.line == line_of(text, 'id = "blue.provoke"', after=line_of(text, 'id = "blue.provoke"'))
    assert "duplicate option id 'blue.provoke'" in problem.message


def test_duplicate_nation_ids(tmp_path: Path) -> None:
    problems = problems_of(edited(tmp_path, 'id = "green"', 'id = "blue"')[0])
    assert "duplicate nation id 'blue'" in problem_at(problems, "nations[1].id").message


# ---------------------------------------------------------------- ranges


def test_a_threshold_outside_the_track_range(tmp_path: Path) -> None:
    block = MINIMAL[MINIMAL.index("thresholds = ["):MINIMAL.index('"War" },\n]') + len('"War" },\n]')]
    one_line = 'thresholds = [{ at = 0, name = "Calm" }, { at = 7, name = "War" }]'
    path, text = edited(tmp_path, block, one_line)
    problem = only_problem(path)
    assert problem.key == "tracks[0].thresholds[1].at"
    assert problem.line == line_of(text, one_line)
    assert "threshold 'War' at 7 is outside 0..5" in problem.message


def test_a_threshold_in_a_multiline_array_points_into_that_array(tmp_path: Path) -> None:
    path, text = edited(tmp_path, '{ at = 5, name = "War" }', '{ at = 7, name = "War" }')
    problem = only_problem(path)
    assert problem.key == "tracks[0].thresholds[2].at"
    assert line_of(text, "thresholds = [") <= problem.line <= line_of(text, '{ at = 7, name = "War" }')


def test_thresholds_must_increase(tmp_path: Path) -> None:
    path, _ = edited(tmp_path, '{ at = 2, name = "Crisis" }', '{ at = 0, name = "Crisis" }')
    problem = only_problem(path)
    assert problem.key == "tracks[0].thresholds[1].at"
    assert "increase" in problem.message


def test_a_start_outside_the_track_range(tmp_path: Path) -> None:
    path, text = edited(tmp_path, "max = 5\nstart = 2", "max = 5\nstart = 9")
    problem = only_problem(path)
    assert problem.key == "tracks[1].start"
    assert problem.line == line_of(text, "start = 9")
    assert "start 9 of logistics is outside 0..5" in problem.message


def test_a_nations_own_start_outside_the_range(tmp_path: Path) -> None:
    path, text = edited(tmp_path, "start = { support = 7 }", "start = { support = 70 }")
    problem = only_problem(path)
    assert problem.key == "nations[1].start.support"
    assert problem.line == line_of(text, "start = { support = 70 }")
    assert "outside 0..10" in problem.message


def test_a_chance_outside_zero_to_one(tmp_path: Path) -> None:
    path, text = edited(tmp_path, "chance = 0.5", "chance = 1.5")
    problem = only_problem(path)
    assert problem.key == "options[2].chance"
    assert problem.line == line_of(text, "chance = 1.5")
    assert "between 0 and 1" in problem.message


# ---------------------------------------------------------------- the game's rules


def test_an_option_outside_the_nations_roles(tmp_path: Path) -> None:
    path, text = edited(tmp_path, 'roles = ["diplomacy", "logistics", "combat"]\ndefault = "blue.hold"',
                        'roles = ["diplomacy", "logistics"]\ndefault = "blue.hold"')
    problem = only_problem(path)
    assert problem.key == "options[2].category"
    assert problem.line == line_of(text, 'category = "combat"')
    assert "blue may not take 'combat' roles" in problem.message


def test_a_non_combat_nation_with_a_combat_role(tmp_path: Path) -> None:
    path, text = edited(tmp_path, 'name = "Green"\n', 'name = "Green"\nnon_combat = true\n')
    problem = only_problem(path)
    assert problem.key == "nations[1].roles[2]"
    assert problem.line == line_of(text, "roles =", after=line_of(text, 'id = "green"'))
    assert "non_combat" in problem.message and "'combat' is a combat role" in problem.message


def test_a_pledge_for_a_nation_that_does_not_pledge_in_advance(tmp_path: Path) -> None:
    text = replace_once(MINIMAL, 'pledge = "defend"\n', "")
    path, text = edited(tmp_path, 'nation = "blue"\nname = "Defend', 'nation = "green"\nname = "Defend', text)
    problem = only_problem(path)
    assert problem.key == "pledges[0].nation"
    assert problem.line == line_of(text, 'nation = "green"', after=line_of(text, "[[pledges]]"))
    assert "pledge_in_advance = false" in problem.message


def test_a_force_option_of_a_real_time_nation_needs_an_approval(tmp_path: Path) -> None:
    approval = MINIMAL[MINIMAL.index("[options.approval]"):MINIMAL.index("[[pledges]]")]
    path, text = edited(tmp_path, approval, "\n")
    problem = only_problem(path)
    assert problem.key == "options[5].approval"
    assert problem.line == line_of(text, 'id = "green.commit"') - 1  # the option's header
    assert "real time" in problem.message and "approval" in problem.message


def test_an_outcome_that_can_never_happen(tmp_path: Path) -> None:
    path, text = edited(tmp_path, 'when = "escalation >= 5"', 'when = "escalation > 99"')
    problem = only_problem(path)
    assert problem.key == "outcomes[0].when"
    assert problem.line == line_of(text, 'when = "escalation > 99"')
    assert "can never happen" in problem.message and "never true" in problem.message


def test_an_outcome_shadowed_by_an_earlier_always_true_one(tmp_path: Path) -> None:
    path, text = edited(tmp_path, 'when = "escalation >= 5"', 'when = "true"')
    problems = problems_of(path)
    problem = problem_at(problems, "outcomes[1].when")
    assert problem.line == line_of(text, 'when = "escalation <= 1"')
    assert "outcome 'war' before it always fires first" in problem.message


def test_an_end_outcome_shadowed_by_an_earlier_always_true_end_outcome(tmp_path: Path) -> None:
    path, text = edited(tmp_path, 'when = "escalation <= 1"', 'when = "escalation >= 0"')
    problem = only_problem(path)
    assert problem.key == "outcomes[2].when"
    assert problem.line == line_of(text, 'when = "true"')
    assert "outcome 'calm' before it always fires first" in problem.message


def test_a_format_other_than_1_is_refused(tmp_path: Path) -> None:
    path, _ = edited(tmp_path, "format = 1", "format = 2")
    problem = only_problem(path)
    assert problem.path == str(path)
    assert "format 2 is not supported" in problem.message


def test_a_format_other_than_1_points_at_the_format_key(tmp_path: Path) -> None:
    path, text = edited(tmp_path, "format = 1", "format = 2")
    problem = only_problem(path)
    assert (problem.key, problem.line) == ("format", line_of(text, "format = 2"))


@pytest.mark.parametrize(
    "trigger", ['turn = 2\nwhen = "alert"\n', ""], ids=["both", "neither"]
)
def test_an_inject_needs_exactly_one_of_turn_and_when(tmp_path: Path, trigger: str) -> None:
    text = MINIMAL + f'\n[[injects]]\nid = "news"\ntitle = "News"\n{trigger}'
    problem = only_problem(write(tmp_path, text))
    assert problem.key == "injects[0]"
    assert problem.line == line_of(text, "[[injects]]")
    assert "exactly one of 'turn'" in problem.message


def test_a_scheduled_inject_after_the_last_turn(tmp_path: Path) -> None:
    text = MINIMAL + '\n[[injects]]\nid = "late"\ntitle = "Late"\nturn = 9\n'
    problem = only_problem(write(tmp_path, text))
    assert problem.key == "injects[0].turn"
    assert problem.line == line_of(text, "turn = 9")
    assert "after the last turn" in problem.message


# ---------------------------------------------------------------- all at once


def test_several_shape_errors_are_reported_together(tmp_path: Path) -> None:
    text = replace_once(MINIMAL, "count = 4", 'count = "4"')
    path, text = edited(tmp_path, 'effects = ["escalation += 1"]', 'efects = ["escalation += 1"]', text)
    problems = problems_of(path)
    assert {p.key for p in problems} == {"turns.count", "options[2].efects"}
    assert problem_at(problems, "turns.count").line == line_of(text, 'count = "4"')
    assert problem_at(problems, "options[2].efects").line == line_of(text, "efects =")


def test_several_rule_errors_are_reported_together(tmp_path: Path) -> None:
    text = replace_once(MINIMAL, 'effects = ["escalation += 1"]', 'effects = ["escalaton += 1"]')
    text = replace_once(text, 'default = "blue.hold"', 'default = "blue.nothing"')
    text = replace_once(text, "max = 5\nstart = 2", "max = 5\nstart = 9")
    problems = problems_of(write(tmp_path, text))
    assert {p.key for p in problems} == {
        "options[2].effects[0]", "nations[0].default", "tracks[1].start",
    }
    for problem in problems:
        assert problem.line is not None and problem.message


def test_a_misspelt_name_in_an_outcome_is_one_problem_not_two(tmp_path: Path) -> None:
    path, _ = edited(tmp_path, 'when = "escalation >= 5"', 'when = "escalaton >= 5"')
    problem = only_problem(path)
    assert "did you mean 'escalation'" in problem.message


def test_a_long_operator_chain_in_a_condition_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    chain = "1 + " * 450 + "escalation >= 5"
    path, _ = edited(tmp_path, 'when = "escalation >= 5"', f'when = "{chain}"')
    with contextlib.suppress(ScenarioError):  # refusing it is fine; crashing is not
        load(path)
