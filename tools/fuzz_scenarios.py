"""Structural fuzz of the shipped scenarios: thousands of seeded mutants, each loaded as
`wargame validate` would, and every accepted one played by the bots to the end.

Two families of mutants:

- hostile: a key deleted, renamed or added, a value swapped for one of another type or an
  absurd size, a list entry dropped or doubled, a table emptied. Each must be refused with a
  ScenarioError or a NotFound (exit 1 or 3), or accepted and then played to the end: never
  another exception (exit 70), never a hang.
- valid: the same scenario saved differently or with other valid values: any chance set to
  any number from 0 to 1 (0.00001, 1e-7 as TOML writes it), keys reordered, the file saved
  with CRLF line endings or a byte-order mark. Each must be accepted: refusing one is a fault.

Every accepted mutant plays a bot game to its end, and each event of it must be strict JSON
(no NaN or Infinity). A mutant that takes more than --timeout seconds counts as a hang.

    python3 tools/fuzz_scenarios.py            # quick: 60 mutants (the test suite runs this)
    python3 tools/fuzz_scenarios.py --full     # 3,000 mutants, for the figures in the notes
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import random
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import tomli_w  # noqa: E402
from rich.console import Console  # noqa: E402

from wargame import jsontext  # noqa: E402
from wargame.errors import NotFound, ScenarioError  # noqa: E402
from wargame.game.game import Game  # noqa: E402
from wargame.game.seats import bot_seats  # noqa: E402
from wargame.game.session import play_turn  # noqa: E402
from wargame.scenario.loader import load  # noqa: E402
from wargame.view.board import render_board  # noqa: E402
from wargame.view.overview import render_scenario  # noqa: E402

SEED = 20261130
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))


class Hang(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise Hang()


# ---------------------------------------------------------------- walking the TOML tree


Path_ = tuple[str | int, ...]


def _nodes(tree: Any, path: Path_ = ()) -> list[Path_]:
    out = [path]
    if isinstance(tree, dict):
        for key, value in tree.items():
            out += _nodes(value, (*path, key))
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            out += _nodes(value, (*path, i))
    return out


def _get(tree: Any, path: Path_) -> Any:
    for part in path:
        tree = tree[part]
    return tree


def _set(tree: Any, path: Path_, value: Any) -> None:
    _get(tree, path[:-1])[path[-1]] = value


def _random_value(rng: random.Random) -> Any:
    return rng.choice([
        True, False, 0, -1, 1, 7, 2**63 - 1, -(2**63), 10**6, 0.5, -0.5, 1e308, 1e-308, 3.0, 0.00001,
        "", "x", "blue", "japan.hold", "a" * 5000, "turn >= 2", "1 / 0", "escalation +=", "\u202e", "{n}",
        "not (true)", "min(1)", "(" * 40 + "1" + ")" * 40, [], [1, 2], ["x"], [[]], {}, {"id": "x"},
        {"id": "q", "name": "Q"}])


def hostile(tree: dict[str, Any], rng: random.Random) -> str:
    """Change `tree` in one random hostile way; say what was done."""
    paths = [p for p in _nodes(tree) if p]
    path = rng.choice(paths)
    parent = _get(tree, path[:-1])
    op = rng.choice(["delete", "retype", "retype", "rename", "add", "double", "empty", "swap"])
    if op == "delete":
        if isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent.pop(path[-1])
    elif op == "retype":
        _set(tree, path, _random_value(rng))
    elif op == "rename" and isinstance(parent, dict):
        key = path[-1]
        parent[str(key) + rng.choice(["s", "_", "x", ""]) or "k"] = parent.pop(key)
    elif op == "add":
        target = _get(tree, path) if isinstance(_get(tree, path), dict) else parent
        if isinstance(target, dict):
            target[rng.choice(["extra", "id", "name", "chance", "effects", "when", "from"])] = _random_value(rng)
        else:
            target.append(copy.deepcopy(rng.choice(target)) if target else _random_value(rng))
    elif op == "double" and isinstance(parent, list):
        parent.insert(path[-1], copy.deepcopy(parent[path[-1]]))
    elif op == "empty":
        value = _get(tree, path)
        _set(tree, path, type(value)() if isinstance(value, dict | list | str) else 0)
    elif op == "swap":
        other = rng.choice(paths)
        try:
            a, b = copy.deepcopy(_get(tree, path)), copy.deepcopy(_get(tree, other))
            _set(tree, path, b)
            _set(tree, other, a)
        except (KeyError, IndexError, TypeError):
            pass
    return f"{op} {'.'.join(map(str, path))}"


def _chances(tree: Any, path: Path_ = ()) -> list[Path_]:
    return [p for p in _nodes(tree) if p and p[-1] == "chance" and isinstance(_get(tree, p), int | float)
            and not isinstance(_get(tree, p), bool)]


def _shuffled(tree: Any, rng: random.Random) -> Any:
    if isinstance(tree, dict):
        items = list(tree.items())
        rng.shuffle(items)
        return {k: _shuffled(v, rng) for k, v in items}
    if isinstance(tree, list):
        return [_shuffled(v, rng) for v in tree]
    return tree


def valid(tree: dict[str, Any], rng: random.Random) -> tuple[dict[str, Any], str, str]:
    """(a tree with the same meaning or other valid values, what was done, how to save it)."""
    op = rng.choice(["chance", "chance", "reorder", "crlf", "bom"])
    chances = _chances(tree)
    if op == "chance" and chances:
        path = rng.choice(chances)
        value = rng.choice([0.0, 1.0, 0.00001, 1e-7, 5e-324, 0.999999, rng.random(), rng.random() / 1e6])
        _set(tree, path, value)
        return tree, f"chance {'.'.join(map(str, path))} = {value!r}", "lf"
    if op in ("crlf", "bom"):
        return tree, op, op
    return _shuffled(tree, rng), "reorder keys", "lf"


def _save(tree: dict[str, Any], how: str, folder: Path, n: int) -> Path:
    text = tomli_w.dumps(tree)
    data = text.encode("utf-8")
    if how == "crlf":
        data = data.replace(b"\n", b"\r\n")
    elif how == "bom":
        data = b"\xef\xbb\xbf" + data
    path = folder / f"mutant-{n}.toml"
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------- running one mutant


@dataclass
class Tally:
    mutants: int = 0
    refused: int = 0
    accepted: int = 0
    played: int = 0
    tracebacks: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    wrongly_refused: list[str] = field(default_factory=list)
    unplayable: list[str] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)


def play_out(path: Path, seed: int) -> None:
    """Load the mutant, show it as `wargame show` does, and let the bots play it to the end,
    showing the final board; every event must be strict JSON."""
    scenario = load(path)
    screen = Console(file=io.StringIO(), width=100)
    screen.print(render_scenario(scenario))
    game = Game(scenario, seed)
    seats = bot_seats(scenario)
    for _ in range(scenario.turns + 5):
        if game.over:
            break
        for event in play_turn(game, seats):
            jsontext.dumps(event.to_dict())
    if not game.over:
        raise AssertionError(f"the game did not end after {scenario.turns} turns")
    screen.print(render_board(scenario, game.state, []))


def one(tally: Tally, path: Path, what: str, must_accept: bool, timeout: float) -> None:
    tally.mutants += 1
    tally.kinds[what.split()[0]] += 1
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    stage = "load"
    try:
        load(path)
        tally.accepted += 1
        stage = "play"
        play_out(path, seed=tally.mutants)
        tally.played += 1
    except (ScenarioError, NotFound) as err:
        tally.refused += 1
        if must_accept:
            tally.wrongly_refused.append(f"{what}: {str(err).splitlines()[0]}")
    except Hang:
        tally.hangs.append(f"{what} ({stage})")
    except AssertionError as err:
        tally.unplayable.append(f"{what}: {err}")
    except Exception:  # what would be exit 70
        tally.tracebacks.append(f"{what} ({stage}):\n{traceback.format_exc(limit=4)}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="3,000 mutants (default: 60)")
    parser.add_argument("--count", type=int, help="how many mutants")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds before a mutant counts as a hang")
    parser.add_argument("--json", action="store_true", help="print the tally as JSON")
    args = parser.parse_args(argv)
    count = args.count or (3000 if args.full else 60)
    rng = random.Random(args.seed)
    originals = [(p.stem, __import__("tomllib").loads(p.read_text(encoding="utf-8"))) for p in SCENARIOS]
    tally = Tally()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        for n in range(count):
            name, original = originals[n % len(originals)]
            tree = copy.deepcopy(original)
            if n % 4 == 3:  # a quarter are valid mutants, which must be accepted
                tree, what, how = valid(tree, rng)
                must_accept = True
            else:
                what, how, must_accept = "", "lf", False
                for _ in range(rng.choice([1, 1, 1, 2, 3])):
                    what += ("; " if what else "") + hostile(tree, rng)
            try:
                path = _save(tree, how, Path(folder), n)
            except (TypeError, ValueError):  # tomli_w cannot write it (a list of mixed tables): not a mutant
                continue
            one(tally, path, f"{name}: {what}", must_accept, args.timeout)
    elapsed = time.monotonic() - started
    result = {"mutants": tally.mutants, "refused": tally.refused, "accepted": tally.accepted,
              "played_to_the_end": tally.played, "tracebacks": len(tally.tracebacks), "hangs": len(tally.hangs),
              "valid_but_refused": len(tally.wrongly_refused), "accepted_but_unplayable": len(tally.unplayable),
              "seconds": round(elapsed, 1), "seed": args.seed}
    if args.json:
        print(json.dumps(result))
    else:
        print(", ".join(f"{k}: {v}" for k, v in result.items()))
    for line in tally.tracebacks[:5] + tally.hangs[:5] + tally.wrongly_refused[:10] + tally.unplayable[:5]:
        print(line, file=sys.stderr)
    bad = tally.tracebacks or tally.hangs or tally.wrongly_refused or tally.unplayable
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
