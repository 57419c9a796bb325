"""The Poseidon schedule the circuit gadgets use (``circuits.gadgets_hash``).

The permutation itself, circomlib's parameters and the reference hash live in
:mod:`native.poseidon`; this module only re-expresses the partial rounds of
:func:`native.poseidon.affine_schedule` in the variables a circuit has at hand.
"""
from __future__ import annotations

from functools import lru_cache

from native.params import R
from native.poseidon import MAX_ARITY, R_F, affine_schedule, partial_rounds

__all__ = ["MAX_ARITY", "R_F", "partial_rounds", "circuit_schedule"]


@lru_cache(maxsize=None)
def circuit_schedule(t: int) -> tuple[tuple, tuple, tuple, tuple]:
    """Like :func:`native.poseidon.affine_schedule`, but partial and exit rows act on the
    S-box outputs.

    The state entering the partial rounds is ``x = M s`` where ``s`` are the S-box
    outputs of the last leading full round, so a row ``a`` on ``x`` becomes ``a M``
    on ``s``: ``(a M)_k = sum_i a_i M[i][k]``.  Rows are ``(coeffs on s, coeffs on
    u_0.., constant)``.
    """
    rows, mds, partial, exit_rows = affine_schedule(t)

    def on_s(row: tuple) -> tuple:
        head = [sum(row[i] * mds[i][k] for i in range(t)) % R for k in range(t)]
        return tuple(head) + tuple(row[t:])

    return rows, mds, tuple(map(on_s, partial)), tuple(map(on_s, exit_rows))
