"""The situation board as a person reads it; the helpers here serve test_menu and test_overview too."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console, RenderableType

from tests.conftest import bot_game, turn_from
from wargame.engine.events import Event
from wargame.engine.state import initial_state
from wargame.errors import ScenarioError
from wargame.scenario.loader import load
from wargame.scenario.scenario import Scenario
from wargame.view.board import render_board

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "minimal.toml"
FLAGSHIP = ROOT / "scenarios" / "defining-roles.toml"
WIDTHS = (80, 120)


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)


def show(renderable: RenderableType, width: int = 80, **console: object) -> str:
    out = io.StringIO()
    options: dict[str, object] = {"color_system": None, **console}
    Console(file=out, width=width, **options).print(renderable)  # type: ignore[arg-type]
    return out.getvalue()


def flat(text: str) -> str:
    """The words as read, across wrapped lines: box characters dropped, whitespace collapsed."""
    for ch in "│┃║":
        text = text.replace(ch, " ")
    return " ".join(text.split())


def assert_fits(text: str, width: int) -> None:
    for line in text.splitlines():
        assert cell_len(line) <= width, f"line wider than {width}: {line!r}"


def broken_words(renderable: RenderableType, width: int) -> list[str]:
    """Pieces of words split across lines ("Intelligenc" / "e sharing"): the words printed at
    `width` that are not words of the same thing printed so wide that nothing wraps."""
    def words(text: str) -> set[str]:
        for ch in "│┃║╭╮╰╯─━":
            text = text.replace(ch, " ")
        return set(text.split())

    whole = words(show(renderable, 1000))
    return sorted(words(show(renderable, width)) - whole)


def plain_console(renderable: RenderableType) -> str:
    """What a file or pipe gets: the colour system is left to rich."""
    out = io.StringIO()
    Console(file=out, width=80).print(renderable)
    return out.getvalue()


def variant(tmp_path: Path, *replacements: tuple[str, str]) -> Scenario:
    """A modified copy of the minimal fixture, loaded the normal way."""
    text = MINIMAL.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "variant.toml"
    path.write_text(text, encoding="utf-8")
    return load(path)


def flagship() -> Scenario:
    try:
        return load(FLAGSHIP)
    except ScenarioError as err:  # being written alongside; the board is tested on the fixture
        pytest.skip(f"flagship scenario does not load yet: {err}")


# ------------------------------------------------------------------ the board


@pytest.mark.parametrize("width", WIDTHS)
def test_board_shows_turn_ladder_decisions_and_effects(width: int) -> None:
    s = load(MINIMAL)
    state, events = turn_from(s, initial_state(s, 1), blue="blue.provoke", green="green.hold")
    text = show(render_board(s, state, events), width)
    words = flat(text)

    assert "Minimal" in text
    assert "EXERCISE — TEST" in text
    assert "Day 1 — turn 1 of 4" in text
    now = [line for line in text.splitlines() if "◀ now" in line]
    assert len(now) == 1 and "Crisis" in now[0]  # escalation went 1 -> 2
    for rung in ("Calm", "War"):
        assert rung in text
    assert "Blue (by script): Provoke" in words
    assert "Green (by script): Hold" in words
    assert "Escalation +1 → 2" in words
    assert "▲ +1 worse — Blue: Provoke" in words  # the ladder's change, with its reason
    assert "chance: success" in words or "chance: failure" in words
    assert_fits(text, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_board_shows_an_approval_and_the_reason_of_its_effect(tmp_path: Path, width: int) -> None:
    s = variant(tmp_path, ('chance = "0.1 * green.support"', "chance = 0.0"),
                ("max = 5\nstart = 1", "max = 5\nstart = 2"))
    state, events = turn_from(s, initial_state(s, 1), green="green.commit")
    text = show(render_board(s, state, events), width)
    words = flat(text)

    assert "Green (by script): Commit forces" in words
    assert "Blue (by default): Hold" in words
    assert "✗ Parliament rejects (no chance)" in words
    assert "▼ Domestic support (Green) -1 → 6 (rejected)" in words  # under the decision it followed
    assert_fits(text, width)


def test_board_shows_requests_roles_pledges_and_support() -> None:
    s = load(MINIMAL)
    state = initial_state(s, 1)
    state, _ = turn_from(s, state, blue="blue.ask")
    state, events = turn_from(s, state, blue="blue.promise", green="green.ask_decline")
    text = show(render_board(s, state, events))

    assert "Blue pledges: Defend when it comes to it" in flat(text)
    assert "Green declined the request" in flat(text)
    nations = text[text.index("Nations"):text.index("Injects")]
    green = next(line for line in nations.splitlines() if "Green" in line)
    assert "declined" in green
    assert "8/10 ▲+1" in green  # domestic support and its change this turn
    assert "• Defend when it comes to it" in flat(nations)


def test_private_role_is_shown_only_as_private() -> None:
    s = load(MINIMAL)
    state = initial_state(s, 1)
    state, _ = turn_from(s, state, blue="blue.ask")
    state, events = turn_from(s, state, green="green.ask_private_logistics")
    text = flat(show(render_board(s, state, events), 120))

    assert "defined (private)" in text
    assert "Green (by script): Define privately" in text
    assert "Define privately: Logistics" not in text
    assert "privately defined a role in answer to the request" in text
    assert "privately defined a role (Logistics)" not in text
    assert "[Logistics]" not in text  # no category tag on the decision either


def block(text: str, head: str) -> list[str]:
    """The lines of the board's block that starts at the line holding `head`, up to the next
    headline (▶ ■ ◆ at the start) or the panel's end."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if head in line)
    out = [lines[start]]
    for line in lines[start + 1:]:
        inner = line.strip("│ ")
        if not inner or inner[0] in "▶■◆╰╭" or line.startswith("╰"):
            break
        out.append(line)
    return out


