"""`wargame lint`: each kind of finding on a scenario made to have it, none where there is
nothing wrong, exit statuses by severity; and the errors an author can act on (did-you-mean,
the line of an entry in a multi-line array, board labels from the scenario)."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from wargame.analysis.batch import BatchGames
from wargame.analysis.plan import game_seed
from wargame.analysis.playtest import ArmStats, _Counting, findings, lint_arms, play_stats
from wargame.cli.app import app
from wargame.engine.rules import available
from wargame.engine.state import initial_state
from wargame.errors import ScenarioError
from wargame.game import Game, Observer, bot_seats, play
from wargame.scenario.lint import lint
from wargame.scenario.loader import load, parse
from wargame.scenario.scenario import Scenario
from wargame.scenario.variants import apply_variants
from wargame.view.board import render_board

ROOT = Path(__file__).resolve().parent.parent
STARTER = ROOT / "wargame" / "scenario" / "starter.toml"
MINIMAL = ROOT / "tests" / "fixtures" / "minimal.toml"
SHIPPED = sorted((ROOT / "scenarios").glob("*.toml"))


def changed(base: Path, *replacements: tuple[str, str]) -> str:
    text = base.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def scenario_of(text: str) -> Scenario:
    return parse(text.encode("utf-8"), "test.toml")


# a flag nothing ever sets, and an inject waiting for it
NEVER_INJECT = ('\n[[flags]]\nid = "calm_seas"\nname = "Calm seas"\n'
                '\n[[injects]]\nid = "never"\ntitle = "Never"\nwhen = "calm_seas and escalation >= 2"\n')


def codes(scenario: Scenario) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in lint(scenario):
        out.setdefault(f.code, []).append(f.message)
    return out


# ---------------------------------------------------------------- static findings


def test_the_starter_has_nothing_to_lint() -> None:
    assert lint(load(STARTER)) == []


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_scenarios_have_no_warnings(path: Path) -> None:
    warnings = [f.message for f in lint(load(path)) if f.severity == "warning"]
    assert warnings == []


def test_an_option_that_needs_what_nothing_can_reach_is_never_available() -> None:
    # nothing raises the channel any more, so Red's talks (channel >= 2) can never open,
    # and the outcome that needs the channel at 3 can never happen
    s = scenario_of(changed(STARTER, ('effects = ["channel += 1"]\nchance = 0.7', 'effects = []\nchance = 0.7'),
                            ('when = "escalation >= 4"\nchance = 0.5\neffects = ["channel += 1"]',
                             'when = "escalation >= 4"\nchance = 0.5\neffects = ["escalation -= 1"]')))
    found = codes(s)
    assert any("'red.talk'" in m and "channel >= 2" in m for m in found["option-never-available"])
    assert any("'talked_down'" in m for m in found["outcome-unreachable"])
    assert any("'channel'" in m for m in found["track-constant"])


def test_dead_options_are_followed_through_chains() -> None:
    """An option that needs a flag only a dead option sets is dead too (the fixed point)."""
    text = changed(MINIMAL, ('name = "Provoke"', 'name = "Provoke"\navailable = "escalation > 5"'))
    text += '\n[[options]]\nid = "blue.alerted"\nnation = "blue"\nname = "Act on the alert"\n' \
            'category = "diplomacy"\navailable = "alert"\n'
    found = codes(scenario_of(text))
    assert any("'blue.provoke'" in m for m in found["option-never-available"])
    assert any("'blue.alerted'" in m and "'alert'" in m for m in found["option-never-available"])


def test_an_inject_that_can_never_fire() -> None:
    text = STARTER.read_text(encoding="utf-8") + NEVER_INJECT
    assert "'never'" in " ".join(codes(scenario_of(text))["inject-never-fires"])
    text = STARTER.read_text(encoding="utf-8") + '\n[[injects]]\nid = "no_luck"\ntitle = "No luck"\nturn = 2\n' \
        'chance = 0\n'
    assert "its chance is 0" in " ".join(codes(scenario_of(text))["inject-never-fires"])


def test_outcomes_shadowed_and_no_catch_all() -> None:
    text = changed(STARTER, ('when = "true"\nat_end = true', 'when = "escalation >= 3"\nat_end = true'))
    text += '\n[[outcomes]]\nid = "again"\ntitle = "Again"\nwhen = "escalation >= 3"\nat_end = true\n'
    found = codes(scenario_of(text))
    assert any("'again'" in m and "same condition" in m for m in found["outcome-shadowed"])
    assert found["no-catch-all-outcome"]


def test_requests_and_pledges_nothing_can_make() -> None:
    text = changed(MINIMAL, ("once = true\nopens = \"ask\"", "once = true"),
                   ('name = "Promise to defend"\ncategory = "diplomacy"\npledge = "defend"',
                    'name = "Promise to defend"\ncategory = "diplomacy"'))
    found = codes(scenario_of(text))
    assert "'ask'" in " ".join(found["request-never-opened"])
    assert "'defend'" in " ".join(found["pledge-never-made"])


def test_tracks_nothing_reads_and_nations_without_interests() -> None:
    text = STARTER.read_text(encoding="utf-8") + '\n[[tracks]]\nid = "morale"\nname = "Morale"\nstart = 5\n'
    text = text.replace('interests = { escalation = -0.5, "red.support" = 1.0 }', "")
    text = text.replace('interests = { escalation = -1.0, "red.support" = 1.0 }', "")
    found = codes(scenario_of(text))
    assert "'morale'" in " ".join(found["track-unread"])
    assert "red has no interests" in " ".join(found["nation-without-interests"])


# ---------------------------------------------------------------- the command


def test_lint_command_exit_statuses_and_json(tmp_path: Path) -> None:
    runner = CliRunner()
    clean = runner.invoke(app, ["lint", str(STARTER)])
    assert clean.exit_code == 0 and clean.stdout == ""
    bad = tmp_path / "bad.toml"
    bad.write_text(STARTER.read_text(encoding="utf-8") + NEVER_INJECT, encoding="utf-8")
    warned = runner.invoke(app, ["lint", str(bad)])
    assert warned.exit_code == 4
    line = bad.read_text(encoding="utf-8").splitlines().index('when = "calm_seas and escalation >= 2"') + 1
    assert f"{bad}:{line}: warning: injects[2].when: inject 'never' can never fire" in warned.stdout
    assert warned.stdout.rstrip().endswith("[inject-never-fires]")
    data = json.loads(runner.invoke(app, ["lint", str(bad), "--json"]).stdout)
    assert data[0]["findings"][0] | {"message": ""} == {
        "severity": "warning", "code": "inject-never-fires", "line": line, "key": "injects[2].when", "message": ""}
    broken = tmp_path / "broken.toml"
    broken.write_text("format = 1\n", encoding="utf-8")
    invalid = runner.invoke(app, ["lint", str(broken), str(STARTER)])
    assert invalid.exit_code == 1 and "error" in invalid.stdout
    assert runner.invoke(app, ["lint", str(STARTER), "--play", "-1"]).exit_code == 2


def test_lint_play_reports_what_the_bots_never_did() -> None:
    s = load(STARTER)
    stats = play_stats(s, 30)
    assert stats.games == 30 and sum(stats.outcomes.values()) == 30
    assert stats.available["blue.hotline"] == 30  # always open
    assert stats.injects["collision"] == 30  # scheduled on turn 1
    # a track pinned at its limit: start the channel at its max and nothing lowers it
    pinned = scenario_of(changed(STARTER, ("max = 5\nstart = 0", "max = 5\nstart = 5")))
    found = findings(pinned, play_stats(pinned, 10))
    assert any(f.code == "play-track-pinned" and "'channel'" in f.message for f in found)
    never = scenario_of(changed(STARTER, ('when = "escalation >= 4"', 'when = "escalation >= 6 and turn == 1"')))
    found = findings(never, play_stats(never, 10))
    assert any(f.code == "play-inject-never-fired" and "'mediation'" in f.message for f in found)


def test_lint_play_is_the_same_for_the_same_games() -> None:
    s = load(STARTER)
    assert play_stats(s, 10).to_dict() == play_stats(s, 10).to_dict()


class _LoopCounts(Observer):
    """What lint counts, counted on the game loop (`wargame play --auto`'s path) instead."""

    def __init__(self) -> None:
        self.open: set[str] = set()
        self.pinned: Counter[tuple[str, str]] = Counter()
        self.turns = 0

    def deciding(self, game: Game) -> None:
        for nation in game.scenario.nations:
            self.open.update(o.id for o in available(game.scenario, game.state, nation.id))

    def turn_done(self, game: Game) -> None:
        for track in game.scenario.tracks:
            value = game.state.values[track.slot]
            if value <= track.lo or value >= track.hi:
                self.pinned[track.name, "min" if value <= track.lo else "max"] += 1
        self.turns += 1


def test_lint_play_counts_what_the_game_loop_counts() -> None:
    """The sweep's batch path with its Watch sees, arm by arm, what the game loop's observers
    see: the same options open, choices, injects, outcomes and turns at a limit."""
    flagship = load(ROOT / "scenarios" / "defining-roles.toml")
    arms = lint_arms(flagship)
    assert len(arms) == (1 + len(flagship.model.variants)) * (1 + len(flagship.model.personas))
    assert arms[0].variants == () and arms[0].personas == ()
    assert any(a.variants and a.personas for a in arms)
    picked = [arms[0], next(a for a in arms if a.variants and a.personas)]
    seeds = [game_seed(0, i) for i in range(8)]
    for arm in picked:
        scenario = apply_variants(flagship, arm.variants)
        arm_stats = ArmStats(arm.label, pinned={t.name: Counter() for t in scenario.tracks})
        watch = _Counting(scenario.tracks, arm_stats)
        batch = BatchGames(scenario, dict(arm.personas))
        seats = bot_seats(scenario, explain=False, personas=dict(arm.personas))
        loop_pinned: Counter[tuple[str, str]] = Counter()
        loop_turns = 0
        for seed in seeds:
            watch.open = set()
            played = batch.play(seed, watch)
            loop = _LoopCounts()
            game = Game(scenario, seed)
            state = play(game, seats, [loop])
            assert loop.open == watch.open
            chosen = {str(e.data["option"]) for e in game.history if e.kind == "decision" and "option" in e.data}
            assert chosen == {o for turn in played.decisions for o in turn}
            assert set(state.fired_injects) == set(played.fired_injects)
            assert state.outcome == played.outcome
            loop_pinned += loop.pinned
            loop_turns += loop.turns
        assert loop_turns == arm_stats.turns
        assert loop_pinned == Counter({(t, k): n for t, c in arm_stats.pinned.items() for k, n in c.items() if n})


# ---------------------------------------------------------------- errors an author can act on


@pytest.mark.parametrize(("change", "expected"), [
    (('interests = { escalation = -1.0, logistics = 1.0 }', 'interests = { escalaton = -1.0 }'),
     "nations[0].interests.escalaton: 'escalaton' is not a track; did you mean 'escalation'?"),
    (('roles = ["diplomacy", "logistics", "combat"]\ndefault = "blue.hold"',
      'roles = ["diplomacy", "logistic", "combat"]\ndefault = "blue.hold"'),
     "unknown role category 'logistic'; did you mean 'logistics'?"),
    (('name = "Blue"', 'name = "Blue"\nplayble = false'), "did you mean 'playable'?"),
    (('name = "Blue"', 'name = "Blue"\ncolour = "sky-blue"'), "'sky-blue' is not allowed; did you mean 'blue'?"),
    (('label = "Day {n}"', 'labl = "Day {n}"'), "turns.labl: unknown key (not part of the scenario format; "
                                                 "did you mean 'label'?)"),
    (('default = "blue.hold"', 'default = "blue.hodl"'), "did you mean 'blue.hold'?"),
    (('pledge = "defend"', 'pledge = "defnd"'), "unknown pledge 'defnd'; did you mean 'defend'?"),
    (('opens = "ask"', 'opens = "aks"'), "unknown request 'aks'; did you mean 'ask'?"),
])
def test_names_get_a_did_you_mean(change: tuple[str, str], expected: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario_of(changed(MINIMAL, change))
    assert expected in str(caught.value)


def test_an_error_in_a_multiline_array_points_at_the_entry() -> None:
    text = changed(MINIMAL, ('{ at = 5, name = "War" }', '{ at = 9, name = "War" }'))
    with pytest.raises(ScenarioError) as caught:
        scenario_of(text)
    line = text.splitlines().index('  { at = 9, name = "War" },') + 1
    assert caught.value.problems[0].line == line
    assert caught.value.problems[0].key == "tracks[0].thresholds[2].at"


def _board(s: Scenario) -> str:
    out = io.StringIO()
    Console(file=out, width=100, color_system=None).print(render_board(s, initial_state(s, 1), []))
    return out.getvalue()


def test_the_board_takes_its_labels_from_the_scenario() -> None:
    custom = scenario_of(changed(STARTER, ('name = "Escalation"', 'name = "Tension at sea"')))
    board = _board(custom)
    assert "Tension at sea" in board and "Escalation ladder" not in board
    # no requests and no pledges in the starter: no empty Role and Pledges columns
    assert " Role " not in board and "Pledges" not in board
    flagship = _board(load(ROOT / "scenarios" / "defining-roles.toml"))
    assert " Role " in flagship  # it has a role request
    assert "Pledges" in _board(load(MINIMAL))  # it has a pledge


def test_an_approval_that_can_never_pass() -> None:
    text = changed(MINIMAL, ('chance = "0.1 * green.support"', 'chance = "0.1 * green.support - 2"'))
    found = codes(scenario_of(text))
    assert "'green.commit' can never go ahead: Parliament never approves it" in " ".join(found["option-never-approved"])


def test_array_entries_are_located_past_commas_and_brackets_in_strings() -> None:
    from wargame.scenario.locate import line_index

    text = ('effects = [\n'
            '  "a += 1",  # a comment, with [brackets]\n'
            '  "b = \\"x, y\\"", "c -= max(1, 2)",\n'
            '  [1, 2],\n'
            ']\n'
            'after = 1\n')
    lines = line_index(text)
    assert [lines[("effects", i)] for i in range(4)] == [2, 3, 3, 4]
    assert lines[("after",)] == 6


def test_variants_and_personas_get_a_did_you_mean() -> None:
    from wargame.errors import UsageError
    from wargame.players.bot import resolve_personas
    from wargame.scenario.variants import apply_variants

    flagship = load(ROOT / "scenarios" / "defining-roles.toml")
    with pytest.raises(UsageError, match="did you mean 'australia_preauthorised'"):
        apply_variants(flagship, ["australia_preauthorized"])
    with pytest.raises(UsageError, match="did you mean 'japan'"):
        resolve_personas(flagship, {"japn": "dove"})


def test_nations_without_objectives_is_checked_once_the_format_has_objectives() -> None:
    """The format has objectives (a top-level list naming the nation), so the check is on; either
    shape (a list on each nation, or a top-level list) turns it on."""
    from pydantic import BaseModel

    from wargame.scenario.lint import _objectives_field

    starter = _objectives_field(load(STARTER).model)
    assert starter is not None and starter(0) and starter(1)

    class Goal(BaseModel):
        nation: str = ""

    class Own(BaseModel):
        id: str
        objectives: list[Goal] = []

    class Plain(BaseModel):
        id: str

    class WithOwn(BaseModel):
        nations: list[Own]

    class WithShared(BaseModel):
        nations: list[Plain]
        objectives: list[Goal] = []

    has = _objectives_field(WithOwn(nations=[Own(id="a", objectives=[Goal()]), Own(id="b")]))
    assert has is not None and has(0) and not has(1)
    has = _objectives_field(WithShared(nations=[Plain(id="a"), Plain(id="b")], objectives=[Goal(nation="b")]))
    assert has is not None and not has(0) and has(1)


def test_lint_play_counts_every_arm_before_calling_something_dead() -> None:
    """An inject that can fire only under a variant is not reported; the same inject is
    reported when the variant is not there. A persona adds an arm under every variant."""
    never = ('when = "escalation >= 4"', 'when = "escalation >= 6 and turn == 1"')
    extra = ('\n[[variants]]\nid = "hot"\ntitle = "Hot start"\ntracks = { escalation = 6 }\n'
             '\n[[personas]]\nid = "bold"\nnation = "red"\ntitle = "Bold"\ninterests = { escalation = 1.0 }\n')
    base_only = scenario_of(changed(STARTER, never))
    with_variant = scenario_of(changed(STARTER, never) + extra)
    assert [a.label for a in lint_arms(with_variant)] == ["base", "base [red=bold]", "hot", "hot [red=bold]"]
    stats = play_stats(with_variant, 5)
    assert stats.games == 20 and stats.per_arm == 5 and len(stats.arms) == 4
    assert 0 < stats.injects["mediation"] <= 10  # only on turn 1 under the variant (it has a chance)
    assert not any(f.code == "play-inject-never-fired" for f in findings(with_variant, stats))
    assert any(f.code == "play-inject-never-fired" and "'mediation'" in f.message
               for f in findings(base_only, play_stats(base_only, 5)))
