"""`wargame report`: the after-action report of a record, as Markdown (golden) and as one
self-contained HTML file; its facts (timeline, series, turning points, expected vs actual); the
command's exit statuses; and the scenario format's `expected` responses."""

from __future__ import annotations

import contextlib
import dataclasses
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import FLAGSHIP_PATH, MINIMAL_PATH, only_problem, replace_once, write
from tests.report_golden import GOLDEN_REPORT, golden_report, normalise, play_golden_game
from wargame.cli.app import app
from wargame.engine.events import Event
from wargame.record.reader import read_record
from wargame.record.verify import scenario_for, timeline
from wargame.scenario.loader import load
from wargame.view.report_data import ReportData, Series, build_report
from wargame.view.report_html import render_html
from wargame.view.report_md import esc, render_md

FORBIDDEN_IN_HTML = ("http", "src=", "<script", "@import", "url(")


@pytest.fixture(scope="module")
def game(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The golden game's log: defining-roles, every seat the bot, seed 7."""
    return play_golden_game(tmp_path_factory.mktemp("game"))


@pytest.fixture(scope="module")
def data(game: Path) -> ReportData:
    record = read_record(game)
    scenario = scenario_for(record)
    return build_report(scenario, record, timeline(scenario, record))


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


# ------------------------------------------------------------------ the golden report


def test_markdown_report_matches_the_golden_file(tmp_path: Path) -> None:
    expected = GOLDEN_REPORT.read_text(encoding="utf-8").splitlines()
    actual = golden_report(tmp_path).splitlines()
    for number, (want, got) in enumerate(zip(expected, actual, strict=False), start=1):
        assert got == want, (
            f"line {number} of {GOLDEN_REPORT.name} differs; if the change is intended, run "
            f"`python tests/report_golden.py` and review the diff\nexpected: {want}\nactual:   {got}")
    assert len(actual) == len(expected), "the report is longer or shorter than the golden one"


def test_only_the_started_line_is_normalised() -> None:
    text = "- **Seed:** 7\n- **Started:** 2031-01-01T00:00:00+00:00\n- **Engine:** wargame 9"
    assert normalise(text) == "- **Seed:** 7\n- **Started:** (normalised)\n- **Engine:** wargame 9"


# ------------------------------------------------------------------ what the report says


def test_markdown_has_every_section_and_the_marking_at_top_and_bottom(data: ReportData) -> None:
    md = render_md(data)
    lines = md.splitlines()
    marking = f"**{esc(data.marking)}**"
    assert lines[0] == marking and lines[-1] == marking
    for heading in ("## Overview", "## Timeline", "## Tracks", "## Turning points",
                    "## Expected versus actual", "## How to reproduce"):
        assert heading in lines
    for turn in data.turns:
        assert f"### {turn.label}" in lines
    assert f"- **Seed:** {data.seed}" in lines
    assert data.scenario_sha256 in md
    assert "wargame replay" in md and "--verify" in md


def test_overview_names_scenario_seats_seed_hash_and_outcome(data: ReportData, game: Path) -> None:
    header = read_record(game).header
    assert data.scenario_id == "defining-roles" and data.seed == 7
    assert data.scenario_sha256 == header["scenario_sha256"] == load(FLAGSHIP_PATH).sha256
    assert data.engine == header["engine"] and data.started == header["started"]
    assert {s.nation: s.seat for s in data.seats} == header["seats"]
    record = read_record(game)
    end = record.outcome()
    assert end is not None and data.finished and data.outcome_id == end.data["outcome"]
    assert data.outcome_title == end.data["title"]
    assert data.turns_played == len(data.turns) == len(record.turns)


def test_timeline_carries_decisions_with_their_rationale(data: ReportData, game: Path) -> None:
    record = read_record(game)
    for turn, facts in zip(record.turns, data.turns, strict=True):
        recorded = [e for e in turn.events if e.kind == "decision"]
        assert [(d.nation, d.option, d.note) for d in facts.decisions] == [
            (e.data["nation"], e.data["option"], e.data.get("note", "")) for e in recorded]
    first = data.turns[0]
    assert [i.id for i in first.injects] == ["talisman_sabre"]
    us = next(d for d in first.decisions if d.nation == "us")
    assert us.option_name == "Ask partners to define their roles" and us.note.startswith("favours ")
    assert any(c.target == "deterrence" and c.delta == 1 for c in us.changes)


def test_every_recorded_effect_is_told_once(data: ReportData, game: Path) -> None:
    record = read_record(game)
    for turn, facts in zip(record.turns, data.turns, strict=True):
        told = [c for i in facts.injects for c in i.changes] + [c for d in facts.decisions for c in d.changes]
        told += list(facts.changes) + [c for r in facts.remarks for c in r.changes]
        told += [c for m in facts.messages for c in m.changes]
        assert len(told) == sum(e.kind == "effect" for e in turn.events)


def test_series_start_before_the_first_turn_and_follow_the_states(data: ReportData, game: Path) -> None:
    record = read_record(game)
    scenario = scenario_for(record)
    turns = timeline(scenario, record)
    escalation = next(s for s in data.series if s.name == "escalation")
    assert escalation.values[0] == 2  # the scenario's start
    assert escalation.values[1:] == tuple(t.state.values[scenario.names["escalation"].index] for t in turns)
    assert len(data.series) == len(scenario.tracks)
    assert all(len(s.values) == len(turns) + 1 for s in data.series)


def test_sparklines_are_scaled_to_the_track_range() -> None:
    series = Series("x", "X", None, 0, 7, "better", False, (), (0, 7, 1, 3.5, 6))
    assert series.sparkline() == "▁█▂▅▇"
    flat = Series("y", "Y", None, 0, 10, "better", False, (), (10, 10))
    assert flat.sparkline() == "██"


def test_turning_points_are_the_largest_moves_with_their_reasons(data: ReportData) -> None:
    points = data.turning_points
    assert 0 < len(points) <= 5
    sizes = [abs(p.delta) for p in points]
    assert sizes == sorted(sizes, reverse=True)
    series = {s.name: s for s in data.series}
    for p in points:
        assert p.track in series and series[p.track].nation is None
        assert p.after - p.before == p.delta  # no clamping in this game's largest moves
        assert sum(d for d, _ in p.reasons) == p.delta
        assert all(reason for _, reason in p.reasons)
    # no move left out is larger than the smallest shown
    shown = {(p.turn, p.track) for p in points}
    for s in series.values():
        if s.nation is None:
            for turn, (before, after) in enumerate(zip(s.values, s.values[1:], strict=False), start=1):
                if (turn, s.name) not in shown:
                    assert abs(after - before) <= min(sizes)


def test_expected_versus_actual(data: ReportData) -> None:
    checks = {(c.inject, c.nation): c for c in data.expected}
    talisman = checks[("TALISMAN SABRE under way", "australia")]
    assert talisman.nation == "australia" and talisman.verdict == "as expected"
    assert talisman.actual() == "as expected: Open the just-in-case stockpiles (Week 1)"
    assert {n for (inject, n) in checks if inject == "TALISMAN SABRE under way"} == {
        "us", "japan", "australia", "taiwan", "china", "philippines"}
    off_guard = checks[("The request catches allies off guard", "japan")]
    assert off_guard.nation == "japan" and off_guard.window == ("Week 3", "Week 4")
    assert off_guard.actual() == "as expected: Define a role privately: Humanitarian support (Week 3)"
    # the Aspen roll failed, and the game ended by the channel before any quarantine
    assert data.expected_unfired == ("Aspen Strategy Group meets", "Beijing declares a quarantine")


def test_the_negotiation_phase_is_in_the_report(data: ReportData) -> None:
    first = data.turns[0].messages
    assert [m.nation_name for m in first] == ["Japan", "Australia", "China"]
    assert all(m.kind == "signal" for m in first)
    assert first[0].text.startswith("Japan signals publicly: Say Japan acts only within its non-combat limits")
    assert "Domestic support (Japan) +1 → 6" in [c.describe() for c in first[0].changes]
    assert "**Negotiation**" in render_md(data) and "<h4>Negotiation</h4>" in render_html(data)


def test_unfinished_game_and_no_turns(tmp_path: Path) -> None:
    scenario = load(MINIMAL_PATH)
    record_path = _play(tmp_path, MINIMAL_PATH, seed=1)
    record = read_record(record_path)
    cut = dataclasses.replace(record, turns=record.turns[:1])
    facts = build_report(scenario, cut, timeline(scenario, record)[:1])
    assert not facts.finished and facts.outcome_title == "Unfinished"
    assert "Day 1" in facts.outcome_text
    empty = build_report(scenario, dataclasses.replace(record, turns=()), [])
    assert empty.turns == () and all(len(s.values) == 1 for s in empty.series)
    assert "No turn was played." in render_md(empty) and "No turn was played." in render_html(empty)


def test_facilitator_actions_comments_and_unknown_events_are_shown(data: ReportData, game: Path) -> None:
    record = read_record(game)
    scenario = scenario_for(record)
    turns = timeline(scenario, record)
    extra = (
        Event("facilitator", 1, "Facilitator adjusts cohesion += 1 — the summit went well",
              {"action": "adjust", "effects": ["cohesion += 1"], "reason": "the summit went well"}),
        Event("effect", 1, "cohesion +1: facilitator: the summit went well",
              {"target": "cohesion", "before": 4, "after": 5, "reason": "facilitator: the summit went well",
               "facilitator": "adjust"}),
        Event("comment", 1, "Japan: we waited for Washington", {"text": "We waited for Washington", "by": "japan"}),
        Event("weather", 1, "A typhoon closes the Strait for a day", {}),
    )
    first = dataclasses.replace(turns[0], events=turns[0].events[:-1] + extra + turns[0].events[-1:])
    facts = build_report(scenario, record, [first, *turns[1:]])
    remarks = facts.turns[0].remarks
    assert [r.kind for r in remarks] == ["facilitator", "comment", "weather"]
    assert remarks[0].changes[0].describe() == "Coalition cohesion +1 → 5"
    assert remarks[1].heading == "Comment (Japan)" and remarks[1].text == "We waited for Washington"
    md = render_md(facts)
    assert "**Facilitator and comments**" in md
    # the record's line names the track in words, as the board does (the record keeps its own text)
    assert ("Facilitator adjusts Coalition cohesion +1 — the summit went well. *Effects:* Coalition cohesion +1 → 5."
            in md)
    assert "cohesion += 1" not in md
    assert "- **Comment (Japan):** We waited for Washington" in md
    assert "- **Weather:** A typhoon closes the Strait for a day" in md
    page = render_html(facts)
    assert "We waited for Washington" in page and "A typhoon closes the Strait for a day" in page
    assert "Facilitator adjusts Coalition cohesion +1" in page and "cohesion += 1" not in page


# ------------------------------------------------------------------ the HTML is self-contained


def test_html_is_one_self_contained_file(data: ReportData) -> None:
    page = render_html(data)
    assert page.startswith("<!DOCTYPE html>")
    lowered = page.lower()
    for bad in FORBIDDEN_IN_HTML:
        assert bad not in lowered, bad
    assert "<style>" in page and "<link" not in lowered and "<img" not in lowered
    assert all(ref.startswith("#") for ref in re.findall(r'href="([^"]*)"', page))
    assert page.count(f'<div class="marking">{data.marking}</div>') == 2
    assert page.count("<svg") == len(data.series)
    for anchor in ("overview", "timeline", "tracks", "turning-points", "expected", "reproduce"):
        assert f'<section id="{anchor}">' in page
    for turn in data.turns:
        assert f'<section class="turn" id="turn-{turn.number}">' in page
    assert "@media print" in page


def test_html_charts_label_thresholds(data: ReportData) -> None:
    page = render_html(data)
    escalation = next(s for s in data.series if s.name == "escalation")
    for at, name in escalation.thresholds:
        assert f">{name} ({at})</text>" in page
    assert page.count('class="threshold"') == sum(len(s.thresholds) for s in data.series)


def test_scenario_and_record_text_is_escaped(tmp_path: Path) -> None:
    hostile = '<script>alert("x")</script> <img src=x> *bold* [link](y) | pipe'
    text = MINIMAL_PATH.read_text(encoding="utf-8")
    text = replace_once(text, 'title = "Minimal"', f"title = '{hostile}'")
    text = replace_once(text, 'name = "Blue"', f"name = '{hostile}'")
    path = write(tmp_path, text, "hostile.toml")
    log = _play(tmp_path, path, seed=3)
    code, page, _ = invoke("report", str(log), "--scenario", str(path), "--format", "html")
    assert code == 0
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    code, md, _ = invoke("report", str(log), "--scenario", str(path))
    assert code == 0
    assert not re.search(r"(?<!\\)<", md), "an unescaped < in the Markdown"
    assert r'\<script>alert("x")\</script>' in md
    assert r"\*bold\*" in md and r"\[link\](y)" in md and r"\| pipe" in md


# ------------------------------------------------------------------ the command


def test_markdown_goes_to_stdout(game: Path) -> None:
    code, out, err = invoke("report", str(game))
    assert code == 0
    assert out.startswith("**EXERCISE") and "## Timeline" in out
    assert err == ""


def test_output_file_and_formats(game: Path, tmp_path: Path) -> None:
    md_file, html_file = tmp_path / "aar.md", tmp_path / "aar.html"
    code, out, err = invoke("report", str(game), "-o", str(md_file))
    assert code == 0 and out == "" and str(md_file) in err
    assert md_file.read_text(encoding="utf-8") == invoke("report", str(game))[1]
    code, out, _ = invoke("report", str(game), "--format", "html", "--output", str(html_file))
    assert code == 0 and out == ""
    assert html_file.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    code, out, _ = invoke("report", str(game), "--format", "HTML")
    assert code == 0 and out.startswith("<!DOCTYPE html>")


def test_unknown_format_is_a_usage_error(game: Path) -> None:
    code, out, err = invoke("report", str(game), "--format", "pdf")
    assert code == 2 and out == ""
    assert "'--format'" in err and "'pdf' is not one of 'md', 'html'" in err  # a fixed choice


def test_missing_log_is_not_found(tmp_path: Path) -> None:
    code, out, err = invoke("report", str(tmp_path / "nope.jsonl"))
    assert code == 3 and out == ""
    assert "nope.jsonl: no such file" in err


def test_damaged_log_is_invalid(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("this is not a game log\n", encoding="utf-8")
    code, _, err = invoke("report", str(bad))
    assert code == 1 and "wargame: error:" in err


def test_unwritable_output_is_exit_3(game: Path, tmp_path: Path) -> None:
    code, out, err = invoke("report", str(game), "-o", str(tmp_path / "no" / "such" / "dir" / "aar.md"))
    assert code == 3 and out == "" and "cannot write" in err
    code, _, err = invoke("report", str(game), "-o", str(tmp_path))
    assert code == 3 and "is a directory" in err


def test_changed_scenario_needs_the_played_copy(tmp_path: Path) -> None:
    copy = tmp_path / "defining-roles.toml"
    shutil.copyfile(FLAGSHIP_PATH, copy)
    with copy.open("a", encoding="utf-8") as f:
        f.write("\n# a local copy, edited\n")
    log = _play(tmp_path, copy, seed=11)
    code, _, err = invoke("report", str(log))  # the shipped file is not the one played
    assert code == 1 and "has changed since this game was played" in err and "--scenario" in err
    code, out, _ = invoke("report", str(log), "--scenario", str(copy))
    assert code == 0 and load(copy).sha256 in out


def test_report_is_listed_in_help() -> None:
    code, out, _ = invoke("--help")
    assert code == 0 and "report" in out and "brief" in out
    code, out, _ = invoke("report", "--help")
    assert code == 0 and "--format" in out and "--scenario" in out


# ------------------------------------------------------------------ `expected` in the scenario format


def test_flagship_declares_expected_responses() -> None:
    scenario = load(FLAGSHIP_PATH)
    declared = {i.id: i.expected for i in scenario.injects if i.expected}
    assert {"talisman_sabre", "aspen_meeting", "allies_off_guard"} <= set(declared)
    for expectations in declared.values():
        for exp in expectations:
            assert all(scenario.options[o].nation == exp.nation for o in exp.options)


EXPECTED_BLOCK = '\n[[injects.expected]]\nnation = "{nation}"\noptions = [{options}]\nnote = "n"\n'


def _with_expected(tmp_path: Path, nation: str, options: str) -> Path:
    text = FLAGSHIP_PATH.read_text(encoding="utf-8")
    anchor = 'text = "US officials confirm equipment and supplies are being stored in Australia'
    start = text.index(anchor)
    end = text.index("\n\n", start)
    text = text[:end] + "\n" + EXPECTED_BLOCK.format(nation=nation, options=options) + text[end:]
    return write(tmp_path, text)


def test_expected_response_must_name_a_known_nation(tmp_path: Path) -> None:
    path = _with_expected(tmp_path, "atlantis", '"us.hold"')
    problem = only_problem(path)
    assert problem.key == "injects[2].expected[0].nation" and "unknown nation 'atlantis'" in problem.message
    assert problem.line is not None
    assert 'nation = "atlantis"' in path.read_text(encoding="utf-8").splitlines()[problem.line - 1]


def test_expected_response_must_name_options_of_that_nation(tmp_path: Path) -> None:
    problem = only_problem(_with_expected(tmp_path, "australia", '"australia.hold", "japan.hold"'))
    assert problem.key == "injects[2].expected[0].options[1]"
    assert "belongs to japan, not australia" in problem.message
    problem = only_problem(_with_expected(tmp_path, "australia", '"australia.teleport"'))
    assert "unknown option 'australia.teleport'" in problem.message


def test_expected_response_needs_an_option(tmp_path: Path) -> None:
    problem = only_problem(_with_expected(tmp_path, "australia", ""))
    assert "expected" in problem.key


# ------------------------------------------------------------------ helpers


def _play(folder: Path, scenario: Path, seed: int) -> Path:
    log = folder / f"{scenario.stem}-{seed}.jsonl"
    with contextlib.chdir(folder):
        result = CliRunner().invoke(app, ["play", str(scenario), "--auto", "--seed", str(seed), "--log", str(log)])
    assert result.exit_code == 0, result.output
    return log


def test_a_facilitated_game_reports_the_white_cell(tmp_path: Path) -> None:
    """A real record with facilitator actions (an adjustment, a proposal, a fired inject, an
    ending): the report tells each, with its results, and does not claim --auto repeats it."""
    from wargame.game import Game
    from wargame.players.bot import Bot
    from wargame.record.log import LogWriter, header

    scenario = load(FLAGSHIP_PATH)
    run, bot = Game(scenario, 7), Bot(scenario)
    events = run.facilitate({"action": "comment", "note": "Delegations read their briefs."})
    events += run.facilitate({"action": "adjust", "effects": ["cohesion += 2"], "reason": "stockpiles land"})
    events += run.facilitate({"action": "adjudicate", "nation": "japan", "proposal": "A quiet hotline",
                              "chance": 0.5, "on_success": ["channel += 1"], "on_failure": ["cohesion -= 1"]})
    events += run.begin_turn()
    events += run.adjudicate(bot.decide_all(run.state))
    events += run.facilitate({"action": "inject", "inject": "kirby_no_asian_nato", "reason": "early"})
    events += run.begin_turn()
    events += run.adjudicate(bot.decide_all(run.state))
    events += run.facilitate({"action": "end", "title": "Called by the White cell", "detail": "Time is up."})
    log = tmp_path / "white-cell.jsonl"
    writer = LogWriter.create(log, header(scenario, 7, {n.id: "bot" for n in scenario.nations}))
    writer.write(events)
    writer.close()

    record = read_record(log)
    facts = build_report(scenario, record, timeline(scenario, record))
    assert facts.facilitated and not facts.repeatable_by_auto
    assert facts.outcome_title == "Called by the White cell" and facts.outcome_text == "Time is up."
    first, second = facts.turns
    assert [r.kind for r in first.remarks] == ["facilitator"] * 3
    adjust, proposal = first.remarks[1], first.remarks[2]
    assert "stockpiles land" in adjust.text and adjust.changes[0].target == "cohesion"
    assert "A quiet hotline" in proposal.text and len(proposal.results) == 1
    assert any(i.id == "kirby_no_asian_nato" and i.by == "facilitator" for i in second.injects)
    code, md, _ = invoke("report", str(log))
    assert code == 0
    assert "(fired by the facilitator)" in md and "Facilitator's comment: Delegations read their briefs." in md
    assert "--auto --seed" not in md