def test_effects_go_under_the_cause_they_name_not_their_reason_text() -> None:
    s = load(MINIMAL)
    state = initial_state(s, 1)
    state = state.evolve(turn=1)
    events = [
        Event("decision", 1, "Blue: Hold", {"nation": "blue", "option": "blue.hold", "by": "script"}),
        Event("decision", 1, "Green: Hold", {"nation": "green", "option": "green.hold", "by": "script"}),
        # Blue's effect, listed after Green's decision and with Green's words as its reason
        Event("effect", 1, "logistics +1: Green: Hold",
              {"target": "logistics", "before": 2, "after": 3, "reason": "Green: Hold",
               "nation": "blue", "option": "blue.hold"}),
        Event("effect", 1, "green.support +1: Green: Hold",
              {"target": "green.support", "before": 7, "after": 8, "reason": "Green: Hold",
               "nation": "green", "option": "green.hold"}),
    ]
    text = show(render_board(s, state, events), 120)

    blue = "\n".join(block(text, "Blue (by script): Hold"))
    green = "\n".join(block(text, "Green (by script): Hold"))
    assert "Logistics +1 → 3" in blue and "Logistics" not in green
    assert "Domestic support (Green) +1 → 8" in green and "Domestic support" not in blue


def test_inject_and_pledge_effects_go_under_them(tmp_path: Path) -> None:
    s = variant(
        tmp_path,
        ('[[pledges]]', '[[injects]]\nid = "drill"\ntitle = "A drill"\ntext = "Blue drills."\nturn = 2\n'
                        'effects = ["logistics += 1"]\n\n[[pledges]]'),
        ('trigger = "escalation >= 4"', 'trigger = "escalation >= 2"'),
    )
    state = initial_state(s, 1)
    state, _ = turn_from(s, state, blue="blue.promise")
    state, events = turn_from(s, state, blue="blue.provoke")
    assert any(ev.kind == "pledge_fired" for ev in events)
    text = show(render_board(s, state, events), 120)

    inject = block(text, "■ A drill")
    assert any("Logistics +1 → 3" in line for line in inject)
    pledge = block(text, "◆ Blue's pledge comes due")
    assert any("Logistics +2 → 5" in line for line in pledge)
    provoke = block(text, "Blue (by script): Provoke")
    assert any("Escalation +1 → 2" in line for line in provoke)
    assert not any("Logistics" in line for line in provoke)


def test_a_clamped_effect_says_so(tmp_path: Path) -> None:
    s = variant(tmp_path, ('name = "Hold"\ncategory = "diplomacy"',
                           'name = "Hold"\ncategory = "diplomacy"\neffects = ["logistics += 9"]'))
    state, events = turn_from(s, initial_state(s, 1), blue="blue.hold")
    words = flat(show(render_board(s, state, events), 120))
    assert "Logistics +3 → 5 (held at max 5)" in words


