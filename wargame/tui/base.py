"""What every full-screen app of wargame shares: an unexpected error is never drawn as Textual's
crash screen (a traceback with every frame's local variables — game objects, briefs, join
codes) but kept, and raised again once the terminal is restored, so the CLI reports it as it
reports every error: one line and exit status 70, the traceback only with WARGAME_DEBUG=1."""

from __future__ import annotations

from typing import TypeVar

from textual.app import App

ReturnType = TypeVar("ReturnType")


class GuardedApp(App[ReturnType]):
    """A Textual App that keeps its first unexpected error in `crash` instead of drawing it.

    Textual has no public hook for this: `_handle_exception` and `_fatal_error` are the places
    its issue threads point to; the overrides only record the error and stay quiet."""

    crash: BaseException | None = None

    def _handle_exception(self, error: Exception) -> None:
        if self.crash is None:
            self.crash = error
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """Exit without drawing the traceback (Textual's shows local variables)."""
        self._close_messages_no_wait()


def run_guarded(app: GuardedApp[ReturnType], *, headless: bool = False) -> ReturnType | None:
    """Run `app` on the terminal (`headless`: without one, for tests) and return its result.
    Raises the app's unexpected error, if any, after the screen is restored (the CLI maps it to
    exit status 70)."""
    result = app.run(headless=headless)
    if app.crash is not None:
        raise app.crash
    return result


__all__ = ["GuardedApp", "run_guarded"]
