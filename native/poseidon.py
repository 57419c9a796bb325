"""circomlib Poseidon over the BN254 scalar field: reference, plan for the C kernel, Merkle trees.

``H(x_1..x_n)`` for 1 <= n <= 16 uses width ``t = n + 1``: the state starts as
``(0, x_1, ..., x_n)``; each of the ``R_F + R_P`` rounds adds the round constants
``C[r*t + i]``, applies the S-box ``x -> x^5`` (to every cell in the first and last
``R_F/2`` full rounds, to cell 0 only in the ``R_P`` partial rounds in between) and
multiplies by the MDS matrix: ``s'_i = sum_j M[i][j] s_j``.  The output is ``s_0``.
Constants come from :mod:`native.poseidon_params` (Grain LFSR), exactly circomlib's.

``poseidon_sequence`` hashes a sequence of any length >= 1 (docs/spec/STATEMENT.md): for
``n <= 16`` it is ``H(x)``; otherwise ``h = H(x_1..x_16)`` and then, for each following
chunk ``c`` of at most 15 elements, ``h = H(h, c...)``.

Merkle trees (docs/spec/STATEMENT.md, "Commitments"): a tree of depth ``D`` has ``2^D`` leaf
slots, missing leaves are 0, a node is ``H(left, right)``.  A path for leaf ``i`` is the
list of siblings from the leaf level up and the bits of ``i``, least significant first
(bit ``l`` = 1: the node at level ``l`` is a right child, ``node = H(sibling, node)``).

Three forms of the same permutation live here:

* :func:`poseidon` -- the pure-Python reference (partial rounds as affine functions of
  the S-box outputs, :func:`affine_schedule`; tested against the round-by-round form and
  circomlib's vectors);
* :func:`sparse_plan` -- the constants the C kernel (``native/src/poseidon.c``) runs:
  partial-round constants moved to cell 0 and the MDS matrix of every partial round
  factored into a sparse matrix (``2t - 1`` products) times a block ``diag(1, A)`` that is
  pushed into the previous round (the Poseidon paper's optimisation, as circomlib's
  ``poseidon_opt``); :func:`poseidon_planned` runs that plan in Python;
* ``poseidon_batch`` -- many hashes of one width in one call: the C kernel on all cores
  (``native.c_poseidon``) or this module's reference, chosen by the native backend
  (the package installs the active one with :func:`use_batch`).
"""
from __future__ import annotations

from functools import lru_cache
from operator import mul
from typing import Callable, Sequence

import numpy as np

from native.convert import NativeError, as_limbs, ints_to_limbs, limbs_to_ints
from native.params import FR_MONT, R
from native.poseidon_params import R_F, grain_parameters, partial_rounds

__all__ = [
    "MAX_ARITY", "R_F", "grain_parameters", "partial_rounds", "affine_schedule",
    "poseidon", "poseidon_sequence", "sparse_plan", "plan_limbs", "plan52_from",
    "plan52_limbs", "poseidon_planned",
    "poseidon_batch", "poseidon_many", "poseidon_sequence_batch", "poseidon_sequence_many",
    "zero_hashes", "merkle_levels", "merkle_root", "merkle_path", "merkle_root_from_path",
    "merkle_verify", "MAX_DEPTH",
]

MAX_ARITY = 16
MAX_DEPTH = 64
BatchFn = Callable[..., np.ndarray]


# --- the reference ---------------------------------------------------------------

@lru_cache(maxsize=None)
def affine_schedule(t: int) -> tuple[tuple, tuple, tuple, tuple]:
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


def _mix(mds: Sequence[Sequence[int]], state: Sequence[int]) -> list[int]:
    """s'_i = sum_j M[i][j] s_j (mod r)."""
    return [sum(map(mul, row, state)) % R for row in mds]


def _arity(n: int) -> None:
    if not 1 <= n <= MAX_ARITY:
        raise NativeError(f"poseidon: {n} inputs, expected 1..{MAX_ARITY}")


