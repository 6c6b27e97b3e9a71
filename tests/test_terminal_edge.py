"""A person at a real terminal (a pseudo-terminal, via pexpect) at the edges: stdout sent to a
file, line editing, a terminal that cannot encode, no width, a second Ctrl-C, the pager."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

ROOT = Path(__file__).resolve().parent.parent


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "PAGER", "LESS")}
    env["PYTHONPATH"] = str(ROOT)
    env["TERM"] = "xterm-256color"
    env.update(extra)
    return env


def _spawn(*args: str, **env: str) -> pexpect.spawn:
    return pexpect.spawn(sys.executable, ["-m", "wargame", *args], cwd=str(ROOT), env=_env(**env),
                         encoding="utf-8", timeout=30, dimensions=(50, 100))


def _shell(command: str, **env: str) -> pexpect.spawn:
    return pexpect.spawn("/bin/sh", ["-c", f"exec {command}"], cwd=str(ROOT), env=_env(**env),
                         encoding="utf-8", timeout=30, dimensions=(50, 100))


def test_prompts_stay_on_the_terminal_when_stdout_is_a_file_and_answers_are_edited(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    child = _shell(f"{sys.executable} -m wargame play defining-roles --human japan --seed 3 > {out}")
    child.expect(r"Japan.{0,40}your choice")  # the menu and the question reach the person
    child.expect(r"\? for help\): ")
    # x1, Left arrow, Backspace: with line editing the answer is "1"; without, "x1\x1b[" is not a choice
    child.send("x1\x1b[D\x7f\r")
    child.expect("why, in a line")
    child.sendline("")
    child.expect(r"Japan.{0,40}your choice \(an option's number, \? for help\): ")  # turn 2 is waiting
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    data = out.read_text(encoding="utf-8")
    assert "your choice" not in data and "why, in a line" not in data  # no prompt among the data


def test_play_at_an_ascii_terminal_goes_on_past_turn_one() -> None:
    # no --plain: a terminal whose encoding cannot draw the full screen gets the plain mode by itself
    child = _spawn("play", "defining-roles", "--human", "japan", "--seed", "3", PYTHONIOENCODING="ascii")
    child.expect(r"Japan\S* \? your choice")  # the em dash is replaced, not a crash
    child.sendline("1")
    child.expect("why, in a line")
    child.sendline("caf\u00e9")  # a character the terminal's encoding lacks, typed in
    child.expect(r"Japan\S* \? your choice \(an option's number, \? for help\): ")  # turn 2, waiting
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


def test_a_human_seat_with_no_width_sees_the_board() -> None:
    child = _spawn("play", "defining-roles", "--plain", "--human", "japan", "--seed", "3", COLUMNS="0")
    child.expect("Week 1")
    child.expect(r"Japan.{0,40}your choice \(an option's number, \? for help\): ")  # the whole prompt: waiting
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


@pytest.mark.parametrize("gap", [0.0, 0.005, 0.05])
def test_a_second_quick_ctrl_c_still_exits_130(gap: float) -> None:
    child = _spawn("play", "defining-roles", "--plain", "--human", "japan", "--seed", "3")
    child.expect(r"Japan.{0,40}your choice")
    os.kill(child.pid, signal.SIGINT)
    time.sleep(gap)
    os.kill(child.pid, signal.SIGINT)
    child.expect(pexpect.EOF)
    child.close()
    assert (child.exitstatus, child.signalstatus) == (130, None)


def test_show_is_paged_on_a_terminal_and_never_when_piped(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    pager = f"cat > {paged}"
    child = _spawn("show", "defining-roles", PAGER=pager)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Defining Roles" in paged.read_text(encoding="utf-8")
    paged.unlink()
    child = _shell(f"{sys.executable} -m wargame show defining-roles | cat", PAGER=pager)
    child.expect("Defining Roles")
    child.expect(pexpect.EOF)
    child.close()
    assert not paged.exists()


def test_a_pager_that_names_no_program_prints_the_text_unpaged() -> None:
    child = _spawn("show", "defining-roles", PAGER="no-such-pager-program --flag")
    child.expect("Defining Roles")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_two_quick_ctrl_c_end_a_sweep_on_a_process_pool() -> None:
    """Ctrl-C at a terminal reaches the workers too (one process group): the pool is let go of
    (queued tasks cancelled, the workers finish the task in hand) and a second Ctrl-C neither
    hangs the exit nor prints a worker's traceback."""
    child = _spawn("sweep", "defining-roles", "--games", "100000", "--jobs", "2")
    child.codec_errors = "replace"  # the terminal's ^C echo can land inside a character
    child.expect("/100000")
    time.sleep(1.5)  # the workers are playing
    child.sendintr()
    time.sleep(0.05)
    child.sendintr()
    child.expect("wargame: interrupted")
    child.expect(pexpect.EOF, timeout=60)  # before the fix: the exit waited on every queued task
    child.close()
    assert (child.exitstatus, child.signalstatus) == (130, None)
    assert "Traceback" not in (child.before or "")


def test_a_question_ticks_only_while_it_waits_and_puts_sigalrm_back() -> None:
    """wargame.cli.prompt.ctrl_c_heard: the tick that wakes a waiting read (so a Ctrl-C noted just
    before the wait is acted on) runs only inside the block, leaves a SIGALRM already in use (here
    pytest-timeout's) alone, and does nothing off the main thread."""
    import threading

    from wargame.cli.prompt import TICK, ctrl_c_heard

    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timer on this platform")
    theirs, their_timer = signal.getsignal(signal.SIGALRM), signal.getitimer(signal.ITIMER_REAL)
    if theirs not in (signal.SIG_DFL, None):  # in use: left alone
        with ctrl_c_heard(readline=True):
            assert signal.getsignal(signal.SIGALRM) is theirs
    signal.setitimer(signal.ITIMER_REAL, 0, 0)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    try:
        with ctrl_c_heard(readline=True):
            assert signal.getsignal(signal.SIGALRM) not in (signal.SIG_DFL, None)
            assert signal.getitimer(signal.ITIMER_REAL)[1] == pytest.approx(TICK)
        assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        seen: list[object] = []

        def elsewhere() -> None:
            with ctrl_c_heard(readline=False):
                seen.append(signal.getitimer(signal.ITIMER_REAL))

        worker = threading.Thread(target=elsewhere)
        worker.start()
        worker.join(timeout=10)
        assert seen == [(0.0, 0.0)]
    finally:
        signal.signal(signal.SIGALRM, theirs if theirs is not None else signal.SIG_DFL)
        if their_timer[0] > 0:
            signal.setitimer(signal.ITIMER_REAL, *their_timer)
