"""The human menu: what may be chosen now, numbered the way the CLI reads the numbers."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console

from tests.test_board import (
    MINIMAL,
    WIDTHS,
    _plain_environment,  # noqa: F401 - the autouse fixture, for this module too
    assert_fits,
    bot_game,
    broken_words,
    flagship,
    flat,
    plain_console,
    show,
    turn_from,
    variant,
)
from wargame.engine.rules import Choice, legal_options
from wargame.engine.state import State, initial_state
from wargame.scenario.loader import load
from wargame.scenario.scenario import Scenario
from wargame.view.menu import render_options


def menu_text(s: Scenario, state: State, nation: str, width: int = 80) -> tuple[list[Choice], str]:
    menu = legal_options(s, state, nation)
    return menu, show(render_options(s, state, nation, menu), width)


def numbered_lines(text: str) -> dict[int, str]:
    """Menu lines whose number column holds one number (right-aligned), by number."""
    out = {}
    for line in text.splitlines():
        match = re.match(r"│ +(\d+) (.*)", line)
        if match and " options open now" not in line:  # not the footer
            out[int(match.group(1))] = f"{int(match.group(1))} {match.group(2)}"
    return out


def assert_numbered_as_the_cli_reads(menu: list[Choice], text: str) -> None:
    """The human seat maps number N to the Nth option of the nation's whole list (open or not):
    open options stand under their number; closed ones too, marked —, unless they are answers
    to a request, which share one line."""
    numbered = numbered_lines(text)
    for number, choice in enumerate(menu, 1):
        option = choice.option
        if choice.ok:
            assert numbered[number].startswith(f"{number} {option.name}"), (number, option.name)
        elif option.answer is None:
            assert numbered[number].startswith(f"{number} — {option.name}"), (number, option.name)
    assert set(numbered) <= set(range(1, len(menu) + 1))


@pytest.mark.parametrize("width", WIDTHS)
def test_options_number_only_the_available_ones(width: int) -> None:
    s = load(MINIMAL)
    state, _ = turn_from(s, initial_state(s, 1), blue="blue.ask")
    menu, text = menu_text(s, state, "blue", width)

    assert_numbered_as_the_cli_reads(menu, text)
    asked = next(line for line in text.splitlines() if "Ask Green to define a role" in line)
    assert re.match(r"│ +\d+ — Ask Green", asked)
    why = next(c.why_not for c in menu if c.option.id == "blue.ask")
    assert why and f"not now: {why}" in flat(text)  # the engine's reason, as it gives it
    assert "Escalation +1; 50% chance" in flat(text)
    assert_fits(text, width)


def test_options_show_approval_and_real_time_limits() -> None:
    s = load(MINIMAL)
    state = initial_state(s, 1)
    _, text = menu_text(s, state, "green")
    assert "Commit forces" in text
    assert "only in real time" in text  # escalation 1: the crisis is not live
    state, _ = turn_from(s, state, blue="blue.provoke")
    if state.value(s, "escalation") >= 2:
        _, text = menu_text(s, state, "green")
        assert "needs Parliament approval (70% now)" in flat(text)


def test_answers_to_a_request_not_yet_made_are_one_line() -> None:
    s = load(MINIMAL)
    menu, text = menu_text(s, initial_state(s, 1), "green")

    assert "the request has not been made" not in text
    assert "Define publicly" not in text and "Decline" not in text
    closed = [line for line in text.splitlines() if "Reply to the request" in line]
    assert len(closed) == 1
    assert re.match(r"│ +\d+–\d+ — Reply to the request", closed[0])  # the answers' numbers
    assert "— Reply to the request — once Blue makes the request" in flat(text)
    assert_numbered_as_the_cli_reads(menu, text)


def test_answers_stand_under_the_request_once_it_is_made() -> None:
    s = load(MINIMAL)
    state, _ = turn_from(s, initial_state(s, 1), blue="blue.ask")
    menu, text = menu_text(s, state, "green")

    assert flat(text).count("Reply to the request (from Blue)") == 1
    answers = [c.option for c in menu if c.ok and c.option.answer is not None]
    assert len(answers) >= 4  # public and private for each role Green may take, defer, decline
    lines = text.splitlines()
    heading = next(i for i, line in enumerate(lines) if "Reply to the request (from Blue)" in line)
    first = next(i for i, line in enumerate(lines) if answers[0].name in line)
    assert heading < first
    assert "· Reply to a request" not in text  # the heading says it once
    assert_numbered_as_the_cli_reads(menu, text)


def test_answers_already_given_are_one_line() -> None:
    s = load(MINIMAL)
    state, _ = turn_from(s, initial_state(s, 1), blue="blue.ask")
    state, _ = turn_from(s, state, green="green.ask_decline")
    menu, text = menu_text(s, state, "green")

    assert "— Reply to the request — already answered" in flat(text)
    assert "Define publicly" not in text
    assert_numbered_as_the_cli_reads(menu, text)


@pytest.mark.parametrize("width", (60, *WIDTHS))
def test_flagship_menus_fit_and_keep_words_whole(width: int) -> None:
    s = flagship()
    for state, _ in [(initial_state(s, 3), []), *bot_game(s, seed=3)[:4]]:
        if state.ended:
            continue
        for nation in ("japan", "australia"):
            menu = legal_options(s, state, nation)
            renderable = render_options(s, state, nation, menu)
            text = show(renderable, width)
            assert_fits(text, width)
            assert broken_words(renderable, width) == []
            assert_numbered_as_the_cli_reads(menu, text)


def test_menu_text_is_never_read_as_markup(tmp_path: Path) -> None:
    s = variant(tmp_path, ('name = "Provoke"', 'name = "Provoke [red]now[/red]"'))
    state = initial_state(s, 1)
    _, text = menu_text(s, state, "blue")
    assert "Provoke [red]now[/red]" in text
    assert "\x1b" not in plain_console(render_options(s, state, "blue", legal_options(s, state, "blue")))


def test_menu_meaning_survives_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    s = load(MINIMAL)
    state = initial_state(s, 1)
    out = io.StringIO()
    menu = render_options(s, state, "green", legal_options(s, state, "green"))
    Console(file=out, width=80, force_terminal=True).print(menu)
    text = out.getvalue()
    params = [p for sgr in re.findall(r"\x1b\[([0-9;]*)m", text) for p in sgr.split(";")]
    assert not [p for p in params if p[:1] in ("3", "9") and len(p) == 2 and p != "39"]  # no colours
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert "— Reply to the request — once Blue makes the request" in plain  # marked, not only dimmed


def digit_led_lines(menu: list[Choice], text: str) -> list[str]:
    """Lines of a menu that begin (after the border and spaces) with a digit but are not an
    option's own first line ("12 Name", "12 — Name", "12–15 — Reply to ..."): a reader would
    take such a line for another option's number."""
    names = {n: c.option.name for n, c in enumerate(menu, 1)}
    wrong = []
    for line in text.splitlines():
        match = re.match(r"│ +(\d+)(–\d+)? (.*)", line)
        if not re.match(r"│ +\d", line) or " options open now" in line:  # not the footer
            continue
        if match is None:
            wrong.append(line)
            continue
        number, rest = int(match.group(1)), match.group(3)
        if match.group(2):
            ok = rest.startswith("— Reply to")
        else:
            name = names.get(number, "\0")
            ok = rest.startswith(name[:20]) or rest.startswith(f"— {name[:20]}")
        if not ok:
            wrong.append(line)
    return wrong


@pytest.mark.parametrize("width", (60, 80))
def test_flagship_continuation_lines_never_read_as_option_numbers(width: int) -> None:
    """A wrapped effect whose amount is a formula ("... min(1, 7 - escalation)") or a chance
    ("55% now chance") must not begin a line with a number: it would read as another option's.
    Every nation, at the start and through a bot game's first turns."""
    s = flagship()
    states = [initial_state(s, 3), *(state for state, _ in bot_game(s, seed=3)[:4])]
    wrong = []
    for state in states:
        if state.ended:
            continue
        for nation in (n.id for n in s.nations):
            menu, text = menu_text(s, state, nation, width)
            assert_fits(text, width)
            wrong += [f"{nation} turn {state.turn}: {line}" for line in digit_led_lines(menu, text)]
    assert wrong == []