def poseidon(inputs: Sequence[int]) -> int:
    """circomlib Poseidon of 1..16 field elements (ints, reduced mod r); the reference."""
    n = len(inputs)
    _arity(n)
    rows, mds, partial, exit_rows = affine_schedule(n + 1)
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
        raise NativeError("poseidon_sequence: empty sequence")
    if n <= MAX_ARITY:
        return poseidon(inputs)
    h = poseidon(inputs[:MAX_ARITY])
    for start in range(MAX_ARITY, n, MAX_ARITY - 1):
        h = poseidon([h, *inputs[start:start + MAX_ARITY - 1]])
    return h


# --- the sparse plan the C kernel runs -------------------------------------------

def _matmul(a: list[list[int]], b: list[list[int]]) -> list[list[int]]:
    """a b (mod r)."""
    cols = list(zip(*b))
    return [[sum(map(mul, row, col)) % R for col in cols] for row in a]


def _inverse(a: list[list[int]]) -> list[list[int]]:
    """a^-1 (mod r) by Gauss-Jordan elimination."""
    n = len(a)
    m = [list(row) + [int(i == j) for j in range(n)] for i, row in enumerate(a)]
    for col in range(n):
        piv = next((i for i in range(col, n) if m[i][col]), None)
        if piv is None:
            raise NativeError("poseidon plan: singular matrix block")
        m[col], m[piv] = m[piv], m[col]
        inv = pow(m[col][col], R - 2, R)
        m[col] = [v * inv % R for v in m[col]]
        for i in range(n):
            f = m[i][col]
            if i != col and f:
                m[i] = [(v - f * w) % R for v, w in zip(m[i], m[col])]
    return [row[n:] for row in m]


def _matpow(a: list[list[int]], e: int) -> list[list[int]]:
    """a^e (mod r), e >= 0, by square-and-multiply."""
    acc = [[int(i == j) for j in range(len(a))] for i in range(len(a))]
    while e:
        if e & 1:
            acc = _matmul(acc, a)
        a = _matmul(a, a)
        e >>= 1
    return acc


@lru_cache(maxsize=None)
def sparse_plan(t: int) -> dict[str, tuple]:
    """The optimised constants of width t (all ints mod r).

    * ``full``: ``R_F`` rows of t round constants for the full rounds (first half, then
      second half; the first second-half row absorbs the constants moved out of the
      partial rounds);
    * ``mds``: M; ``pre``: ``diag(1, A_0) M``, the matrix of the last first-half round;
    * ``partial``: per partial round ``(k, n00, w_1..w_{t-1}, v_1..v_{t-1})``: add ``k``
      to cell 0, S-box on cell 0, then ``s'_0 = n00 s_0 + sum w_i s_i`` and
      ``s'_i = s_i + v_i s_0``.

    Derivation: ``M S0(x + c) = M S0(x + c_0 e_0) + M (0, c_1..)``, so the constants of
    cells 1.. move to the next round.  Going backwards, the matrix ``N = diag(1, A) M``
    of a partial round (A carried from the round after it) is ``Sp diag(1, A')`` with
    ``A' = N[1:,1:]``, ``Sp = [[n00, r^T A'^-1], [N[1:,0], I]]``; ``diag(1, A')``
    commutes with the cell-0 S-box and with adding ``k e_0``, so it moves into the
    previous round's matrix.  Starting from A = I after the last round, the carried
    block is a power of ``Mh = M[1:,1:]``, which the code uses directly.
    """
    constants, mds = grain_parameters(t)
    r_p = partial_rounds(t)
    half = R_F // 2
    rows = [list(constants[r * t:(r + 1) * t]) for r in range(R_F + r_p)]
    full = rows[:half] + rows[half + r_p:]
    ks, carry = [], [0] * t
    for j in range(r_p):
        c = [(rows[half + j][i] + carry[i]) % R for i in range(t)]
        ks.append(c[0])
        carry = _mix(mds, [0] + c[1:])
    full[half] = [(x + y) % R for x, y in zip(full[half], carry)]
    # With Mh = M[1:,1:] the carried block of partial round j is A_j = Mh^(R_P - j), so
    # its row is w_j = M[0,1:] Mh^-(R_P - j) and its column v_j = Mh^(R_P - j - 1) M[1:,0]:
    # one vector-matrix product per round.
    mh = [list(row[1:]) for row in mds[1:]]
    mh_inv = _inverse(mh)
    w = list(mds[0][1:])
    v = [row[0] for row in mds[1:]]
    sparse: list[tuple[int, ...]] = [()] * r_p
    for j in range(r_p - 1, -1, -1):
        w = [sum(map(mul, w, col)) % R for col in zip(*mh_inv)]
        sparse[j] = (ks[j], mds[0][0], *w, *v)
        v = [sum(map(mul, row, v)) % R for row in mh]
    a0 = _matpow(mh, r_p)
    pre = [list(mds[0])] + _matmul(a0, [list(row) for row in mds[1:]])
    return {"full": tuple(map(tuple, full)), "mds": tuple(map(tuple, mds)),
            "pre": tuple(map(tuple, pre)), "partial": tuple(sparse), "t": t, "r_p": r_p}


