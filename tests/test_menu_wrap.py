"""Wrapped lines of a numbered menu never read as another item's number: `Hanging` (the options
menu at the table) and the line client's menu (a served seat), at 80 columns and narrower."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from tests.test_board import _plain_environment, bot_game, flagship  # noqa: F401 - autouse fixture
from wargame.engine.rules import legal_options
from wargame.engine.state import initial_state
from wargame.serve.client import Seat
from wargame.view.options import describe_option, option_number
from wargame.view.wrap import Hanging, hanging_lines

NUMBER_LED = re.compile(r"[-+−]?\d")

words = st.one_of(st.from_regex(r"[a-z(),;:]{1,9}", fullmatch=True),
                  st.from_regex(r"[-+]?\d{1,3}[%)),;]{0,2}", fullmatch=True))


@settings(max_examples=100, deadline=None)
@given(st.lists(words, min_size=1, max_size=40), st.integers(24, 100), st.integers(0, 7), st.integers(0, 7))
def test_hanging_lines_keep_every_word_and_never_lead_a_continuation_with_a_number(
        text_words: list[str], width: int, hang: int, lead: int) -> None:
    # a realistic text: never two numbers in a row ("min(1, 7 - x)"), so no piece outgrows a line
    kept = [w for i, w in enumerate(text_words)
            if not (i and NUMBER_LED.match(w) and NUMBER_LED.match(text_words[i - 1]))]
    plain = " " * lead + " ".join(kept)  # leading spaces stay on the first line ("     → ...")
    lines = [plain[a:b] for a, b in hanging_lines(plain, width, hang)]
    assert " ".join(lines).split() == kept  # every word, whole and in order
    assert cell_len(lines[0]) <= width and lines[0].startswith(" " * lead)
    for line in lines[1:]:
        assert line and not line[0].isspace()
        assert cell_len(line) + hang <= width
        assert not NUMBER_LED.match(line), (plain, width, hang, lines)


def test_hanging_keeps_styles_and_hangs_its_continuations() -> None:
    text = Text("→ Escalation up by max(0, min(1, 7 - escalation)); once a game", style="italic")
    text.stylize("bold", 2, 12)
    out = io.StringIO()
    Console(file=out, width=40, force_terminal=True, color_system="standard").print(Hanging(text, hang=2))
    raw = out.getvalue()
    assert "\x1b[1;3mEscalation" in raw  # bold and italic both kept
    plain = re.sub(r"\x1b\[[0-9;]*m", "", raw).splitlines()
    assert plain == ["→ Escalation up by max(0, min(1, 7 -", "  escalation)); once a game"]


def test_a_word_longer_than_the_line_is_folded_not_lost() -> None:
    plain = "see " + "x" * 30 + " and 7 more"
    lines = [plain[a:b] for a, b in hanging_lines(plain, 12, 2)]
    assert "".join(lines).replace(" ", "") == plain.replace(" ", "")
    assert all(cell_len(line) <= 10 for line in lines[1:])
    lines = [("x" * 30)[a:b] for a, b in hanging_lines("x" * 30, 12, 2)]  # folded from the first line
    assert lines == ["x" * 10, "x" * 10, "x" * 10]
    lead = "      " + "y" * 20  # a first word too long for the line after its leading spaces
    lines = [lead[a:b] for a, b in hanging_lines(lead, 12, 2)]
    assert cell_len(lines[0]) <= 12 and "".join(lines).replace(" ", "") == "y" * 20


def seat_menu(width: int) -> list[str]:
    """The line client's menu lines (a served seat, `wargame join --plain`) for every flagship
    nation at the start and through a bot game's first turns, printed `width` columns wide."""
    s = flagship()
    lines: list[str] = []
    for state in [initial_state(s, 3), *(state for state, _ in bot_game(s, seed=3)[:4])]:
        if state.ended:
            continue
        for nation in s.nations:
            options = [{"id": c.option.id, "name": c.option.name, "category": c.option.category_name,
                        "does": describe_option(s, c.option, state.values) if c.ok else "", "ok": c.ok,
                        "why_not": c.why_not, "n": option_number(s, c.option)}
                       for c in legal_options(s, state, nation.id)]
            out = io.StringIO()
            seat = Seat(Console(file=out, width=width, color_system=None), "http://127.0.0.1:1/", "code")
            seat.show({"type": "state", "turn": max(state.turn, 1), "board": None, "label": "Week 1",
                       "messages": [], "seat": {"due": True, "options": options, "name": nation.name,
                                                "private_brief": ""}})
            lines += out.getvalue().splitlines()
    return lines


@pytest.mark.parametrize("width", (60, 80))
def test_the_line_clients_menu_hangs_wrapped_lines_under_the_name(width: int) -> None:
    lines = seat_menu(width)
    for line in lines:
        assert cell_len(line) <= width
        if re.match(r" *\d", line) and " options open now" not in line:  # not the footer
            # a line led by a number is an option's own: "  12. Name"
            assert re.match(r"  \d+\. ", line), line
    assert any(line.startswith("       ") for line in lines)  # some line wrapped, and hangs
