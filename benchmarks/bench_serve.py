"""A served game under load, on this machine's loopback only: six remote delegations deciding as
fast as bots would (a seeded random open option) plus ROOMS read-only room views, through a whole
flagship game. Reports the decision-to-reveal latency (from the last delegation's decision
leaving its client to each client's first snapshot showing that turn's orders revealed), median
and p99, and checks nothing was lost (every client saw every turn revealed, and the end).

    python benchmarks/bench_serve.py [ROOMS] [GAMES]

Two runs in one go, each of GAMES games (default 3, seeds 1..GAMES): the six delegations alone
(the baseline), then with ROOMS (default 100) room views; the ratio of the medians is the cost
of the audience. Bounded: each game gives up after LIMIT seconds.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from websockets.asyncio.client import ClientConnection, connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.serving import Server  # noqa: E402

NATIONS = ("us", "japan", "australia", "taiwan", "china", "philippines")
LIMIT = 120.0


class Run:
    def __init__(self) -> None:
        self.last_decision: dict[int, float] = {}  # turn -> when the last delegation's decision left
        self.sent: dict[int, int] = {}
        self.revealed: dict[str, dict[int, float]] = {}  # client -> turn -> when it saw the reveal
        self.ended: set[str] = set()
        self.final_turn = 0


async def client(run: Run, url: str, name: str, code: str | None, rng: random.Random | None) -> None:
    seen = run.revealed.setdefault(name, {})
    async with connect(url, max_size=2**24) as ws:
        await ws.send(json.dumps({"type": "hello", "code": code} if code else {"type": "hello"}))
        decided: set[int] = set()
        async for raw in ws:
            now = time.perf_counter()
            message = json.loads(raw)
            if message["type"] != "state":
                continue
            reveal = message.get("reveal")
            if reveal and reveal["turn"] not in seen:
                seen[reveal["turn"]] = now
            if message["outcome"]:
                run.ended.add(name)
                run.final_turn = max(run.final_turn, message["turn"])
                return
            seat = message.get("seat")
            if seat and seat["due"] and message["turn"] not in decided and rng is not None:
                turn = message["turn"]
                decided.add(turn)
                option = rng.choice([o for o in seat["options"] if o["ok"]])
                await _decide(ws, run, turn, option["id"])


async def _decide(ws: ClientConnection, run: Run, turn: int, option: str) -> None:
    await ws.send(json.dumps({"type": "decide", "turn": turn, "option": option}))
    run.sent[turn] = run.sent.get(turn, 0) + 1
    if run.sent[turn] == len(NATIONS):
        run.last_decision[turn] = time.perf_counter()


async def game(server: Server, rooms: int, seed: int) -> Run:
    run = Run()
    tasks = [client(run, server.ws_url, f"room{i}", None, None) for i in range(rooms)]
    tasks += [client(run, server.ws_url, n, server.code(n), random.Random(f"{seed}:{n}")) for n in NATIONS]
    await asyncio.wait_for(asyncio.gather(*tasks), LIMIT)
    return run


def measure(rooms: int, seed: int) -> tuple[list[float], int, list[str]]:
    """Latencies (seconds), the number of turns, and what was lost (empty when nothing was)."""
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(["serve", "defining-roles", *(a for n in NATIONS for a in ("--human", n)),
                         "--seed", str(seed), "--linger", "5", "--log", str(Path(tmp) / "game.jsonl")], Path(tmp))
        try:
            run = asyncio.run(game(server, rooms, seed))
            server.wait()
        finally:
            server.kill()
    lost = []
    latencies = []
    for name, seen in run.revealed.items():
        missing = [t for t in range(1, run.final_turn + 1) if t not in seen]
        if missing or name not in run.ended:
            lost.append(f"{name}: turns {missing}, end seen: {name in run.ended}")
        latencies += [seen[t] - run.last_decision[t] for t in seen if t in run.last_decision]
    return latencies, run.final_turn, lost


def summary(latencies: list[float]) -> tuple[float, float]:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p99 * 1000


def main() -> None:
    rooms = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    games = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    results = {}
    for audience in (0, rooms):
        latencies, turns, lost = [], 0, []
        for seed in range(1, games + 1):
            more, played, missed = measure(audience, seed)
            latencies += more
            turns += played
            lost += missed
        median, p99 = summary(latencies)
        results[audience] = median
        print(f"6 delegations + {audience} room views, {games} games: {turns} turns, {len(latencies)} reveals "
              f"received; decision-to-reveal median {median:.1f} ms, p99 {p99:.1f} ms; "
              f"{'nothing lost' if not lost else 'LOST: ' + '; '.join(lost[:5])}")
    if results[0] > 0:
        print(f"the audience's cost: median x{results[rooms] / results[0]:.2f} against the delegations alone")


if __name__ == "__main__":
    main()
