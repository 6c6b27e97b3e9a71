"""Snapshots (SVG) of the table's main screens at 80x24 and 100x30: the situation room, a
delegation deciding, the White cell, the sealed hand-over, the reveal and the replay; and a
remote seat's (`wargame join`) room and decision, fed the frames a server sends.

A change that alters a screen fails here until it is looked at and accepted with
`python3 -m pytest tests/test_tui_snapshots.py --snapshot-update`."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.snapshot_apps import SCREENS

SIZES = ((80, 24), (100, 30))


async def settled(pilot: Pilot[None]) -> None:
    """Every screen drawn, and no cursor blinking (a blink caught half-way is not a change)."""
    await pilot.pause()
    for entry in pilot.app.screen.query(Input):
        entry.cursor_blink = False
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", sorted(SCREENS))
def test_screen(name: str, size: tuple[int, int], snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(SCREENS[name](), terminal_size=size, run_before=settled)