@lru_cache(maxsize=None)
def plan_limbs(t: int) -> np.ndarray:
    """The sparse plan as one flat Montgomery limb array (the C kernel's layout):
    full (R_F t), mds (t^2), pre (t^2), partial (R_P 2t) elements of 4 limbs."""
    plan = sparse_plan(t)
    flat = [x for row in plan["full"] for x in row]
    flat += [x for row in plan["mds"] for x in row]
    flat += [x for row in plan["pre"] for x in row]
    flat += [x for row in plan["partial"] for x in row]
    arr = ints_to_limbs(x * FR_MONT["R1"] % R for x in flat)
    arr.setflags(write=False)
    return arr


def plan52_from(plan: np.ndarray) -> np.ndarray:
    """A plan in the form of the eight-lane IFMA kernel (``native/src/ifma.h``): every
    Montgomery element c 2^256 mod r of ``plan`` as c 2^260 mod r in five 52-bit limbs,
    an (elements, 5) array."""
    mask = (1 << 52) - 1
    vals = [x * 16 % R for x in limbs_to_ints(plan)]
    arr = np.array([[(v >> (52 * k)) & mask for k in range(5)] for v in vals],
                   dtype=np.uint64).reshape(-1, 5)
    arr.setflags(write=False)
    return arr


@lru_cache(maxsize=None)
def plan52_limbs(t: int) -> np.ndarray:
    """:func:`plan_limbs` of width t in the IFMA kernel's form (:func:`plan52_from`)."""
    return plan52_from(plan_limbs(t))


def poseidon_planned(inputs: Sequence[int]) -> int:
    """The same hash computed by running :func:`sparse_plan` in Python (what C does)."""
    _arity(len(inputs))
    t = len(inputs) + 1
    plan = sparse_plan(t)
    half = R_F // 2
    s = [0] + [int(x) % R for x in inputs]
    for r in range(half):
        s = _mix(plan["pre"] if r == half - 1 else plan["mds"],
                 [pow(x + c, 5, R) for x, c in zip(s, plan["full"][r])])
    for row in plan["partial"]:
        s0 = pow(s[0] + row[0], 5, R)
        new0 = (row[1] * s0 + sum(map(mul, row[2:t + 1], s[1:]))) % R
        s = [new0] + [(x + v * s0) % R for x, v in zip(s[1:], row[t + 1:])]
    for r in range(half, R_F):
        s = _mix(plan["mds"], [pow(x + c, 5, R) for x, c in zip(s, plan["full"][r])])
    return s[0]


# --- batches ---------------------------------------------------------------------

