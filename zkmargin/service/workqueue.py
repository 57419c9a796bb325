"""A bounded work queue: at most ``workers`` proofs run at once, at most ``bound`` wait.

Admission is all-or-nothing per request: a request of ``n`` proofs is accepted only if
``waiting + n <= bound`` (``waiting`` counts admitted proofs no worker has started);
otherwise :class:`QueueFull` carries how long to wait before trying again, which the
service sends as ``429`` with ``Retry-After``.  The estimate is

    retry_after = ceil(mean_proof_seconds * (waiting + n) / workers),  at least 1 s,

where ``mean_proof_seconds`` is an exponentially weighted mean (weight 0.2) of the
proofs finished so far.  A request of more than ``bound`` proofs can never be admitted
(:class:`BatchTooLarge`).  Work runs on a thread pool: the native MSMs and FFTs release
the GIL, and with the Ray backend each thread only waits on an actor.
"""
from __future__ import annotations

import math
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable, Generic, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class QueueFull(Exception):
    """The queue has no room for the request now; ``retry_after`` is in seconds."""

    def __init__(self, retry_after: int, waiting: int, bound: int):
        super().__init__(f"the work queue is full ({waiting} waiting, bound {bound}); "
                         f"retry after {retry_after} s")
        self.retry_after = retry_after


class BatchTooLarge(ValueError):
    """A request of more proofs than the queue bound (it could never be admitted)."""


class WorkQueue(Generic[T, R]):
    """Runs ``run(item)`` for admitted items on ``workers`` threads."""

    def __init__(self, run: Callable[[T], R], workers: int, bound: int,
                 initial_seconds: float = 1.0):
        if workers < 1:
            raise ValueError(f"workers: at least 1, got {workers}")
        if bound < 1:
            raise ValueError(f"max_queue: at least 1, got {bound}")
        self.workers = workers
        self.bound = bound
        self._run = run
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="zkmargin-prove")
        self._lock = threading.Lock()
        self._waiting = 0
        self._running = 0
        self._mean_seconds = initial_seconds

    @property
    def waiting(self) -> int:
        return self._waiting

    @property
    def running(self) -> int:
        return self._running

    def retry_after(self, n: int) -> int:
        """Seconds until ``n`` more proofs could be expected to fit (see module doc)."""
        with self._lock:
            return self._retry_after_locked(n)

    def _retry_after_locked(self, n: int) -> int:
        return max(1, math.ceil(self._mean_seconds * (self._waiting + n) / self.workers))

    def submit(self, items: Sequence[T]) -> list["Future[R]"]:
        """Admit ``items`` together and queue them; raises QueueFull or BatchTooLarge."""
        n = len(items)
        if n > self.bound:
            raise BatchTooLarge(f"accounts: {n} proofs exceed the queue bound {self.bound} "
                                "(send smaller batches or raise --max-queue)")
        with self._lock:
            if self._waiting + n > self.bound:
                raise QueueFull(self._retry_after_locked(n), self._waiting, self.bound)
            self._waiting += n
        return [self._pool.submit(self._work, item) for item in items]

    def _work(self, item: T) -> R:
        with self._lock:
            self._waiting -= 1
            self._running += 1
        start = time.perf_counter()
        try:
            return self._run(item)
        finally:
            seconds = time.perf_counter() - start
            with self._lock:
                self._running -= 1
                self._mean_seconds = 0.8 * self._mean_seconds + 0.2 * seconds

    def shutdown(self) -> None:
        """Stop taking work; queued items are cancelled, running ones finish."""
        self._pool.shutdown(wait=False, cancel_futures=True)
