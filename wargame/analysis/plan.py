"""What a sweep plays: arms (variants) x persona settings x seeds, in one fixed order.

The order never depends on how the games are run, so the results file is the same for any
number of jobs and any backend, and a sweep cut short can be completed by skipping the games
already in its file. Every arm and persona setting plays the same seeds (common random numbers),
so differences between arms are not differences of luck.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wargame.analysis.batch import BatchGames, Played
from wargame.engine.rng import derive
from wargame.errors import UsageError
from wargame.players.bot import resolve_personas
from wargame.scenario.loader import parse
from wargame.scenario.scenario import Scenario
from wargame.scenario.variants import apply_variants

BASE = "base"  # the arm of the scenario as written
CHUNK = 200  # games a worker plays per task: large enough to amortise the hand-off


def game_seed(base_seed: int, i: int) -> int:
    """The seed of the i-th game of a sweep seeded with `base_seed` (0 <= seed < 2**31), the
    number `wargame play --seed` takes to replay that game."""
    return derive(base_seed, i) >> 33


@dataclass(frozen=True)
class Arm:
    """One configuration: variants applied in order, and nation -> persona for the bots."""

    variants: tuple[str, ...]
    personas: tuple[tuple[str, str], ...]

    @property
    def variant(self) -> str:
        """The arm's variant label: `base`, one id, or ids joined by `+`."""
        return "+".join(self.variants) or BASE

    @property
    def persona_label(self) -> str:
        return ", ".join(f"{n}={p}" for n, p in self.personas) or "default bots"

    @property
    def label(self) -> str:
        return self.variant if not self.personas else f"{self.variant} [{self.persona_label}]"


@dataclass(frozen=True)
class Task:
    """A run of games of one arm: what a worker needs, all of it small and picklable."""

    scenario: bytes  # the scenario file's bytes: a worker on another machine needs no copy
    shown: str  # how the file is named in messages
    arm: Arm
    seeds: tuple[int, ...]


def arms(scenario: Scenario, variants: Sequence[str], personas: Sequence[str]) -> list[Arm]:
    """The arms of a sweep, in order. `variants`: ids, `a+b` for several at once, `base` for
    the scenario as written, `all` for base and then every variant alone (none given: base).
    `personas`: NATION=NAME, NATION=A,B or NATION=all (every persona of it and `default`);
    several settings of one nation, or of several nations, make a grid."""
    known = [v.id for v in scenario.model.variants]
    labels: list[str] = []
    for given in variants or [BASE]:
        for label in ([BASE, *known] if given == "all" else [given]):
            if label not in labels:
                labels.append(label)
    out_variants: list[tuple[str, ...]] = []
    for label in labels:
        ids = () if label == BASE else tuple(label.split("+"))
        apply_variants(scenario, ids)  # raises a UsageError naming the known variants
        out_variants.append(ids)
    grid: dict[str, list[str]] = {}
    for item in personas:
        nation, sep, names = item.partition("=")
        if not sep or not nation or not names:
            raise UsageError(f"--persona {item}: write NATION=NAME, NATION=A,B or NATION=all")
        if nation not in scenario.nation_index:
            raise UsageError(f"--persona {item}: no such nation; choose from "
                             f"{', '.join(n.id for n in scenario.nations)}")
        offered = list(scenario.personas.get(nation, {}))
        chosen = ["default", *offered] if names == "all" else names.split(",")
        for name in chosen:
            if name != "default":
                resolve_personas(scenario, {nation: name})
            if name not in grid.setdefault(nation, []):
                grid[nation].append(name)
    settings = [tuple((n, p) for n, p in zip(grid, combo, strict=True) if p != "default")
                for combo in itertools.product(*grid.values())]
    return [Arm(v, p) for v in out_variants for p in settings]


def tasks(data: bytes, shown: str, plan: Sequence[Arm], games: int, seed: int, skip: int = 0) -> Iterator[Task]:
    """The sweep's tasks in order, leaving out its first `skip` games (already in the file)."""
    seeds = [game_seed(seed, i) for i in range(games)]
    done = 0
    for arm in plan:
        for start in range(0, games, CHUNK):
            chunk = seeds[start:start + CHUNK]
            if done + len(chunk) <= skip:
                done += len(chunk)
                continue
            cut = max(0, skip - done)
            done += len(chunk)
            yield Task(data, shown, arm, tuple(chunk[cut:]))


