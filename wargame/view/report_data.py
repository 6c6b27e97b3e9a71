"""The facts of a played game, for the after-action report, gathered from the record and the
scenario it was played with: `build_report` returns the `ReportData` that the Markdown and the
HTML renderers (report_md, report_html) only lay out.

The timeline is the recorded events, grouped by what caused them (`report_turns`); the track
series are the states rebuilt turn by turn (turn 0 is the state before the first turn); turning
points are the largest single-turn moves of the global tracks (the sum of the recorded effects);
expected versus actual compares a fired inject's declared `expected` responses with what the
nation chose that turn and the next. The facts themselves (plain dataclasses) are in
`report_facts`.

No formatting and no rich here: text from the scenario and the record is kept as written, and
each renderer escapes it for its own format.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from wargame.engine.objectives import assess
from wargame.engine.state import State, initial_state
from wargame.record.reader import Record
from wargame.record.verify import PlayedTurn
from wargame.scenario.scenario import Scenario, TrackInfo
from wargame.view.report_facts import (
    DelegationFacts,
    ExpectedCheck,
    ReportData,
    Seat,
    Series,
    TurningPoint,
)
from wargame.view.report_turns import change_of, nation_name, option_name, turn_facts

TURNING_POINTS = 5


# ------------------------------------------------------------------ building them


def build_report(scenario: Scenario, record: Record, turns: Sequence[PlayedTurn]) -> ReportData:
    """The report's facts from a record, its scenario and the turns rebuilt from them
    (`wargame.record.verify.timeline`)."""
    header = record.header
    initial = initial_state(scenario, record.seed)
    states = [initial, *(t.state for t in turns)]
    series = tuple(_series(scenario, track, states) for track in scenario.tracks)
    facts = tuple(turn_facts(scenario, t, before) for t, before in zip(turns, states, strict=False))
    outcome = record.outcome()
    outcome_id = outcome.data.get("outcome") if outcome is not None else None
    info = next((o for o in scenario.outcomes if o.id == outcome_id), None)
    if outcome is None:
        title, text = "Unfinished", (f"The record ends after {turns[-1].label}; "
                                     "the game was not finished." if turns else "No turn was played.")
    elif info is not None:
        title, text = info.title, info.text
    else:  # the facilitator's ending, or an outcome the scenario no longer has
        title, text = str(outcome.data.get("title") or outcome.text), str(outcome.data.get("detail") or "")
    seats = tuple(Seat(n.id, n.name, str(record.seats.get(n.id, "—"))) for n in scenario.nations
                  if n.id in record.seats)
    parent = header.get("parent")
    parent_text = ""
    if isinstance(parent, dict):
        after = parent.get("turn")
        where = scenario.turn_label(after) if isinstance(after, int) and after > 0 else "the start"
        parent_text = f"branched from {parent.get('log', '?')} after {where}"
    checks, unfired = _expected(scenario, turns)
    return ReportData(
        log=record.path,
        marking=str(header.get("marking") or scenario.model.marking),
        scenario_id=scenario.id,
        title=str(header.get("title") or scenario.title),
        summary=scenario.model.summary,
        sources=tuple(s.title for s in scenario.model.sources),
        scenario_sha256=str(header.get("scenario_sha256") or scenario.sha256),
        seed=record.seed,
        variants=tuple((v.id, v.title) for vid in scenario.variants for v in scenario.model.variants if v.id == vid),
        personas=tuple(record.personas.items()),
        engine=str(header.get("engine", "?")),
        started=str(header.get("started", "?")),
        seats=seats,
        parent=parent_text,
        finished=record.finished,
        outcome_id=str(outcome_id) if outcome_id is not None else None,
        outcome_title=title,
        outcome_text=text,
        turns_played=len(turns),
        turns_total=scenario.turns,
        turns=facts,
        series=series,
        turning_points=turning_points(scenario, turns, states),
        expected=checks,
        expected_unfired=unfired,
        dropped=tuple(record.dropped),
        facilitated=any(e.kind == "facilitator" for t in turns for e in t.events),
        delegations=tuple(
            DelegationFacts(r.nation, nation_name(scenario, r.nation), r.verdict.value,
                            tuple((o.verdict.value, o.objective.name) for o in r.objectives))
            for r in assess(scenario, states[1:])),
        questions=info.questions if info is not None else (),
    )


def _series(scenario: Scenario, track: TrackInfo, states: Sequence[State]) -> Series:
    return Series(
        name=track.name, title=track.title,
        nation=nation_name(scenario, track.nation) if track.nation else None,
        lo=track.lo, hi=track.hi, higher_is=track.higher_is, ladder=track.ladder,
        thresholds=track.thresholds,
        values=tuple(float(s.values[track.slot]) for s in states),
    )


def turning_points(scenario: Scenario, turns: Sequence[PlayedTurn], states: Sequence[State],
                   limit: int = TURNING_POINTS) -> tuple[TurningPoint, ...]:
    """The largest single-turn moves of the global tracks: the sum of a turn's recorded effects
    on the track, largest first (the escalation ladder first among equals, then the earliest,
    then in the scenario's track order)."""
    order = {t.name: i for i, t in enumerate(scenario.tracks)}
    found: list[tuple[float, bool, int, int, TurningPoint]] = []
    for view, before in zip(turns, states, strict=False):
        for track in scenario.tracks:
            if track.nation is not None:
                continue
            reasons: dict[str, float] = {}
            total = 0.0
            for ev in view.events:
                if ev.kind != "effect" or ev.data.get("target") != track.name:
                    continue
                change = change_of(scenario, ev)
                if not change.delta:
                    continue
                total += change.delta
                reason = change.reason or ev.text
                reasons[reason] = reasons.get(reason, 0.0) + change.delta
            if not total:
                continue
            point = TurningPoint(
                turn=view.number, label=view.label, track=track.name, title=track.title,
                before=float(before.values[track.slot]), after=float(view.state.values[track.slot]),
                delta=total, higher_is=track.higher_is,
                reasons=tuple((d, r) for r, d in reasons.items() if d),
            )
            found.append((-abs(total), not track.ladder, view.number, order[track.name], point))
    found.sort(key=lambda row: row[:4])
    return tuple(row[4] for row in found[:limit])


def _expected(scenario: Scenario, turns: Sequence[PlayedTurn]) -> tuple[tuple[ExpectedCheck, ...], tuple[str, ...]]:
    """Each fired inject's expected responses against the nation's decisions in the turn it
    fired and the next; and the injects with expectations that never fired."""
    injects = {i.id: i for i in scenario.injects if i.expected}
    decided: dict[int, Mapping[str, str]] = {
        t.number: {str(e.data.get("nation")): str(e.data.get("option")) for e in t.events if e.kind == "decision"}
        for t in turns}
    labels = {t.number: t.label for t in turns}
    checks: list[ExpectedCheck] = []
    fired: set[str] = set()
    for view in turns:
        for ev in view.events:
            info = injects.get(str(ev.data.get("inject"))) if ev.kind == "inject" else None
            if info is None:
                continue
            fired.add(info.id)
            window = [n for n in (view.number, view.number + 1) if n in decided]
            for exp in info.expected:
                chosen = tuple((labels[n], option_name(scenario, decided[n][exp.nation]),
                                decided[n][exp.nation] in exp.options)
                               for n in window if exp.nation in decided[n])
                checks.append(ExpectedCheck(
                    turn=view.number, label=view.label, inject=info.title, nation=exp.nation,
                    nation_name=nation_name(scenario, exp.nation),
                    expected=tuple(option_name(scenario, o) for o in exp.options),
                    note=exp.note, chosen=chosen, window=tuple(labels[n] for n in window)))
    unfired = tuple(i.title for i in injects.values() if i.id not in fired)
    return tuple(checks), unfired
