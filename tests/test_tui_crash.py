"""A full-screen app that fails never draws Textual's crash screen (a traceback with every
frame's local variables): the error is raised again after the screen closes, for the CLI to
report as an internal error (exit 70, one line)."""

from __future__ import annotations

import pytest

from wargame.tui.base import GuardedApp, run_guarded


class _Failing(GuardedApp[None]):
    def on_mount(self) -> None:
        secret_code = "JOIN-CODE-4242"  # a local variable Textual's crash screen would print
        raise RuntimeError(f"boom after {len(secret_code)} characters")


def test_an_unexpected_error_is_raised_again_and_no_locals_are_drawn(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(RuntimeError, match="boom after 14 characters"):
        run_guarded(_Failing(), headless=True)
    out, err = capfd.readouterr()
    assert "JOIN-CODE-4242" not in out + err
    assert "Traceback" not in out + err


def test_the_table_and_the_replay_viewer_are_guarded() -> None:
    from wargame.tui.app import TableApp
    from wargame.tui.replay import ReplayApp

    assert issubclass(TableApp, GuardedApp) and issubclass(ReplayApp, GuardedApp)
