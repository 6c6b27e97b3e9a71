"""The author's kit: the schema (jsonschema and taplo), `wargame new`, the generated reference
tables, the tutorial followed step by step, and `wargame docs`."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sysconfig
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from wargame.analysis.playtest import play_stats
from wargame.cli.app import app
from wargame.scenario.lint import lint
from wargame.scenario.loader import load
from wargame.scenario.reference import MODELS, refresh, tables_in
from wargame.scenario.schema import DIRECTIVE, FILE_NAME, SHIPPED, scenario_schema, schema_text

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_FILES = sorted((ROOT / "scenarios").glob("*.toml")) + sorted((ROOT / "tests" / "fixtures").glob("*.toml")) \
    + [ROOT / "wargame" / "scenario" / "starter.toml"]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal.toml"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _validator() -> jsonschema.Draft7Validator:
    schema = scenario_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


# ---------------------------------------------------------------- the schema


def test_the_shipped_schema_file_is_what_the_models_generate() -> None:
    assert SHIPPED.read_text(encoding="utf-8") == schema_text(), \
        "regenerate it: python3 -m wargame schema -o wargame/scenario/wargame-scenario.schema.json"


def test_every_key_of_the_schema_has_a_description() -> None:
    schema = scenario_schema()
    tables = [schema, *schema["$defs"].values()]
    missing = [f"{table.get('title')}.{key}" for table in tables
               for key, spec in table.get("properties", {}).items() if not spec.get("description")]
    assert not missing, f"give these fields a description in models.py: {missing}"
    assert all(table.get("description") for table in tables)


def test_format_is_a_constant_and_colours_a_closed_set() -> None:
    schema = scenario_schema()
    assert schema["properties"]["format"]["const"] == 1
    colour = schema["$defs"]["Nation"]["properties"]["colour"]
    assert "blue" in colour["enum"] and "bright_red" in colour["enum"] and len(colour["enum"]) == 16
    assert "from" in schema["$defs"]["Request"]["properties"]  # the TOML key, not the Python name


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.name)
def test_every_shipped_scenario_and_fixture_matches_the_schema(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in _validator().iter_errors(data)]
    assert not errors


@pytest.mark.parametrize(("change", "complaint"), [
    (('name = "Blue"', 'name = "Blue"\nplayble = true'), "playble"),
    (('name = "Blue"', 'name = "Blue"\ncolour = "sky-blue"'), "sky-blue"),
    (("format = 1", "format = 2"), "1 was expected"),
    (('id = "minimal"', "id = 3"), "is not of type 'string'"),
])
def test_the_schema_refuses_what_the_loader_refuses(change: tuple[str, str], complaint: str) -> None:
    data = tomllib.loads(MINIMAL.read_text(encoding="utf-8").replace(*change, 1))
    messages = " ".join(e.message for e in _validator().iter_errors(data))
    assert complaint in messages


def _taplo() -> str:
    found = shutil.which("taplo") or shutil.which("taplo", path=sysconfig.get_path("scripts"))
    assert found, "the taplo checker is part of the test extra: pip install '.[test]'"
    return found


def test_taplo_reports_a_typo_through_the_schema_line(tmp_path: Path) -> None:
    """What an editor with Even Better TOML shows: taplo reads the #:schema line and the schema
    file beside the scenario, and names the misspelt key and its line."""
    (tmp_path / FILE_NAME).write_text(schema_text(), encoding="utf-8")
    good = DIRECTIVE + "\n" + MINIMAL.read_text(encoding="utf-8")
    (tmp_path / "good.toml").write_text(good, encoding="utf-8")
    typo = good.replace('name = "Blue"', 'name = "Blue"\nplayble = true')
    (tmp_path / "typo.toml").write_text(typo, encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "NO_COLOR": "1", "RUST_LOG": "error"}
    ok = subprocess.run([_taplo(), "check", "good.toml"], cwd=tmp_path, capture_output=True, text=True,
                        env=env, timeout=60)
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run([_taplo(), "check", "typo.toml"], cwd=tmp_path, capture_output=True, text=True,
                         env=env, timeout=60)
    assert bad.returncode != 0
    assert "'playble' was unexpected" in bad.stderr + bad.stdout
    line = good.splitlines().index('name = "Blue"') + 2
    assert f"typo.toml:{line}:" in bad.stderr + bad.stdout


def test_schema_command_prints_the_schema(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == scenario_schema()
    out = tmp_path / "s.json"
    assert runner.invoke(app, ["schema", "-o", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8") == schema_text()


# ---------------------------------------------------------------- wargame new


def test_new_writes_a_starter_that_validates_lints_clean_and_plays(runner: CliRunner, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "my-crisis"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "scenarios" / "my-crisis.toml"
    assert result.stdout.strip() == str(Path("scenarios") / "my-crisis.toml")
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == DIRECTIVE
    assert (tmp_path / "scenarios" / FILE_NAME).read_text(encoding="utf-8") == schema_text()
    scenario = load(path)
    assert scenario.id == "my-crisis" and scenario.title == "My Crisis"
    assert not [f for f in lint(scenario) if f.severity == "warning"]
    stats = play_stats(scenario, 20)
    assert stats.games == 20 and not stats.outcomes[""]  # every game ends with an outcome
    assert text.count("\n#") >= 10  # commented for a new author
    played = runner.invoke(app, ["play", "my-crisis", "--auto", "--seed", "1"])  # found by id in ./scenarios
    assert played.exit_code == 0 and "Game over" in played.stdout


def test_new_refuses_to_overwrite_without_force(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "mine.toml"
    target.write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, ["new", "mine", "-o", str(target)])
    assert result.exit_code == 2
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep me"
    assert runner.invoke(app, ["new", "mine", "-o", str(target), "--force"]).exit_code == 0
    assert load(target).id == "mine"


def test_new_from_copies_a_shipped_scenario_under_the_new_id(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "copy.toml"
    result = runner.invoke(app, ["new", "my-strait", "--from", "strait-channel", "-o", str(target)])
    assert result.exit_code == 0, result.output
    copy, original = load(target), load(ROOT / "scenarios" / "strait-channel.toml")
    assert copy.id == "my-strait"
    assert copy.model.model_dump(exclude={"id"}) == original.model.model_dump(exclude={"id"})
    assert target.read_text(encoding="utf-8").startswith(DIRECTIVE + "\n")


@pytest.mark.parametrize("bad", ["My Crisis", "9lives", "x" * 65])
def test_new_refuses_a_bad_id(runner: CliRunner, tmp_path: Path, bad: str) -> None:
    result = runner.invoke(app, ["new", bad, "-o", str(tmp_path / "x.toml")])
    assert result.exit_code == 2
    assert "is not a scenario id" in result.stderr
    assert not (tmp_path / "x.toml").exists()


# ---------------------------------------------------------------- docs


def test_the_format_reference_tables_are_the_models() -> None:
    doc = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    assert refresh(doc) == doc, "regenerate: python3 -m wargame.scenario.reference docs/scenario-format.md"
    assert sorted(tables_in(doc)) == sorted(MODELS), "every table of the format has its key table in the docs"


def test_the_reference_says_what_is_required_and_the_defaults() -> None:
    doc = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    assert "| `marking` | str | **required** |" in doc
    assert "| `format` | int | **required** |" in doc
    assert "| `pledge_in_advance` | bool | default `true` |" in doc
    assert "| `colour` | colour name | default `\"white\"` |" in doc


def test_following_the_tutorial_gives_a_scenario_that_lints_clean_and_plays(runner: CliRunner, tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The tutorial's steps, as a new author takes them: `wargame new`, then each block it says
    to add to the end of the file."""
    tutorial = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")
    blocks = re.findall(r"<!-- append -->\n```toml\n(.*?)```", tutorial, re.S)
    assert len(blocks) >= 4
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(app, ["new", "my-crisis"])
    assert made.exit_code == 0
    shown = _console_blocks(tutorial)
    for line in (made.stdout + made.stderr).splitlines():  # what the tutorial shows is what new prints
        assert line in shown
    path = tmp_path / "scenarios" / "my-crisis.toml"
    text = path.read_text(encoding="utf-8")
    for block in blocks:
        text += "\n" + block
    path.write_text(text, encoding="utf-8")
    scenario = load(path)
    assert {n.id for n in scenario.nations} == {"blue", "red", "green"}
    result = runner.invoke(app, ["lint", str(path), "--play", "100"])
    assert result.exit_code == 0, result.output
    for line in result.stdout.splitlines():  # what the tutorial shows is what lint prints
        assert line.replace(str(path), "scenarios/my-crisis.toml") in shown


def _console_blocks(markdown: str) -> str:
    return "\n".join(re.findall(r"```(?:console|text)\n(.*?)```", markdown, re.S))


def test_docs_command_prints_where_the_docs_are(runner: CliRunner) -> None:
    result = runner.invoke(app, ["docs", "--json"])
    assert result.exit_code == 0
    where: dict[str, Any] = json.loads(result.stdout)
    assert {"scenario-format.md", "tutorial.md"} <= set(where["files"])
    assert (Path(where["path"]) / "tutorial.md").is_file()
    plain = runner.invoke(app, ["docs"])
    assert plain.stdout.splitlines()[0] == where["path"]


def test_docs_schema_and_starter_are_installed_with_the_package() -> None:
    """pyproject maps docs/ to the package wargame.docs and ships the schema and the starter."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "wargame.docs" in config["packages"] and config["package-dir"]["wargame.docs"] == "docs"
    assert config["package-data"]["wargame.docs"] == ["*.md"]
    assert {"*.toml", "*.json"} <= set(config["package-data"]["wargame.scenario"])
    assert (ROOT / "docs" / "tutorial.md").is_file() and SHIPPED.is_file()
    assert (ROOT / "wargame" / "scenario" / "starter.toml").is_file()
