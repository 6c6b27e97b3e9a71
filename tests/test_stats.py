"""The sweep's statistics against values from textbooks and scipy."""

from __future__ import annotations

import math

import pytest

from wargame.analysis.stats import chi2_sf, chi_square, two_proportions, wilson


def test_wilson_interval_matches_the_textbook() -> None:
    lo, hi = wilson(50, 100)
    assert lo == pytest.approx(0.40383, abs=1e-5) and hi == pytest.approx(0.59617, abs=1e-5)
    lo, hi = wilson(0, 20)  # never seen is not impossible
    assert lo == 0.0 and hi == pytest.approx(0.16113, abs=1e-5)
    assert wilson(0, 0) == (0.0, 1.0)


@pytest.mark.parametrize(("x", "df", "p"), [(3.841458820694124, 1, 0.05), (11.070497693516351, 5, 0.05),
                                           (20.0, 2, math.exp(-10)), (0.5, 3, 0.918891411654676),
                                           (100.0, 10, 5.4497e-17), (0.0, 4, 1.0)])
def test_chi_square_survival_function(x: float, df: int, p: float) -> None:
    assert chi2_sf(x, df) == pytest.approx(p, rel=1e-4)


def test_chi_square_table_and_two_proportions() -> None:
    statistic, df, p = chi_square([[10, 20, 30, 0], [30, 20, 10, 0]])  # the empty column is left out
    assert (statistic, df) == (20.0, 2) and p == pytest.approx(math.exp(-10))
    assert chi_square([[5, 5]]) == (0.0, 0, 1.0)
    z, p = two_proportions(60, 100, 50, 100)
    assert z == pytest.approx(1.42134, abs=1e-4) and p == pytest.approx(0.15522, abs=1e-4)
    assert two_proportions(0, 10, 0, 10) == (0.0, 1.0)