def _rows_as_limbs(inputs: object, what: str) -> np.ndarray:
    """(n, k, 4) standard limbs from limbs or an (n, k) table of non-negative ints < 2^256
    (every row of one length k)."""
    if isinstance(inputs, np.ndarray) and inputs.dtype == np.uint64 and inputs.ndim == 3:
        return as_limbs(inputs, 4, "inputs")
    rows = [list(r) for r in inputs]  # type: ignore[union-attr]
    k = len(rows[0]) if rows else 1
    if any(len(r) != k for r in rows):
        raise NativeError(f"{what}: rows of different lengths")
    return ints_to_limbs(int(x) for r in rows for x in r).reshape(len(rows), k, 4)


def batch_inputs(inputs: object) -> np.ndarray:
    """(n, k, 4) standard limbs from limbs or an (n, k) table of non-negative ints < 2^256."""
    arr = _rows_as_limbs(inputs, "poseidon_batch")
    if arr.ndim != 3:
        raise NativeError(f"poseidon_batch: expected (n, k, 4) limbs, got shape {arr.shape}")
    _arity(arr.shape[1])
    return arr


def poseidon_batch(inputs: object, threads: int | None = None) -> np.ndarray:
    """H of every row of an (n, k, 4) array of standard-form limbs (k = 1..16; values
    < 2^256, meaning x mod r) -> (n, 4) standard limbs.  Pure-Python backend: the
    reference, one row at a time (`threads` is accepted and ignored)."""
    arr = batch_inputs(inputs)
    n, k = arr.shape[0], arr.shape[1]
    flat = limbs_to_ints(arr.reshape(-1, 4)) if n else []
    out = [poseidon(flat[i * k:(i + 1) * k]) for i in range(n)]
    return ints_to_limbs(out) if out else np.zeros((0, 4), dtype=np.uint64)


_DEFAULT_BATCH: list[BatchFn] = [poseidon_batch]


def use_batch(fn: BatchFn) -> None:
    """Make ``fn`` the batch kernel the helpers here use when given none; the `native`
    package sets its active backend's ``poseidon_batch`` (C when built) at import."""
    _DEFAULT_BATCH[0] = fn


def _active_batch(batch: BatchFn | None) -> BatchFn:
    return batch if batch is not None else _DEFAULT_BATCH[0]


def poseidon_many(rows: Sequence[Sequence[int]], threads: int | None = None,
                  batch: BatchFn | None = None) -> list[int]:
    """[H(row) for row in rows] (rows of one length 1..16) through the batch kernel."""
    if not rows:
        return []
    return limbs_to_ints(_active_batch(batch)(batch_inputs(rows), threads))


def poseidon_sequence_batch(inputs: object, threads: int | None = None,
                            batch: BatchFn | None = None) -> np.ndarray:
    """``poseidon_sequence`` of every row of an (n, L, 4) limb array (L >= 1) -> (n, 4)."""
    arr = _rows_as_limbs(inputs, "poseidon_sequence_batch")
    if arr.ndim != 3 or arr.shape[1] == 0:
        raise NativeError("poseidon_sequence: empty sequence")
    run = _active_batch(batch)
    length = arr.shape[1]
    if length <= MAX_ARITY:
        return run(arr, threads)
    h = run(np.ascontiguousarray(arr[:, :MAX_ARITY]), threads)
    for start in range(MAX_ARITY, length, MAX_ARITY - 1):
        chunk = arr[:, start:start + MAX_ARITY - 1]
        h = run(np.ascontiguousarray(np.concatenate([h[:, None, :], chunk], axis=1)), threads)
    return h


def poseidon_sequence_many(rows: Sequence[Sequence[int]], threads: int | None = None,
                           batch: BatchFn | None = None) -> list[int]:
    """[poseidon_sequence(row) for row in rows] (rows of one length) in batches."""
    if not rows:
        return []
    return limbs_to_ints(poseidon_sequence_batch(rows, threads, batch))


# --- Merkle trees ----------------------------------------------------------------

