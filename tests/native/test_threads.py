"""The C backend under concurrent Python threads (the C calls release the GIL).

An argument array made inline in a C call (``lib.f(ptr(make_array()))``) must stay
allocated until the call returns: other threads allocate while C runs, and memory freed
too early is reused and overwritten under it.  The coset NTT passes its shift that way;
a wrong shift gives wrong coset values and so proofs that fail their own check.
"""
from __future__ import annotations

import gc
import threading
import weakref

import numpy as np

from tests.native.conftest import c_backend


def test_ptr_keeps_its_array_alive() -> None:
    c_backend()
    from native.c_field import ptr

    arr = np.arange(8, dtype=np.uint64)
    ref = weakref.ref(arr)
    p = ptr(arr)
    del arr
    gc.collect()
    assert ref() is not None, "the cdata must hold the array while it is alive"
    assert list(p[0:8]) == list(range(8))
    del p
    gc.collect()
    assert ref() is None


def test_coset_ntt_is_thread_safe_under_allocation_churn() -> None:
    """Two threads run coset NTTs (forward and inverse) while two others allocate and
    fill small arrays; every result must equal the single-threaded one."""
    nb = c_backend()
    n, power = 1 << 10, 10
    rng = np.random.default_rng(7)
    a = nb.fr_to_mont(rng.integers(0, 1 << 63, size=(n, 4), dtype=np.uint64))
    shift = nb.snarkjs_odd_coset_shift(power)
    want = (nb.coset_ntt(a, shift), nb.coset_ntt(a, shift, inverse=True))
    stop = threading.Event()
    bad: list[str] = []

    def churn() -> None:
        while not stop.is_set():
            junk = [np.full(4, 0xFFFFFFFFFFFFFFFF, dtype=np.uint64) for _ in range(200)]
            del junk

    def work() -> None:
        for i in range(300):
            if not np.array_equal(nb.coset_ntt(a, shift), want[0]):
                bad.append(f"forward {i}")
            if not np.array_equal(nb.coset_ntt(a, shift, inverse=True), want[1]):
                bad.append(f"inverse {i}")

    churners = [threading.Thread(target=churn) for _ in range(2)]
    workers = [threading.Thread(target=work) for _ in range(2)]
    for t in churners + workers:
        t.start()
    for t in workers:
        t.join()
    stop.set()
    for t in churners:
        t.join()
    assert not bad, f"{len(bad)} of 1200 coset NTTs differ from the single-threaded result"
