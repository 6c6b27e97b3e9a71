"""view/charts.py: what a reader sees in the inline SVG charts."""

from __future__ import annotations

import re

from wargame.view.charts import share_bars


def test_long_bar_labels_that_differ_at_the_end_stay_apart() -> None:
    """A sweep's arm labels share long prefixes (one variant, several personas): cut short,
    each must still be told apart on the page, not all read 'australia_preauthorised [chin…'."""
    labels = [f"australia_preauthorised [china={p}]" for p in ("hawk", "dove", "hedger")]
    svg = share_bars([(label, 0.5, 0.4, 0.6) for label in labels], "Conflict")
    shown = re.findall(r'<text x="[\d.]+" y="[\d.]+" text-anchor="end">([^<]*)</text>', svg)
    assert len(shown) == 3 and len(set(shown)) == 3, shown
    assert all(len(s) <= 30 for s in shown)
    assert all(s.startswith("australia") for s in shown)