@lru_cache(maxsize=None)
def zero_hashes(depth: int) -> tuple[int, ...]:
    """``z[0] = 0``, ``z[l+1] = H(z[l], z[l])``: roots of empty subtrees, l = 0..depth."""
    z = [0]
    for _ in range(depth):
        z.append(poseidon([z[-1], z[-1]]))
    return tuple(z)


def _check(n_leaves: int, depth: int) -> None:
    if not 0 <= depth <= MAX_DEPTH:
        raise NativeError(f"merkle: depth {depth} outside 0..{MAX_DEPTH}")
    if n_leaves > (1 << depth):
        raise NativeError(f"merkle: {n_leaves} leaves do not fit a tree of depth {depth}")


def merkle_levels_limbs(leaves: object, depth: int, threads: int | None = None,
                        batch: BatchFn | None = None) -> list[np.ndarray]:
    """Every populated level as (m, 4) standard limbs, leaves first (reduced mod r);
    each level is one batch of H(left, right), an odd level padded with the empty
    subtree root of its height."""
    if isinstance(leaves, np.ndarray):
        values = limbs_to_ints(as_limbs(leaves, 4, "leaves").reshape(-1, 4))
    else:
        values = [int(x) for x in leaves]
    _check(len(values), depth)
    run = _active_batch(batch)
    zeros = zero_hashes(depth)
    level = ints_to_limbs(x % R for x in values) if values else np.zeros((1, 4), np.uint64)
    levels = [level]
    for height in range(depth):
        if level.shape[0] % 2:
            level = np.concatenate([level, ints_to_limbs([zeros[height]])])
        level = run(level.reshape(-1, 2, 4), threads)
        levels.append(level)
    return levels


def merkle_levels(leaves: Sequence[int] | np.ndarray, depth: int, threads: int | None = None,
                  batch: BatchFn | None = None) -> list[list[int]]:
    """All populated levels as ints, leaves first; absent nodes are the empty-subtree roots."""
    return [limbs_to_ints(lv) for lv in merkle_levels_limbs(leaves, depth, threads, batch)]


def merkle_root(leaves: Sequence[int] | np.ndarray, depth: int, threads: int | None = None,
                batch: BatchFn | None = None) -> int:
    """Root of the depth-``depth`` tree whose first leaves are ``leaves`` (rest 0)."""
    return limbs_to_ints(merkle_levels_limbs(leaves, depth, threads, batch)[-1])[0]


def merkle_path(leaves: Sequence[int], depth: int, index: int) -> tuple[list[int], list[int]]:
    """(siblings bottom-up, index bits LSB first) of leaf ``index``."""
    if not 0 <= index < (1 << depth):
        raise NativeError(f"merkle: index {index} outside a tree of depth {depth}")
    levels = merkle_levels(leaves, depth)
    zeros = zero_hashes(depth)
    siblings, bits = [], []
    for height in range(depth):
        pos = (index >> height) ^ 1
        level = levels[height]
        siblings.append(level[pos] if pos < len(level) else zeros[height])
        bits.append((index >> height) & 1)
    return siblings, bits


def merkle_root_from_path(leaf: int, siblings: Sequence[int], bits: Sequence[int]) -> int:
    """Fold a path upward: ``node = H(node, sib)`` if bit = 0 else ``H(sib, node)``."""
    if len(siblings) != len(bits):
        raise NativeError("merkle: siblings and index bits differ in length")
    node = int(leaf) % R
    for sib, bit in zip(siblings, bits):
        if bit not in (0, 1):
            raise NativeError(f"merkle: index bit {bit!r} is not 0 or 1")
        node = poseidon([sib, node] if bit else [node, sib])
    return node


def merkle_verify(leaf: int, siblings: Sequence[int], bits: Sequence[int], root: int) -> bool:
    """True iff the path of ``leaf`` leads to ``root``."""
    return merkle_root_from_path(leaf, siblings, bits) == int(root) % R