_GAMES: dict[tuple[str, str, Arm], BatchGames] = {}
_PARSED: dict[tuple[str, str], Scenario] = {}  # the last scenario parsed: every arm of a sweep shares it


def run_task(task: Task) -> list[str]:
    """Play a task's games: one results line (JSON, no newline) per game, in seed order.
    Pure: the same task gives the same lines in any process on any machine."""
    key = (task.shown, hashlib.sha256(task.scenario).hexdigest(), task.arm)
    games = _GAMES.get(key)
    if games is None:
        if len(_GAMES) >= 4:  # tasks come arm after arm: a worker needs only the last few
            _GAMES.pop(next(iter(_GAMES)))
        parsed = _PARSED.get(key[:2])
        if parsed is None:
            _PARSED.clear()
            parsed = _PARSED[key[:2]] = parse(task.scenario, task.shown)
        scenario = apply_variants(parsed, task.arm.variants)
        games = _GAMES[key] = BatchGames(scenario, dict(task.arm.personas))
    return [json.dumps(row(games.scenario, task.arm, games.play(seed)), separators=(",", ":"))
            for seed in task.seeds]


def row(scenario: Scenario, arm: Arm, played: Played) -> dict[str, Any]:
    """One game as a results row (docs/analysis.md, "The results file")."""
    values = played.values
    nations = [n.id for n in scenario.nations]
    return {
        "seed": played.seed,
        "variant": arm.variant,
        "personas": dict(arm.personas),
        "outcome": played.outcome,
        "turns": played.turns,
        "tracks": {t.name: int(values[t.slot]) for t in scenario.tracks},
        "flags": sorted(f.id for f in scenario.model.flags if values[scenario.names[f.id].index]),
        "decisions": {n: [turn[i] for turn in played.decisions] for i, n in enumerate(nations)},
        "approvals": [list(a) for a in played.approvals],
    }


def row_problem(scenario: Scenario, found: Mapping[str, Any]) -> str | None:
    """What makes `found` not a results row of `scenario` (as `row` writes it), or None: rows
    name no scenario, so --resume checks each one against the scenario's nations, options,
    tracks and outcomes before counting it."""
    nations = [n.id for n in scenario.nations]
    decisions = found.get("decisions")
    if not isinstance(decisions, dict) or list(decisions) != nations:
        return f"decisions: not a game of {scenario.id} (its nations: {', '.join(nations)})"
    for nation, chosen in decisions.items():
        if not isinstance(chosen, list) or any(
                not isinstance(o, str) or scenario.options.get(o) is None or scenario.options[o].nation != nation
                for o in chosen):
            return f"decisions: {nation}'s are not a game of {scenario.id}"
    outcome = found.get("outcome")
    if outcome is not None and outcome not in {o.id for o in scenario.outcomes}:
        return f"outcome: {outcome!r} is not an outcome of {scenario.id}"
    turns = found.get("turns")
    if not isinstance(turns, int) or isinstance(turns, bool) or turns < 0:
        return f"turns: {turns!r} is not a number of turns"
    tracks = found.get("tracks")
    if not isinstance(tracks, dict) or sorted(tracks) != sorted(t.name for t in scenario.tracks):
        return f"tracks: not the tracks of {scenario.id}"
    if not isinstance(found.get("flags"), list):
        return "flags: not a list"
    approvals = found.get("approvals")
    if not isinstance(approvals, list) or any(not isinstance(a, list) or len(a) != 3 for a in approvals):
        return "approvals: not a list of [turn, option, passed]"
    return None


def replay_command(scenario_id: str, result: Mapping[str, Any]) -> str:
    """The `wargame play` command that plays a results row as a full game."""
    parts = ["wargame", "play", scenario_id, "--auto", "--seed", str(result["seed"])]
    if result["variant"] != BASE:
        for vid in str(result["variant"]).split("+"):
            parts += ["--variant", vid]
    for nation, persona in dict(result.get("personas", {})).items():
        parts += ["--persona", f"{nation}={persona}"]
    return " ".join(parts)
