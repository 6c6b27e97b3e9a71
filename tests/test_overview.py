"""`wargame show`: the scenario overview, as a person reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_board import (
    MINIMAL,
    WIDTHS,
    _plain_environment,  # noqa: F401 - the autouse fixture, for this module too
    assert_fits,
    broken_words,
    flagship,
    flat,
    plain_console,
    show,
    variant,
)
from wargame.scenario.loader import load
from wargame.view.overview import render_scenario


@pytest.mark.parametrize("width", WIDTHS)
def test_scenario_overview(width: int) -> None:
    s = load(MINIMAL)
    text = show(render_scenario(s), width)
    assert_fits(text, width)
    text = flat(text)
    assert "Minimal" in text and "EXERCISE — TEST" in text
    assert "A two-nation test scenario." in text
    assert "Makes no pledges in advance" in text  # green
    assert "May make pledges in advance" in text  # blue
    assert "2 Crisis" in text
    assert "Provoke" in text and "chance 50%" in text
    assert "only once the crisis is live (Escalation at least 2 (Crisis))" in text
    assert "Answer the request" in text


@pytest.mark.parametrize("width", (60, 70, *WIDTHS))
def test_flagship_overview_fits_and_keeps_words_whole(width: int) -> None:
    s = flagship()
    text = show(render_scenario(s), width)
    assert_fits(text, width)
    assert "non-combat" in text.lower()
    assert broken_words(render_scenario(s), width) == []


def test_overview_text_is_never_read_as_markup(tmp_path: Path) -> None:
    s = variant(
        tmp_path,
        ('title = "Minimal"', 'title = "[bold]x[/bold] :smile: [link=https://example.com]y[/link]"'),
        ('name = "Calm" }', 'name = "[blink]Calm[/blink]" }'),
    )
    text = show(render_scenario(s))
    assert "[bold]x[/bold] :smile:" in text
    assert "[blink]Calm[/blink]" in text
    assert "\x1b" not in plain_console(render_scenario(s))
