"""From results rows to what a sweep reports, kept as running counts so memory stays flat.

Per arm: outcome shares with 95% Wilson intervals, game length, each nation's most and least
chosen options, how often the key decisions happen (a force commitment: an option of a role
category with `force = true`; an approval, e.g. Parliament's), differences from the first arm
(chi-square over the outcome mix, a two-proportion z test per outcome), and the levers: the
decisions whose taking goes with the largest shifts in an outcome's share.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from wargame.analysis.plan import Arm
from wargame.analysis.stats import chi_square, two_proportions, wilson
from wargame.scenario.scenario import Scenario

NO_OUTCOME = "none"
LEVER_MIN_GAMES = 30  # a lever needs this many games on each side (taken, not taken)
LEVER_ALPHA = 0.001  # and a two-sided p below this (many options x outcomes are tested)
LEVERS_SHOWN = 8


@dataclass
class Tally:
    """Running counts of one arm's games."""

    arm: Arm
    scenario: Scenario
    games: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    turns: Counter[int] = field(default_factory=Counter)
    choices: Counter[str] = field(default_factory=Counter)  # option id -> turns it was chosen
    taken: Counter[str] = field(default_factory=Counter)  # option id -> games it was chosen in
    taken_outcome: Counter[tuple[str, str]] = field(default_factory=Counter)  # (option, outcome) -> games
    force: Counter[str] = field(default_factory=Counter)  # nation -> games with a force commitment
    votes: Counter[tuple[str, bool]] = field(default_factory=Counter)  # (option, passed) -> votes
    approved: Counter[str] = field(default_factory=Counter)  # option -> games it was approved in

    def __post_init__(self) -> None:
        self._commits = force_options(self.scenario)

    def add(self, row: Mapping[str, Any]) -> None:
        outcome = row["outcome"] or NO_OUTCOME
        self.games += 1
        self.outcomes[outcome] += 1
        self.turns[int(row["turns"])] += 1
        commits = self._commits
        forced: set[str] = set()
        seen: set[str] = set()
        for nation, chosen in row["decisions"].items():
            self.choices.update(chosen)
            seen.update(chosen)
            if not commits.isdisjoint(chosen):
                forced.add(nation)
        self.force.update(forced)
        self.taken.update(seen)
        self.taken_outcome.update((option_id, outcome) for option_id in seen)
        passed_in: set[str] = set()
        for _, option_id, passed in row["approvals"]:
            self.votes[(option_id, bool(passed))] += 1
            if passed:
                passed_in.add(option_id)
        self.approved.update(passed_in)


def force_options(scenario: Scenario) -> frozenset[str]:
    """The options that commit forces: of a role category with `force = true` (an answer to a
    request only defines a role, it commits nothing)."""
    categories = scenario.model.categories
    return frozenset(o.id for o in scenario.options.values()
                     if o.answer is None and o.category in categories and categories[o.category].force)


def _share(k: int, n: int) -> dict[str, Any]:
    lo, hi = wilson(k, n)
    return {"games": k, "share": k / n if n else 0.0, "ci95": [lo, hi]}


def summarise(tallies: Sequence[Tally]) -> dict[str, Any]:
    """Everything the sweep reports, as plain data (what --json prints and the views show)."""
    if not tallies:
        return {"arms": [], "comparisons": []}
    outcome_ids = [o.id for o in tallies[0].scenario.outcomes]
    extra = sorted({o for t in tallies for o in t.outcomes} - set(outcome_ids))
    outcome_ids += extra
    titles = {o.id: o.title for o in tallies[0].scenario.outcomes} | {NO_OUTCOME: "No outcome reached"}
    arms = [_arm(t, outcome_ids, titles) for t in tallies]
    base = tallies[0]
    comparisons = []
    for t in tallies[1:]:
        statistic, df, p = chi_square([[base.outcomes[o] for o in outcome_ids], [t.outcomes[o] for o in outcome_ids]])
        per_outcome = []
        for o in outcome_ids:
            z, p_o = two_proportions(t.outcomes[o], t.games, base.outcomes[o], base.games)
            diff = (t.outcomes[o] / t.games if t.games else 0) - (base.outcomes[o] / base.games if base.games else 0)
            per_outcome.append({"outcome": o, "title": titles.get(o, o), "difference": diff, "z": z, "p": p_o})
        comparisons.append({"arm": t.arm.label, "against": base.arm.label, "chi_square": statistic, "df": df,
                            "p": p, "outcomes": per_outcome})
    return {"outcomes": [{"id": o, "title": titles.get(o, o)} for o in outcome_ids], "arms": arms,
            "comparisons": comparisons}


