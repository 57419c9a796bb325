"""Native (plain Python int) Poseidon, exactly as circomlib's ``poseidon.circom``.

``H(x_1..x_n)`` for 1 <= n <= 16 uses width ``t = n + 1``: the state starts as
``(0, x_1, ..., x_n)``; each of the ``R_F + R_P`` rounds adds the round constants
``C[r*t + i]``, applies the S-box ``x -> x^5`` (to every cell in the first and last
``R_F/2`` full rounds, to cell 0 only in the ``R_P`` partial rounds in between) and
multiplies by the MDS matrix: ``s'_i = sum_j M[i][j] s_j``.  The output is ``s_0``.
Constants come from :mod:`circuits.poseidon_params` (Grain LFSR).

``poseidon_sequence`` hashes a sequence of any length >= 1 (docs/spec/STATEMENT.md): for
``n <= 16`` it is ``H(x)``; otherwise ``h = H(x_1..x_16)`` and then, for each following
chunk ``c`` of at most 15 elements, ``h = H(h, c...)``.
"""
from __future__ import annotations

from functools import lru_cache
from operator import mul
from typing import Sequence

from circuits.field import R, CircuitError
from circuits.poseidon_params import R_F, grain_parameters, partial_rounds

MAX_ARITY = 16


@lru_cache(maxsize=None)
def _schedule(t: int) -> tuple[tuple, tuple, tuple, tuple]:
    """Precomputed plan for width t: (constant rows, MDS rows, partial-round rows, exit rows).

    The partial rounds are linear except for ``u_j = y_{j,0}^5``, so the state during
    them is an affine function of ``z = (x_0..x_{t-1}, u_0..u_{R_P-1}, 1)``, where ``x``
    is the state entering the first partial round.  ``partial[j]`` gives the
    pre-S-box cell ``y_{j,0}`` in terms of ``z`` (only ``u_<j`` appear) and ``exit``
    gives the state after the last partial round: the same function as the plain
    round-by-round form, with ``O(t + R_P)`` products per partial round.
    """
    constants, mds = grain_parameters(t)
    r_p = partial_rounds(t)
    rows = tuple(tuple(constants[r * t:(r + 1) * t]) for r in range(R_F + r_p))
    width = t + r_p + 1
    state = [[1 if k == i else 0 for k in range(width)] for i in range(t)]
    partial = []
    for j in range(r_p):
        y = [list(row) for row in state]
        for i in range(t):
            y[i][-1] = (y[i][-1] + rows[R_F // 2 + j][i]) % R
        partial.append(tuple(y[0][: t + j] + [y[0][-1]]))
        y[0] = [1 if k == t + j else 0 for k in range(width)]
        state = [[sum(m * y[i][k] for i, m in enumerate(mrow)) % R for k in range(width)]
                 for mrow in mds]
    return rows, mds, tuple(partial), tuple(tuple(row) for row in state)


@lru_cache(maxsize=None)
def circuit_schedule(t: int) -> tuple[tuple, tuple, tuple, tuple]:
    """Like :func:`_schedule`, but partial and exit rows act on the S-box outputs.

    The state entering the partial rounds is ``x = M s`` where ``s`` are the S-box
    outputs of the last leading full round, so a row ``a`` on ``x`` becomes ``a M``
    on ``s``: ``(a M)_k = sum_i a_i M[i][k]``.  Rows are ``(coeffs on s, coeffs on
    u_0.., constant)``.
    """
    rows, mds, partial, exit_rows = _schedule(t)

    def on_s(row: tuple) -> tuple:
        head = [sum(row[i] * mds[i][k] for i in range(t)) % R for k in range(t)]
        return tuple(head) + tuple(row[t:])

    return rows, mds, tuple(map(on_s, partial)), tuple(map(on_s, exit_rows))


def _mix(mds: tuple, state: list[int]) -> list[int]:
    """s'_i = sum_j M[i][j] s_j (mod r)."""
    return [sum(map(mul, row, state)) % R for row in mds]


def poseidon(inputs: Sequence[int]) -> int:
    """circomlib Poseidon of 1..16 field elements (ints, reduced mod r)."""
    n = len(inputs)
    if not 1 <= n <= MAX_ARITY:
        raise CircuitError(f"poseidon: {n} inputs, expected 1..{MAX_ARITY}")
    rows, mds, partial, exit_rows = _schedule(n + 1)
    state = [0] + [int(x) % R for x in inputs]
    half = R_F // 2
    for c in rows[:half]:
        state = _mix(mds, [pow(s + k, 5, R) for s, k in zip(state, c)])
    z = state
    for row in partial:
        y0 = (sum(map(mul, row, z)) + row[-1]) % R  # row[-1]: the constant term
        z = z + [pow(y0, 5, R)]
    z = z + [1]
    state = [sum(map(mul, row, z)) % R for row in exit_rows]
    for c in rows[len(rows) - half:]:
        state = _mix(mds, [pow(s + k, 5, R) for s, k in zip(state, c)])
    return state[0]


def poseidon_sequence(inputs: Sequence[int]) -> int:
    """Hash of a sequence of >= 1 elements: H(x) if n <= 16, else a 16 + 15 + ... chain."""
    n = len(inputs)
    if n == 0:
        raise CircuitError("poseidon_sequence: empty sequence")
    if n <= MAX_ARITY:
        return poseidon(inputs)
    h = poseidon(inputs[:MAX_ARITY])
    for start in range(MAX_ARITY, n, MAX_ARITY - 1):
        h = poseidon([h, *inputs[start:start + MAX_ARITY - 1]])
    return h
