"""A seeded generator small enough to live in the game state: splitmix64.

Its whole state is one integer, so a state can be copied, hashed and written to a record,
and the same seed gives the same draws on every platform and Python version.
"""

from __future__ import annotations

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


def mix(z: int) -> int:
    """The splitmix64 output function: a well-spread 64-bit value from any 64-bit input."""
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def draw(state: int) -> tuple[int, float]:
    """Advance the generator: the new state and a roll in [0, 1)."""
    state = (state + GOLDEN) & MASK
    return state, (mix(state) >> 11) / float(1 << 53)


def seed_state(seed: int) -> int:
    """The generator state a game starts from."""
    return mix(seed & MASK)


def derive(seed: int, *parts: int) -> int:
    """An independent stream for (seed, parts...), e.g. one bot's choice in one turn."""
    z = seed & MASK
    for part in parts:
        z = mix(((z ^ (part & MASK)) + GOLDEN) & MASK)
    return z


SEED_MAX = (1 << 53) - 1  # the largest integer every JSON reader keeps exactly (RFC 8259, section 6)


def check_seed(seed: int) -> int:
    """`seed` if it is in the one range wargame takes, 0 to SEED_MAX (2^53 - 1); else ValueError
    naming the range. Seeds are checked where they enter (the command line, a record's header),
    so two different seeds never give the same game (the generator would reduce them modulo
    2^64) and every record's seed reads back exactly in any JSON reader."""
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed {seed!r} is not a whole number; a seed is a whole number from 0 to "
                         f"{SEED_MAX} (2^53 - 1)")
    if not 0 <= seed <= SEED_MAX:
        raise ValueError(f"seed {seed!r} is outside the range wargame takes: a whole number from 0 to "
                         f"{SEED_MAX} (2^53 - 1)")
    return seed
