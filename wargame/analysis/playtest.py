"""A short bot sweep for `wargame lint --play N`: what actually happens in N games per arm.

The arms are the sweep's (wargame.analysis.plan): the scenario as written and each of its
variants alone; under each, the default bots, then each persona of each nation in turn (the
other nations keep their default bots). One persona at a time, not the sweep's full grid: the
grid multiplies (six nations of three personas each is 4,096 settings), while one at a time
grows with the number of personas and still lets every persona of every nation choose under
every variant, which is what "no bot ever chose it" needs. Every arm plays the same N seeds
(`plan.game_seed`, as `wargame sweep` does, so `wargame play --seed` replays any of them)
through the sweep's batch path (wargame.analysis.batch, proven to play the same games as the
game loop), with a `Watch` that counts which options were ever open, which were chosen, which
injects fired, which outcome ended each game and how many turns each track ended at a limit.
`findings` turns the counts into lint findings: an option is dead only if no bot in no arm
chose it, an inject never fired only if it fired in no arm, an outcome never reached only if no
arm reached it; a track is pinned per arm.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from wargame.analysis.batch import BatchGames, Watch
from wargame.analysis.plan import Arm, arms, game_seed
from wargame.scenario.lint import Finding
from wargame.scenario.scenario import OptionInfo, Scenario, TrackInfo
from wargame.scenario.variants import apply_variants

PINNED_SHARE = 0.5  # a track at a limit for more than this share of an arm's turns is "pinned"


@dataclass
class ArmStats:
    """One arm's turns, and per track the turns it ended at its "min" or "max"."""

    label: str
    turns: int = 0
    pinned: dict[str, Counter[str]] = field(default_factory=dict)


@dataclass
class PlayStats:
    """Counts over `games` bot games (`per_arm` in each arm); each Counter counts games."""

    per_arm: int = 0
    games: int = 0
    available: Counter[str] = field(default_factory=Counter)  # option id -> games it was ever open
    chosen: Counter[str] = field(default_factory=Counter)  # option id -> games it was chosen
    injects: Counter[str] = field(default_factory=Counter)  # inject id -> games it fired
    outcomes: Counter[str] = field(default_factory=Counter)  # outcome id ("" for none) -> games
    arms: list[ArmStats] = field(default_factory=list)

    @property
    def turns(self) -> int:
        return sum(a.turns for a in self.arms)

    def to_dict(self) -> dict[str, object]:
        return {"games": self.games, "per_arm": self.per_arm, "turns": self.turns,
                "available": dict(self.available), "chosen": dict(self.chosen), "injects": dict(self.injects),
                "outcomes": {k or "none": v for k, v in self.outcomes.items()},
                "arms": [{"arm": a.label, "turns": a.turns,
                          "pinned": {k: dict(v) for k, v in a.pinned.items() if v}} for a in self.arms]}


def lint_arms(scenario: Scenario) -> list[Arm]:
    """The arms lint plays, in order: for the scenario as written and then each variant alone,
    the default bots and then each persona of each nation in turn (see the module's doc)."""
    variants = [arm.variants for arm in arms(scenario, ["all"], [])]
    settings: list[tuple[tuple[str, str], ...]] = [()]
    settings += [((nation, persona),) for nation, offered in scenario.personas.items() for persona in offered]
    return [Arm(v, s) for v in variants for s in settings]


class _Counting(Watch):
    """Watches an arm's games: the options open as nations decide, the turns tracks end at a limit."""

    def __init__(self, tracks: Sequence[TrackInfo], stats: ArmStats) -> None:
        self.tracks = tracks
        self.stats = stats
        self.open: set[str] = set()

    def opened(self, nation: str, options: Sequence[OptionInfo]) -> None:
        self.open.update(o.id for o in options)

    def turn_done(self, turn: int, values: Sequence[float]) -> None:
        for track in self.tracks:
            value = values[track.slot]
            if value <= track.lo:
                self.stats.pinned[track.name]["min"] += 1
            elif value >= track.hi:
                self.stats.pinned[track.name]["max"] += 1
        self.stats.turns += 1


