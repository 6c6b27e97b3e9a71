"""Variants and personas in the scenario format, and games played under them from the command
line: recorded in the header, and replay, verify, resume, branch and report honour them."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FLAGSHIP_PATH, line_of, problems_of, replace_once, write
from wargame.analysis.batch import BatchGames
from wargame.cli.app import app
from wargame.errors import UsageError
from wargame.players.bot import Bot
from wargame.record.reader import read_record
from wargame.scenario.scenario import Scenario
from wargame.scenario.variants import apply_variants

VARIANT = """
[[variants]]
id = "japan_fights"
title = "Japan fights"
"""


def test_the_flagship_ships_four_sourced_variants(flagship: Scenario) -> None:
    variants = {v.id: v for v in flagship.model.variants}
    assert set(variants) >= {"japan_base_access", "australia_preauthorised", "private_request",
                             "stockpiles_in_place"}
    refs = {s.ref for s in flagship.model.sources}
    for v in variants.values():
        assert v.source and all(part.strip() in refs for part in v.source.split(";")), v.id


def test_each_variant_changes_what_it_says(flagship: Scenario) -> None:
    japan = apply_variants(flagship, ["japan_base_access"])
    assert "japan.base_access" in japan.options and "japan.base_access" not in flagship.options
    assert "access" in japan.nation("japan").roles and japan.nation("japan").non_combat
    parliament = apply_variants(flagship, ["australia_preauthorised"]).options["australia.commit_forces"].approval
    assert parliament is not None and parliament.chance.evaluate(()) == 0.95
    private = apply_variants(flagship, ["private_request"])
    assert [o for o in flagship.options if "_public_" in o] and not [o for o in private.options if "_public_" in o]
    assert not any("_public_" in o.id for menu in private.options_by_nation.values() for o in menu)
    stocked = apply_variants(flagship, ["stockpiles_in_place"])
    assert stocked.initial[stocked.names["logistics"].index] == 5
    assert "us.stockpiles" not in stocked.options and "just_in_case" not in {i.id for i in stocked.injects}
    assert stocked.variants == ("stockpiles_in_place",) and flagship.variants == ()
    both = apply_variants(flagship, ["japan_base_access", "stockpiles_in_place"])
    assert "japan.base_access" in both.options and "us.stockpiles" not in both.options


def test_an_unknown_variant_is_a_usage_error_naming_the_known_ones(flagship: Scenario) -> None:
    with pytest.raises(UsageError, match="japan_base_access"):
        apply_variants(flagship, ["nope"])


def test_a_combat_option_for_japan_in_a_variant_is_a_load_error_at_its_key(tmp_path: Path) -> None:
    text = FLAGSHIP_PATH.read_text(encoding="utf-8") + VARIANT + """
[[variants.options]]
id = "japan.strike"
nation = "japan"
name = "Strike"
category = "combat"
"""
    path = write(tmp_path, text)
    [problem] = problems_of(path)
    assert problem.key == "variants[5].options[0].category"
    assert "limited to non-combat roles" in problem.message
    assert problem.line == line_of(text, 'category = "combat"', after=line_of(text, 'id = "japan_fights"'))


def test_variant_problems_are_all_reported_at_their_own_keys(tmp_path: Path) -> None:
    text = FLAGSHIP_PATH.read_text(encoding="utf-8") + VARIANT + """\
