"""The game state: plain values, copied (never shared) from turn to turn, with a stable digest."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from typing import Any

from wargame.engine.rng import seed_state
from wargame.scenario.scenario import Scenario


@dataclass(frozen=True)
class State:
    seed: int
    values: tuple[float, ...]  # one per scenario slot: turn, tracks, flags, request counters
    rng: int
    turn: int  # the turn in play (0 before the first)
    postures: tuple[str, ...]  # per nation, in scenario order
    roles: tuple[str, ...]  # per nation: its answer to a role request: "public:CATEGORY",
    # "private:CATEGORY", "defer", "decline", or "" before any

    active_pledges: tuple[str, ...] = ()
    fired_pledges: tuple[str, ...] = ()
    fired_injects: tuple[str, ...] = ()
    spent_injects: tuple[str, ...] = ()  # scheduled injects the White cell fired before their turn:
    # their scheduled firing is spent (wargame.engine.facilitator, the inject action's `early`)
    used_once: tuple[str, ...] = ()
    outcome: str | None = None
    ended: bool = False
    in_turn: bool = False  # a turn has begun and its decisions are not adjudicated yet
    delayed: tuple[str, ...] = ()  # live-crisis responses taken unprepared: they land next turn
    sent: tuple[str, ...] = ()  # the sender of each message of this turn's negotiation phase
    signals_used: tuple[str, ...] = ()  # costly signals sent so far (once-only ones stay closed)
    pending_signals: tuple[tuple[str, str], ...] = ()  # (sender, signal id) of each costly signal sent
    # this turn, in the order sent: their effects land when the turn is adjudicated

    def to_dict(self, scenario: Scenario) -> dict[str, Any]:
        """A plain, canonical form: what the digest covers and what a record can store."""
        out: dict[str, Any] = {
            "seed": self.seed,
            "turn": self.turn,
            "values": dict(zip(scenario.slot_names, map(_plain, self.values), strict=True)),
            "rng": self.rng,
            "postures": dict(zip((n.id for n in scenario.nations), self.postures, strict=True)),
            "roles": dict(zip((n.id for n in scenario.nations), self.roles, strict=True)),
            "active_pledges": list(self.active_pledges),
            "fired_pledges": list(self.fired_pledges),
            "fired_injects": list(self.fired_injects),
            "used_once": list(self.used_once),
            "outcome": self.outcome,
            "ended": self.ended,
            "in_turn": self.in_turn,
        }
        # only when set, so the digests of games without a live crisis, messages or an inject fired
        # early never change
        for key in ("delayed", "sent", "signals_used", "spent_injects"):
            if getattr(self, key):
                out[key] = list(getattr(self, key))
        if self.pending_signals:
            out["pending_signals"] = [list(pair) for pair in self.pending_signals]
        return out

    def digest(self, scenario: Scenario) -> str:
        """A stable hash of the whole state: same game, same digest, on any machine."""
        blob = json.dumps(self.to_dict(scenario), sort_keys=True, separators=(",", ":"), allow_nan=False)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def value(self, scenario: Scenario, name: str) -> float:
        return self.values[scenario.names[name].index]

    def evolve(self, **changes: Any) -> State:
        return replace(self, **changes)


def _plain(value: float) -> int | float | bool:
    """Numbers as JSON writes them canonically: whole floats as ints (tracks hold ints, flags bools)."""
    if type(value) is float and value.is_integer():
        return int(value)
    return value


def initial_state(scenario: Scenario, seed: int) -> State:
    """The state before turn 1."""
    return State(
        seed=seed,
        values=scenario.initial,
        rng=seed_state(seed),
        turn=0,
        postures=tuple(n.posture for n in scenario.nations),
        roles=tuple("" for _ in scenario.nations),
    )
