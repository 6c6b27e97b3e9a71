"""The statistics a sweep reports, in plain stdlib math (no scipy): shares with Wilson score
intervals, the two-proportion z test, and Pearson's chi-square test of homogeneity.

References: E. B. Wilson (1927), "Probable inference, the law of succession, and statistical
inference", JASA 22:209-212; the regularized incomplete gamma function as in Press et al.,
Numerical Recipes, 3rd ed., section 6.2 (series and continued fraction).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

Z95 = 1.959963984540054  # the standard normal's 97.5th percentile


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval (lo, hi) of a share, both in 0..1; (0, 1) when n is 0."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    lo = 0.0 if successes <= 0 else max(0.0, centre - half)  # exact at the ends, not 1e-18 off
    hi = 1.0 if successes >= n else min(1.0, centre + half)
    return lo, hi


def two_proportions(a: int, n: int, b: int, m: int) -> tuple[float, float]:
    """Two-sided z test of a/n against b/m with a pooled variance: (z, p-value).
    A difference nobody could see (no games, or a share of 0 or 1 on both sides) gives (0, 1)."""
    if n <= 0 or m <= 0:
        return 0.0, 1.0
    pooled = (a + b) / (n + m)
    variance = pooled * (1 - pooled) * (1 / n + 1 / m)
    if variance <= 0:
        return 0.0, 1.0
    z = (a / n - b / m) / math.sqrt(variance)
    return z, math.erfc(abs(z) / math.sqrt(2))


def chi_square(rows: Sequence[Sequence[int]]) -> tuple[float, int, float]:
    """Pearson's chi-square test of homogeneity of an r x k table of counts (rows: groups,
    columns: categories): (statistic, degrees of freedom, p-value). Columns and rows that are
    all zero are left out; a table with fewer than two of either gives (0, 0, 1)."""
    columns = [j for j in range(len(rows[0]) if rows else 0) if any(r[j] for r in rows)]
    table = [[r[j] for j in columns] for r in rows if sum(r[j] for j in columns)]
    if len(table) < 2 or len(columns) < 2:
        return 0.0, 0, 1.0
    total = sum(map(sum, table))
    row_sums = [sum(r) for r in table]
    col_sums = [sum(r[j] for r in table) for j in range(len(columns))]
    statistic = 0.0
    for i, row in enumerate(table):
        for j, observed in enumerate(row):
            expected = row_sums[i] * col_sums[j] / total
            statistic += (observed - expected) ** 2 / expected
    df = (len(table) - 1) * (len(columns) - 1)
    return statistic, df, chi2_sf(statistic, df)


def chi2_sf(x: float, df: int) -> float:
    """P(X >= x) for X chi-square distributed with `df` degrees of freedom."""
    if x <= 0 or df <= 0:
        return 1.0
    return _gamma_q(df / 2, x / 2)


def _gamma_q(a: float, x: float) -> float:
    """The regularized upper incomplete gamma function Q(a, x)."""
    if x < a + 1:  # the series for P converges fast here
        term = total = 1.0 / a
        ap = a
        for _ in range(10_000):
            ap += 1
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return max(0.0, 1.0 - total * math.exp(-x + a * math.log(x) - math.lgamma(a)))
    tiny = 1e-300  # the continued fraction for Q (modified Lentz)
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return min(1.0, math.exp(-x + a * math.log(x) - math.lgamma(a)) * h)
