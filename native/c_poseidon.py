"""C backend: batched circomlib Poseidon (`native/src/poseidon.c`) on all cores.

The kernel runs the sparse plan of :func:`native.poseidon.sparse_plan` (constants in
Montgomery form, and in the IFMA kernel's radix-2^52 form, built once per width in
Python and handed over on every call).
"""
from __future__ import annotations

import numpy as np

from native._bn254 import lib
from native.c_field import ptr, threads_arg
from native.convert import NativeError
from native.poseidon import batch_inputs, partial_rounds, plan52_limbs, plan_limbs


def poseidon_batch(inputs: object, threads: int | None = None) -> np.ndarray:
    """H of every row of an (n, k, 4) array of standard-form limbs (k = 1..16; values
    < 2^256, meaning x mod r) -> (n, 4) standard limbs, hashed in C on `threads`
    threads (None: all online CPUs)."""
    arr = batch_inputs(inputs)
    n, t = arr.shape[0], arr.shape[1] + 1
    out = np.empty((n, 4), dtype=np.uint64)
    if n == 0:
        return out
    plan = plan_limbs(t)
    r_p = partial_rounds(t)
    if lib.poseidon_batch(ptr(out), ptr(arr), n, t, r_p, ptr(plan), ptr(plan52_limbs(t)),
                          plan.shape[0], threads_arg(threads)) != 0:
        raise NativeError(f"poseidon_batch: bad width {t} or plan (internal error)")
    return out