def play_stats(scenario: Scenario, games: int, seed: int = 0) -> PlayStats:
    """Play `games` bot games in every arm of `lint_arms` (the same seeds, derived from `seed`
    as a sweep derives them) and count what happened (see PlayStats)."""
    seeds = [game_seed(seed, i) for i in range(games)]
    stats = PlayStats(per_arm=games)
    for arm in lint_arms(scenario):
        played_with = apply_variants(scenario, arm.variants)
        batch = BatchGames(played_with, dict(arm.personas))
        arm_stats = ArmStats(arm.label, pinned={t.name: Counter() for t in played_with.tracks})
        watch = _Counting(played_with.tracks, arm_stats)
        for game_seed_ in seeds:
            watch.open = set()
            played = batch.play(game_seed_, watch)
            stats.games += 1
            stats.available.update(watch.open)
            stats.chosen.update({option for turn in played.decisions for option in turn})
            stats.injects.update(played.fired_injects)
            stats.outcomes[played.outcome or ""] += 1
        stats.arms.append(arm_stats)
    return stats


def findings(scenario: Scenario, stats: PlayStats) -> list[Finding]:
    """What the games say, as lint findings. Bots play by their interests, so something no
    bot does may still be a sound choice for a person: these are warnings for what no seat
    could do (never available, never fired, no outcome, a track pinned) and notes for the rest."""
    m = scenario.model
    out: list[Finding] = []
    n = _games(stats)
    defaults = {nation.default for nation in m.nations}
    options = [(("options", i), o.id) for i, o in enumerate(m.options)]
    options += [(("variants", k, "options", j), o.id)
                for k, v in enumerate(m.variants) for j, o in enumerate(v.options)]
    for where, option_id in options:
        if not stats.available[option_id]:
            out.append(Finding("warning", "play-option-never-available", where,
                               f"in {n} option {option_id!r} was never available"))
        elif not stats.chosen[option_id] and option_id not in defaults:  # a default is for who does not choose
            out.append(Finding("info", "play-option-never-chosen", where,
                               f"in {n} no bot chose option {option_id!r} "
                               f"(available in {stats.available[option_id]})"))
    injects = [(("injects", i), x.id) for i, x in enumerate(m.injects)]
    injects += [(("variants", k, "injects", j), x.id)
                for k, v in enumerate(m.variants) for j, x in enumerate(v.injects)]
    for where, inject_id in injects:
        if not stats.injects[inject_id]:
            out.append(Finding("warning", "play-inject-never-fired", where, f"in {n} inject {inject_id!r} never fired"))
    for i, outcome in enumerate(m.outcomes):
        if not stats.outcomes[outcome.id]:
            out.append(Finding("info", "play-outcome-never-reached", ("outcomes", i),
                               f"in {n} outcome {outcome.id!r} was never reached"))
    if stats.outcomes[""]:
        out.append(Finding("warning", "play-no-outcome", ("outcomes",),
                           f"{stats.outcomes['']} of {stats.games} bot games ended with no outcome reached"))
    out += _pinned(scenario, stats)
    return out


def _games(stats: PlayStats) -> str:
    """How the findings name the games played: "100 bot games" or "8500 bot games (85 arms)"."""
    return f"{stats.games} bot games" + (f" ({len(stats.arms)} arms)" if len(stats.arms) > 1 else "")


def _pinned(scenario: Scenario, stats: PlayStats) -> list[Finding]:
    """A track at one limit for most of an arm's turns, in any arm: one finding per track and
    limit, naming the arm where it was worst and how many arms it was pinned in."""
    out: list[Finding] = []
    for track in scenario.tracks:
        for limit in ("min", "max"):
            shares = [(a.pinned[track.name][limit] / a.turns, a) for a in stats.arms
                      if a.turns and a.pinned[track.name][limit] / a.turns > PINNED_SHARE]
            if not shares:
                continue
            share, worst = max(shares, key=lambda s: s[0])
            where = ("tracks" if track.nation is None else "nation_tracks", _track_index(scenario, track.name))
            value = track.lo if limit == "min" else track.hi
            played = f"in {share:.0%} of {worst.turns} turns played"
            if len(stats.arms) > 1:
                played = f"most of the game in {len(shares)} of {len(stats.arms)} arms (worst {worst.label}: {played})"
            out.append(Finding("warning", "play-track-pinned", where,
                               f"track {track.name!r} sat at its {limit} ({value}) {played}: "
                               "its range or its effects may need another look"))
    return out


def _track_index(scenario: Scenario, name: str) -> int:
    m = scenario.model
    track_id = name.split(".")[-1]
    group = m.tracks if "." not in name else m.nation_tracks
    return next((i for i, t in enumerate(group) if t.id == track_id), 0)
