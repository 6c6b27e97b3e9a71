"""The decision clock: the facilitator's pause and the console's hold are separate reasons."""

from __future__ import annotations

from wargame.players.clock import Clock


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_time_runs_down_and_starts_again_for_each_seat() -> None:
    time = FakeTime()
    clock = Clock(30, now=time)
    clock.start()
    time.now = 10
    assert clock.left() == 20
    clock.start()
    assert clock.left() == 30


def test_a_pause_stops_time_until_resumed() -> None:
    time = FakeTime()
    clock = Clock(30, now=time)
    clock.start()
    time.now = 5
    clock.pause()
    time.now = 100
    assert clock.left() == 25
    clock.resume()
    time.now = 110
    assert clock.left() == 15


def test_closing_the_console_does_not_undo_the_facilitators_pause() -> None:
    time = FakeTime()
    clock = Clock(30, now=time)
    clock.start()
    clock.hold()  # the White cell console opens at a seat's prompt
    clock.pause()  # and the facilitator pauses the clock there
    clock.release()  # the console closes
    time.now = 60
    assert clock.paused and not clock.running and clock.left() == 30
    clock.resume()
    time.now = 70
    assert clock.left() == 20


def test_a_seat_starting_while_paused_waits_with_full_time() -> None:
    time = FakeTime()
    clock = Clock(30, now=time)
    clock.pause()
    clock.start()
    time.now = 50
    assert clock.left() == 30
