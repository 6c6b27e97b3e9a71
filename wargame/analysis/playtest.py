"""A short bot sweep for `wargame lint --play N`: what actually happens in N games.

`play_stats` plays N bot games (seeds first_seed.. first_seed+N-1) through the game loop
(wargame.game: Game, bot seats, `play`), the same path `wargame play --auto` takes, and counts,
per game, which options were ever available and chosen, which injects fired, which outcome ended
it and how many turns each track spent pinned at a limit. `findings` turns the counts into lint
findings. It is kept apart from the static lint so that it can be pointed at the sweep machinery
(variants and personas) once that lands; the statistics it needs are only these counts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from wargame.engine.rules import available
from wargame.game import Game, Observer, bot_seats, play
from wargame.scenario.lint import Finding
from wargame.scenario.scenario import Scenario

PINNED_SHARE = 0.5  # a track at a limit for more than this share of all turns played is "pinned"


@dataclass
class PlayStats:
    """Counts over `games` bot games; each Counter counts games (turns for `pinned` and `turns`)."""

    games: int = 0
    turns: int = 0
    available: Counter[str] = field(default_factory=Counter)  # option id -> games it was ever open
    chosen: Counter[str] = field(default_factory=Counter)  # option id -> games it was chosen
    injects: Counter[str] = field(default_factory=Counter)  # inject id -> games it fired
    outcomes: Counter[str] = field(default_factory=Counter)  # outcome id ("" for none) -> games
    pinned: dict[str, Counter[str]] = field(default_factory=dict)  # track -> {"min"/"max": turns}

    def to_dict(self) -> dict[str, object]:
        return {"games": self.games, "turns": self.turns, "available": dict(self.available),
                "chosen": dict(self.chosen), "injects": dict(self.injects),
                "outcomes": {k or "none": v for k, v in self.outcomes.items()},
                "pinned": {k: dict(v) for k, v in self.pinned.items() if v}}


class _Counting(Observer):
    """Watches one game: the options open to each nation as it decides, the choices made, and
    the turns each track ends at a limit."""

    def __init__(self, stats: PlayStats) -> None:
        self.stats = stats
        self.open: set[str] = set()
        self.chosen: set[str] = set()

    def deciding(self, game: Game) -> None:
        for nation in game.scenario.nations:
            self.open.update(o.id for o in available(game.scenario, game.state, nation.id))

    def turn_done(self, game: Game) -> None:
        turn = game.turn
        self.chosen.update(str(e.data["option"]) for e in game.history
                           if e.kind == "decision" and e.turn == turn and "option" in e.data)
        for track in game.scenario.tracks:
            value = game.state.values[track.slot]
            if value <= track.lo:
                self.stats.pinned[track.name]["min"] += 1
            elif value >= track.hi:
                self.stats.pinned[track.name]["max"] += 1
        self.stats.turns += 1


def play_stats(scenario: Scenario, games: int, first_seed: int = 0) -> PlayStats:
    """Play `games` bot games with seeds first_seed.. and count what happened (see PlayStats)."""
    seats = bot_seats(scenario, explain=False)
    stats = PlayStats(pinned={t.name: Counter() for t in scenario.tracks})
    for seed in range(first_seed, first_seed + games):
        game = Game(scenario, seed)
        watch = _Counting(stats)
        state = play(game, seats, [watch])
        stats.games += 1
        stats.available.update(watch.open)
        stats.chosen.update(watch.chosen)
        stats.injects.update(state.fired_injects)
        stats.outcomes[state.outcome or ""] += 1
    return stats


def findings(scenario: Scenario, stats: PlayStats) -> list[Finding]:
    """What the games say, as lint findings. Bots play by their interests, so something a
    bot never does may still be a sound choice for a person: these are warnings for what no
    seat could do (never available, never fired, no outcome) and notes for the rest."""
    m = scenario.model
    out: list[Finding] = []
    n = stats.games
    defaults = {nation.default for nation in m.nations}
    for i, option in enumerate(m.options):
        if not stats.available[option.id]:
            out.append(Finding("warning", "play-option-never-available", ("options", i),
                               f"in {n} bot games option {option.id!r} was never available"))
        elif not stats.chosen[option.id] and option.id not in defaults:  # a default is for who does not choose
            out.append(Finding("info", "play-option-never-chosen", ("options", i),
                               f"in {n} bot games no bot chose option {option.id!r} "
                               f"(available in {stats.available[option.id]})"))
    for i, inject in enumerate(m.injects):
        if not stats.injects[inject.id]:
            out.append(Finding("warning", "play-inject-never-fired", ("injects", i),
                               f"in {n} bot games inject {inject.id!r} never fired"))
    for i, outcome in enumerate(m.outcomes):
        if not stats.outcomes[outcome.id]:
            out.append(Finding("info", "play-outcome-never-reached", ("outcomes", i),
                               f"in {n} bot games outcome {outcome.id!r} was never reached"))
    if stats.outcomes[""]:
        out.append(Finding("warning", "play-no-outcome", ("outcomes",),
                           f"{stats.outcomes['']} of {n} bot games ended with no outcome reached"))
    for track in scenario.tracks:
        for limit, turns in stats.pinned[track.name].items():
            if stats.turns and turns / stats.turns > PINNED_SHARE:
                where = ("tracks" if track.nation is None else "nation_tracks",
                         _track_index(scenario, track.name))
                value = track.lo if limit == "min" else track.hi
                out.append(Finding("warning", "play-track-pinned", where,
                                   f"track {track.name!r} sat at its {limit} ({value}) in "
                                   f"{turns / stats.turns:.0%} of {stats.turns} turns played: "
                                   "its range or its effects may need another look"))
    return out


def _track_index(scenario: Scenario, name: str) -> int:
    m = scenario.model
    track_id = name.split(".")[-1]
    group = m.tracks if "." not in name else m.nation_tracks
    return next((i for i, t in enumerate(group) if t.id == track_id), 0)
