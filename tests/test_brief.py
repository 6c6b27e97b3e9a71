"""`wargame brief SCENARIO NATION`: a delegation's handout — public situation, its own private
brief (and no other's), objectives from its interests, roles, rules and options."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FLAGSHIP_PATH, MINIMAL_PATH, ROOT
from wargame.cli.app import app
from wargame.errors import UsageError
from wargame.scenario.loader import load
from wargame.view.handout import find_nation, render_handout


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_markdown_handout_holds_the_delegations_papers() -> None:
    code, out, err = invoke("brief", "defining-roles", "japan", "--format", "md")
    assert code == 0 and err == ""
    scenario = load(FLAGSHIP_PATH)
    japan = scenario.nation("japan")
    lines = out.splitlines()
    marking = f"**{scenario.model.marking}**"
    assert lines[0] == marking and lines[-1] == marking
    assert "# Delegation handout: Japan" in lines
    for heading in ("## The situation", "## Private brief: Japan only", "## Objectives", "## Your role",
                    "## Options", "## The tracks"):
        assert heading in lines
    flat = " ".join(out.split())
    assert " ".join(japan.private_brief.split()) in flat
    assert " ".join(japan.public_brief.split()) in flat
    assert "Expand the Yokota analysis cell" in out
    assert "Answers to Colby's request: define your role" in out
    assert "**Non-combat:** you may never take a combat role." in out


def test_only_its_own_private_brief() -> None:
    scenario = load(FLAGSHIP_PATH)
    _, out, _ = invoke("brief", "defining-roles", "australia", "--format", "md")
    flat = " ".join(out.split())
    for nation in scenario.nations:
        private = " ".join(nation.private_brief.split())
        assert (private in flat) == (nation.id == "australia"), nation.id
    assert "No pledges in advance" in out  # Australia decides in real time
    assert "Commit forces to the coalition" in out and "needs Parliament approval" in out


def test_objectives_are_the_delegations_own_then_the_interests_by_weight() -> None:
    scenario = load(FLAGSHIP_PATH)
    md = render_handout(scenario, scenario.nation("japan"))
    section = md.split("## Objectives", 1)[1].split("\n## ", 1)[0]
    items = [line for line in section.splitlines() if line[:1].isdigit()]
    assert items[0] == "1. **Keep the government's support at home**"
    assert items[1].startswith("2. **Not drawn into a war** — The Strait stays below the quarantine rung")
    assert ("*Achieved when Domestic support (Japan) at least 5 (Steady) at the end; partly when Domestic support "
            "(Japan) at least 3 (Uneasy).*") in section
    assert "What the computer player weighs for this nation, most important first" in section
    assert items[2] == "1. Raise Domestic support (Japan) (weight 1.6)"
    assert items[3] == "2. Keep Escalation low (weight 1.2)"
    assert len(items) == 2 + 8


def test_every_delegation_of_every_shipped_scenario_has_objectives() -> None:
    for path in sorted((ROOT / "scenarios").glob("*.toml")):
        scenario = load(path)
        for nation in scenario.nations:
            assert scenario.objectives_of(nation.id), (scenario.id, nation.id)
            assert "**" in render_handout(scenario, nation).split("## Objectives", 1)[1].split("\n## ", 1)[0]


def test_nation_found_by_id_or_name_in_any_case() -> None:
    scenario = load(FLAGSHIP_PATH)
    assert find_nation(scenario, "Japan").id == "japan"
    assert find_nation(scenario, "UNITED STATES").id == "us"
    with pytest.raises(UsageError, match="choose from us, japan, australia"):
        find_nation(scenario, "atlantis")


def test_unknown_nation_is_a_usage_error_listing_the_nations() -> None:
    code, out, err = invoke("brief", "defining-roles", "atlantis")
    assert code == 2 and out == ""
    assert "no nation 'atlantis'" in err
    for nation in ("us", "japan", "australia", "taiwan", "china", "philippines"):
        assert nation in err


def test_unknown_scenario_is_not_found() -> None:
    code, _, err = invoke("brief", "no-such-scenario", "japan")
    assert code == 3 and "no scenario" in err


def test_unknown_format_is_a_usage_error() -> None:
    code, _, err = invoke("brief", "defining-roles", "japan", "--format", "pdf")
    assert code == 2 and "'--format'" in err and "'pdf' is not one of 'text', 'md'" in err  # a fixed choice


def test_text_format_renders_for_the_terminal() -> None:
    code, out, _ = invoke("brief", "defining-roles", "taiwan")
    assert code == 0
    assert "Delegation handout: Taiwan" in out and "**" not in out and "##" not in out
    assert "Reaffirm the status quo" in out


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "japan.md"
    code, out, err = invoke("brief", "defining-roles", "japan", "-o", str(target))
    assert code == 0 and out == "" and str(target) in err
    assert target.read_text(encoding="utf-8") == invoke("brief", "defining-roles", "japan", "--format", "md")[1]
    code, _, err = invoke("brief", "defining-roles", "japan", "-o", str(tmp_path / "missing" / "japan.md"))
    assert code == 3 and "cannot write" in err


def test_a_scenario_by_path_and_a_nation_without_briefs(tmp_path: Path) -> None:
    code, out, _ = invoke("brief", str(MINIMAL_PATH), "green", "--format", "md")
    assert code == 0
    assert "This scenario gives no private brief." in out
    assert "# Delegation handout: Green" in out


def test_brief_help() -> None:
    code, out, _ = invoke("brief", "--help")
    assert code == 0 and "nation" in out.lower() and "--format" in out


def test_the_key_injects_of_each_shipped_scenario_expect_a_response_of_every_nation() -> None:
    for name in ("defining-roles", "pacific-pact"):
        scenario = load(ROOT / "scenarios" / f"{name}.toml")
        nations = {n.id for n in scenario.nations}
        full = [i.id for i in scenario.injects if {e.nation for e in i.expected} == nations]
        assert len(full) >= 5, (name, full)
        for outcome in scenario.outcomes:
            assert len(outcome.questions) >= 2, (name, outcome.id)