tracks = { logistics = 50, nope = 1 }
roles = { japan = ["combat"] }
chances = { aspen_meeting = 1.5 }
remove = ["japan.hold", "nothing"]
"""
    found = {p.key: p for p in problems_of(write(tmp_path, text))}
    assert set(found) == {"variants[5].tracks.logistics", "variants[5].tracks.nope", "variants[5].roles.japan[0]",
                          "variants[5].chances.aspen_meeting"}
    assert "outside 0..10" in found["variants[5].tracks.logistics"].message
    assert "non_combat" in found["variants[5].roles.japan[0]"].message
    assert found["variants[5].tracks.nope"].line == line_of(text, "nope = 1")
    # removals are checked once the rest builds
    text = FLAGSHIP_PATH.read_text(encoding="utf-8") + VARIANT + 'remove = ["japan.hold", "nothing"]\n'
    found = {p.key: p.message for p in problems_of(write(tmp_path, text, "b.toml"))}
    assert "default option of japan" in found["variants[5].remove[0]"]
    assert "neither an option nor an inject" in found["variants[5].remove[1]"]


def test_personas_are_checked_at_load_time(tmp_path: Path) -> None:
    text = replace_once(FLAGSHIP_PATH.read_text(encoding="utf-8"), 'id = "dove"\nnation = "us"',
                        'id = "dove"\nnation = "atlantis"')
    [problem] = problems_of(write(tmp_path, text))
    assert problem.key.endswith(".nation") and "atlantis" in problem.message


def test_every_option_of_the_flagship_is_played_under_some_persona(flagship: Scenario) -> None:
    """Temperature and personas: each option a persona could prefer is actually chosen, holds,
    defers, declines and the blockade included, and openings vary."""
    chosen: Counter[str] = Counter()
    for nation, personas in flagship.personas.items():
        for persona in personas:
            games = BatchGames(flagship, {nation: persona})
            openings = Counter()
            for seed in range(60):
                played = games.play(seed)
                openings[played.decisions[0][flagship.nation_index[nation]]] += 1
                for turn in played.decisions:
                    chosen.update(turn)
            assert len(openings) >= 2, f"{nation}={persona} always opens the same way"
    never = [o for o in flagship.options if not chosen[o]]
    for option in list(never):  # a rare choice: the same nation's personas on up to 200 seeds
        nation = flagship.options[option].nation
        for persona in flagship.personas.get(nation, {}):
            games = BatchGames(flagship, {nation: persona})
            if any(option in turn for seed in range(60, 200) for turn in games.play(seed).decisions):
                never.remove(option)
                break
    assert not never
    assert chosen["japan.colby_decline"] and chosen["australia.colby_defer"] and chosen["china.blockade"]
    assert chosen["australia.hold"]


def test_the_default_bot_plays_as_before_and_a_persona_differently(flagship: Scenario) -> None:
    state = BatchGames(flagship).play(7)
    assert state.outcome == "coalition_fractures" or state.outcome  # the golden files pin the default bot
    default = [BatchGames(flagship).play(s).decisions for s in range(20)]
    hawk = [BatchGames(flagship, {"china": "hawk"}).play(s).decisions for s in range(20)]
    assert default != hawk
    with pytest.raises(UsageError, match="its personas: hawk, dove, hedger"):
        Bot(flagship, personas={"china": "pirate"})


# ------------------------------------------------------------------ from the command line


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "scenarios").mkdir()
    shutil.copy(FLAGSHIP_PATH, tmp_path / "scenarios" / "defining-roles.toml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


ARGS = ["--variant", "australia_preauthorised", "--variant", "stockpiles_in_place", "--persona", "china=hawk"]


def test_a_variant_game_is_recorded_and_replays_verifies_reports_resumes_and_branches(work: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["play", "defining-roles", "--auto", "--seed", "5", "--log", "a.jsonl", *ARGS])
    assert result.exit_code == 0, result.output
    record = read_record(work / "a.jsonl")
    assert record.variants == ["australia_preauthorised", "stockpiles_in_place"]
    assert record.personas == {"china": "hawk"}
    assert "Variant: Australia pre-authorises forces." in result.output
    verified = runner.invoke(app, ["replay", "a.jsonl", "--verify"])
    assert verified.exit_code == 0 and "genuine" in verified.output
    report = runner.invoke(app, ["report", "a.jsonl"])
    assert "**Variants:** Australia pre-authorises forces; The just-in-case stockpiles" in report.output
    assert ("wargame play defining-roles --auto --seed 5 --variant australia_preauthorised "
            "--variant stockpiles_in_place --persona china=hawk") in report.output
    # the same command plays the same game
    runner.invoke(app, ["play", "defining-roles", "--auto", "--seed", "5", "--log", "b.jsonl", *ARGS])
    assert [e.to_dict() for e in read_record(work / "b.jsonl").events] == [e.to_dict() for e in record.events]
    # resume: cut the record after turn 3 and let the bots (with their personas) finish it
    cut = record.turns[2].end_offset
    data = (work / "a.jsonl").read_bytes()
    (work / "c.jsonl").write_bytes(data[:cut])
    resumed = runner.invoke(app, ["resume", "c.jsonl"])
    assert resumed.exit_code == 0, resumed.output
    assert (work / "c.jsonl").read_bytes().split(b"\n", 1)[1] == data.split(b"\n", 1)[1]
    # branch: the parent's variants and personas carry over
    branched = runner.invoke(app, ["play", "defining-roles", "--auto", "--from", "a.jsonl", "--turn", "3",
                                   "--log", "d.jsonl"])
    assert branched.exit_code == 0, branched.output
    child = read_record(work / "d.jsonl")
    assert child.variants == record.variants and child.personas == record.personas
    assert runner.invoke(app, ["replay", "d.jsonl", "--verify"]).exit_code == 0


@pytest.mark.parametrize(("args", "message"), [
    (["--variant", "nope"], "no such variant"),
    (["--persona", "china"], "write NATION=NAME"),
    (["--persona", "china=pirate"], "its personas: hawk, dove, hedger"),
    (["--persona", "atlantis=hawk"], "no such nation"),
])
def test_bad_variants_and_personas_exit_2(work: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["play", "defining-roles", "--auto", "--seed", "1", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_a_game_without_variants_has_the_header_it_always_had(work: Path) -> None:
    CliRunner().invoke(app, ["play", "defining-roles", "--auto", "--seed", "5", "--log", "a.jsonl"])
    header = json.loads((work / "a.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert "variants" not in header and "personas" not in header
