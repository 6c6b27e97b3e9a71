"""Where a sweep's tasks run: this process, a local process pool, or a Dask cluster.

Every backend hands back each task's lines in task order, whatever order the tasks finish in,
so the results file is the same for any backend and any number of jobs. A bounded number of
tasks is in flight at a time, so memory stays flat however many games a sweep has.
"""

from __future__ import annotations

import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from wargame.analysis.plan import Task, run_task
from wargame.errors import UsageError

Lines = list[str]
CONNECT_TIMEOUT = "10s"  # how long to try to reach a Dask scheduler


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_local(tasks: Iterable[Task], jobs: int) -> Iterator[Lines]:
    """Run the tasks here (jobs 1) or in a pool of `jobs` processes, yielding lines in order."""
    if jobs <= 1:
        for task in tasks:
            yield run_task(task)
        return
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_leave_ctrl_c_to_the_parent)
    try:
        yield from _windowed(tasks, lambda task: pool.submit(run_task, task), 4 * jobs)
    except BaseException:  # Ctrl-C, an error, the consumer gone: wait for the tasks in hand only
        with _ctrl_c_ignored():  # a second Ctrl-C here would leave the pool's queues half shut: a hang
            pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


@contextmanager
def _ctrl_c_ignored() -> Iterator[None]:
    """SIGINT ignored for the length of the block (when this is the main thread), then restored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _leave_ctrl_c_to_the_parent() -> None:
    """In a worker: Ctrl-C at the terminal reaches the whole process group, but only the parent
    acts on it (it cancels the queued tasks), so a worker never dies mid-queue with a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_dask(tasks: Iterable[Task], address: str) -> Iterator[Lines]:
    """Run the tasks on the Dask distributed cluster whose scheduler is at `address`
    (tcp://HOST:PORT). Needs the optional `dask` extra."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("--scheduler needs the optional 'dask' extra: pip install 'wargame[dask]'") from None
    if not address:
        raise UsageError("--scheduler takes the address of a Dask scheduler: tcp://HOST:PORT")
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)  # type: ignore[no-untyped-call]
    except ValueError as err:  # distributed's own check of the address: no port, unknown scheme
        raise UsageError(f"--scheduler {address}: not a scheduler address ({err}); write tcp://HOST:PORT") from None
    except (OSError, TimeoutError) as err:
        raise UsageError(f"--scheduler {address}: cannot reach a Dask scheduler there ({err})") from None
    try:
        width = 4 * max(1, sum(client.nthreads().values()))  # type: ignore[no-untyped-call]

        def submit(task: Task) -> Any:
            return client.submit(run_task, task, pure=False)

        yield from _windowed(tasks, submit, width)
    finally:
        client.close()  # type: ignore[no-untyped-call]


def _windowed(tasks: Iterable[Task], submit: Callable[[Task], Future[Lines] | Any], width: int) -> Iterator[Lines]:
    """Keep at most `width` tasks in flight; yield their results in submission order."""
    pending: deque[Any] = deque()
    for task in tasks:
        pending.append(submit(task))
        if len(pending) >= width:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()