def _arm(t: Tally, outcome_ids: Sequence[str], titles: Mapping[str, str]) -> dict[str, Any]:
    s = t.scenario
    n = t.games
    lengths = sorted(t.turns.elements())
    mean = sum(lengths) / n if n else 0.0
    nations = []
    for nation in s.nations:
        menu = s.options_by_nation[nation.id]
        total = sum(t.choices[o.id] for o in menu) or 1
        ranked = sorted(menu, key=lambda o: (-t.choices[o.id], o.id))
        def entry(o: Any, total: int = total) -> dict[str, Any]:
            return {"option": o.id, "name": o.name, "turns": t.choices[o.id], "share": t.choices[o.id] / total,
                    "games": t.taken[o.id]}
        nations.append({"nation": nation.id, "name": nation.name, "most": [entry(o) for o in ranked[:3]],
                        "least": [entry(o) for o in ranked[::-1][:3]],
                        "never": [o.id for o in menu if not t.choices[o.id]]})
    key = []
    commits = force_options(s)
    for nation in s.nations:
        if any(o.id in commits for o in s.options_by_nation[nation.id]):
            key.append({"decision": f"{nation.name} commits forces", "nation": nation.id, "kind": "force",
                        **_share(t.force[nation.id], n)})
    for option in s.options.values():
        if option.approval is None:
            continue
        votes = t.votes[(option.id, True)] + t.votes[(option.id, False)]
        key.append({"decision": f"{option.approval.body} approves {s.nation(option.nation).name}: {option.name}",
                    "option": option.id, "kind": "approval", **_share(t.approved[option.id], n),
                    "votes": votes, "passed": t.votes[(option.id, True)],
                    "pass_rate": t.votes[(option.id, True)] / votes if votes else None})
    return {
        "arm": t.arm.label, "variant": t.arm.variant, "personas": dict(t.arm.personas), "games": n,
        "outcomes": [{"outcome": o, "title": titles.get(o, o), **_share(t.outcomes[o], n)} for o in outcome_ids],
        "turns": {"mean": mean, "min": lengths[0] if lengths else 0, "max": lengths[-1] if lengths else 0,
                  "sd": (sum((x - mean) ** 2 for x in lengths) / (n - 1)) ** 0.5 if n > 1 else 0.0,
                  "histogram": {str(k): v for k, v in sorted(t.turns.items())}},
        "nations": nations, "key_decisions": key, "levers": levers(t, outcome_ids, titles),
    }


def levers(t: Tally, outcome_ids: Sequence[str], titles: Mapping[str, str]) -> list[dict[str, Any]]:
    """Decisions whose taking goes with the largest shifts in an outcome's share: for each
    option taken in some games and not in others (at least LEVER_MIN_GAMES each), the share of
    each outcome in games where it was taken minus the share where it was not, kept if a
    two-proportion z test gives p < LEVER_ALPHA. An association within bot play, not a causal
    effect: bots take options because of the state, and the state also drives the outcome."""
    out: list[dict[str, Any]] = []
    n = t.games
    for option_id, k in t.taken.items():
        if min(k, n - k) < LEVER_MIN_GAMES:
            continue
        option = t.scenario.options.get(option_id)
        for o in outcome_ids:
            a = t.taken_outcome[(option_id, o)]
            b = t.outcomes[o] - a
            z, p = two_proportions(a, k, b, n - k)
            if p >= LEVER_ALPHA:
                continue
            out.append({"option": option_id, "name": option.name if option else option_id,
                        "nation": option.nation if option else "", "outcome": o, "title": titles.get(o, o),
                        "taken": k, "share_taken": a / k, "share_not_taken": b / (n - k),
                        "difference": a / k - b / (n - k), "z": z, "p": p})
    out.sort(key=lambda lever: (-abs(lever["difference"]), lever["option"], lever["outcome"]))
    return out[:LEVERS_SHOWN]