@pytest.mark.parametrize("width", (60, 70, *WIDTHS))
def test_flagship_board_never_breaks_a_word(width: int) -> None:
    s = flagship()
    for state, events in bot_game(s, seed=3)[:4]:
        assert broken_words(render_board(s, state, events), width) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_outcome_is_shown_when_the_game_ends(width: int) -> None:
    s = load(MINIMAL)
    turns = bot_game(s)
    state, events = turns[-1]
    assert state.ended and state.outcome is not None
    outcome = next(o for o in s.outcomes if o.id == state.outcome)
    text = show(render_board(s, state, events), width)

    assert "OUTCOME" in text
    assert outcome.title in text
    assert "game over" in text
    assert text.index("OUTCOME") < text.index("Escalation")  # prominent: near the top
    for state, events in turns:
        assert_fits(show(render_board(s, state, events), width), width)


def test_board_before_the_first_turn() -> None:
    s = load(MINIMAL)
    text = show(render_board(s, initial_state(s, 1), []))
    assert "Before Day 1" in text
    assert "No decisions yet." in text


@pytest.mark.parametrize("width", (60, *WIDTHS, 160))
def test_flagship_boards_fit_every_width(width: int) -> None:
    s = flagship()
    for state, events in bot_game(s, seed=7)[:4]:
        text = show(render_board(s, state, events), width)
        assert_fits(text, width)
        assert s.title in text
        assert s.model.marking in text


def test_scenario_text_is_never_read_as_markup(tmp_path: Path) -> None:
    s = variant(
        tmp_path,
        ('title = "Minimal"', 'title = "[bold]x[/bold] :smile: [link=https://example.com]y[/link]"'),
        ('name = "Provoke"', 'name = "Provoke [red]now[/red]"'),
        ('name = "Calm" }', 'name = "[blink]Calm[/blink]" }'),
    )
    state, events = turn_from(s, initial_state(s, 1), blue="blue.provoke")
    board = show(render_board(s, state, events))
    assert "[bold]x[/bold] :smile: [link=https://example.com]y[/link]" in board
    assert "Provoke [red]now[/red]" in board
    assert "[blink]Calm[/blink]" in board

    terminal = io.StringIO()
    Console(file=terminal, width=80, force_terminal=True).print(render_board(s, state, events))
    assert "\x1b]8;" not in terminal.getvalue()


def test_a_colour_is_one_of_the_terminal_colour_names(tmp_path: Path) -> None:
    """A style smuggled in as a colour (a hyperlink) is refused when the scenario loads."""
    with pytest.raises(ScenarioError) as caught:
        variant(tmp_path, ('name = "Blue"', 'name = "Blue"\ncolour = "bold link https://example.com"'))
    assert "nations[0].colour" in str(caught.value)
    assert "bright_blue" in str(caught.value)  # the allowed names are listed


def test_no_control_codes_when_not_a_terminal() -> None:
    s = load(MINIMAL)
    state, events = turn_from(s, initial_state(s, 1), blue="blue.provoke")
    assert "\x1b" not in plain_console(render_board(s, state, events))


def test_meaning_survives_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    s = load(MINIMAL)
    state, events = turn_from(s, initial_state(s, 1), blue="blue.provoke")
    out = io.StringIO()
    Console(file=out, width=80, force_terminal=True).print(render_board(s, state, events))
    text = out.getvalue()
    assert "\x1b[3" not in text and "\x1b[9" not in text and ";3" not in text  # no colours
    assert "◀ now" in text
    assert "▲ +1 worse" in text
    assert "█" in text and "░" in text


def test_engine_and_game_loop_do_not_import_rich() -> None:
    code = ("import sys, wargame.engine.rules, wargame.scenario.loader, wargame.players.bot, wargame.game, "
            "wargame.record.verify; from wargame.game import Game, bot_seats, load_scenario, play; "
            "game = Game(load_scenario('tests/fixtures/minimal.toml'), 1); play(game, bot_seats(game.scenario)); "
            "sys.exit(any(m in sys.modules for m in ('rich', 'typer', 'textual')))")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
