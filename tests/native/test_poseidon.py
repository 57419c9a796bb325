"""Poseidon and Merkle trees: the Python reference against circomlib's vectors and a plain
round-by-round form; the C batch kernel and the sparse plan against the reference."""
from __future__ import annotations

import random

import pytest

import numpy as np

import native
from native.convert import NativeError, ints_to_limbs, limbs_to_ints
from native.params import R
from native.poseidon import (merkle_path, merkle_root, merkle_root_from_path, merkle_verify,
                             poseidon, poseidon_planned, poseidon_sequence, sparse_plan,
                             zero_hashes)
from native.poseidon_params import R_F, grain_parameters, partial_rounds
from tests.conftest import load_vectors

VECTORS = load_vectors("poseidon/circomlib.json")["vectors"]


def plain_poseidon(inputs: list[int]) -> int:
    """Round-by-round Poseidon (no partial-round precomputation): the slow reference."""
    t = len(inputs) + 1
    constants, mds = grain_parameters(t)
    r_p = partial_rounds(t)
    state = [0] + [x % R for x in inputs]
    for r in range(R_F + r_p):
        state = [(s + constants[r * t + i]) % R for i, s in enumerate(state)]
        full = r < R_F // 2 or r >= R_F // 2 + r_p
        state = [pow(s, 5, R) if (full or i == 0) else s for i, s in enumerate(state)]
        state = [sum(m * s for m, s in zip(row, state)) % R for row in mds]
    return state[0]


@pytest.mark.parametrize("vec", VECTORS, ids=lambda v: f"arity{v['arity']}")
def test_circomlib_vectors(vec: dict) -> None:
    inputs = [int(x) for x in vec["inputs"]]
    assert poseidon(inputs) == int(vec["output"])
    assert plain_poseidon(inputs) == int(vec["output"])


def test_fast_form_equals_plain_form_on_edges() -> None:
    rng = random.Random(7)
    for n in range(1, 17):
        for inputs in ([0] * n, [R - 1] * n, [rng.randrange(R) for _ in range(n)]):
            assert poseidon(inputs) == plain_poseidon(inputs)


def test_round_constant_counts_and_range() -> None:
    for t in (2, 9, 17):
        constants, mds = grain_parameters(t)
        assert len(constants) == (8 + partial_rounds(t)) * t
        assert all(0 <= c < R for c in constants)
        assert len(mds) == t and all(len(row) == t for row in mds)


def test_arity_bounds() -> None:
    with pytest.raises(NativeError, match="17 inputs"):
        poseidon([1] * 17)
    with pytest.raises(NativeError):
        poseidon([])
    with pytest.raises(NativeError):
        poseidon_sequence([])


def test_sequence_chaining() -> None:
    xs = list(range(1, 41))
    assert poseidon_sequence(xs[:16]) == poseidon(xs[:16])
    h = poseidon(xs[:16])
    h = poseidon([h, *xs[16:31]])
    h = poseidon([h, *xs[31:40]])
    assert poseidon_sequence(xs) == h
    assert poseidon_sequence(xs[:17]) == poseidon([poseidon(xs[:16]), 17])


def test_merkle_root_and_paths() -> None:
    leaves = [11, 22, 33]
    depth = 3
    z = [0, 0, 0, 0, 0]
    l1 = [poseidon([11, 22]), poseidon([33, 0]), poseidon([0, 0]), poseidon([0, 0])]
    l2 = [poseidon(l1[:2]), poseidon(l1[2:])]
    root = poseidon(l2)
    assert merkle_root(leaves, depth) == root
    assert merkle_root(leaves + z, depth) == root
    for index in range(8):
        sibs, bits = merkle_path(leaves, depth, index)
        assert bits == [(index >> l) & 1 for l in range(depth)]
        leaf = leaves[index] if index < 3 else 0
        assert merkle_verify(leaf, sibs, bits, root)
        assert not merkle_verify(leaf + 1, sibs, bits, root)
    assert merkle_root_from_path(33, *merkle_path(leaves, depth, 2)) == root


def test_merkle_errors() -> None:
    with pytest.raises(NativeError, match="do not fit"):
        merkle_root([1, 2, 3], 1)
    with pytest.raises(NativeError, match="index"):
        merkle_path([1], 2, 4)
    with pytest.raises(NativeError, match="bit"):
        merkle_root_from_path(1, [2], [2])


def test_mds_is_an_invertible_cauchy_matrix_in_galois() -> None:
    """galois (the Fr reference): M is invertible, every 2x2 minor is nonzero (MDS)."""
    import galois
    import numpy as np

    gf = galois.GF(R, primitive_element=5, verify=False)
    for t in (2, 3, 5):
        _, mds = grain_parameters(t)
        m = gf(np.array(mds, dtype=object))
        assert np.linalg.det(m) != 0
        inv = np.linalg.inv(m)
        assert np.array_equal(m @ inv, gf(np.eye(t, dtype=int)))
        for i in range(t):
            for j in range(i + 1, t):
                for k in range(t):
                    for l in range(k + 1, t):
                        assert m[i, k] * m[j, l] - m[i, l] * m[j, k] != 0


# --- the sparse plan and the batch kernel (both backends) --------------------------

def random_rows(rng: random.Random, n: int, k: int) -> list[list[int]]:
    """n rows of k inputs: uniform below 2^256 (so not reduced), with edge values mixed in."""
    edges = [0, 1, R - 1, R, R + 1, (1 << 256) - 1]
    return [[rng.choice(edges) if rng.random() < 0.2 else rng.randrange(1 << 256)
             for _ in range(k)] for _ in range(n)]


@pytest.mark.parametrize("t", range(2, 18))
def test_sparse_plan_equals_reference(t: int) -> None:
    rng = random.Random(t)
    for row in random_rows(rng, 3, t - 1):
        assert poseidon_planned(row) == poseidon(row)
    plan = sparse_plan(t)
    assert len(plan["partial"]) == partial_rounds(t)
    assert all(len(p) == 2 * t for p in plan["partial"])


@pytest.mark.parametrize("t", range(2, 18))
def test_batch_equals_reference_every_width(nb, t: int) -> None:
    rng = random.Random(100 + t)
    rows = random_rows(rng, 9, t - 1)
    expected = [poseidon(r) for r in rows]
    assert limbs_to_ints(nb.poseidon_batch(rows)) == expected
    assert nb.poseidon_many(rows, threads=3) == expected
    arr = ints_to_limbs(x for r in rows for x in r).reshape(len(rows), t - 1, 4)
    for threads in (1, 2, None):
        out = nb.poseidon_batch(arr, threads=threads)
        assert out.shape == (9, 4) and out.dtype == np.uint64
        assert limbs_to_ints(out) == expected


@pytest.mark.parametrize("vec", VECTORS, ids=lambda v: f"arity{v['arity']}")
def test_batch_on_circomlib_vectors(nb, vec: dict) -> None:
    inputs = [int(x) for x in vec["inputs"]]
    assert nb.poseidon_many([inputs, inputs]) == [int(vec["output"])] * 2


def test_batch_empty_and_errors(nb) -> None:
    assert nb.poseidon_batch(np.zeros((0, 2, 4), dtype=np.uint64)).shape == (0, 4)
    assert nb.poseidon_many([]) == []
    with pytest.raises(NativeError, match="17 inputs"):
        nb.poseidon_batch(np.zeros((1, 17, 4), dtype=np.uint64))
    with pytest.raises(NativeError, match="lengths"):
        nb.poseidon_many([[1, 2], [3]])
    with pytest.raises(NativeError):
        nb.poseidon_batch(np.zeros((2, 3, 5), dtype=np.uint64))


def test_c_kernel_rejects_bad_plans(lib) -> None:
    ffi, clib = lib
    out = np.zeros((1, 4), dtype=np.uint64)
    inp = np.zeros((1, 2, 4), dtype=np.uint64)
    plan = np.zeros((clib.poseidon_plan_elements(3, 57), 4), dtype=np.uint64)
    p = lambda a: ffi.cast("uint64_t *", a.ctypes.data)  # noqa: E731
    plan52 = np.zeros((plan.shape[0], 5), dtype=np.uint64)
    for p52 in (p(plan52), ffi.NULL):
        assert clib.poseidon_batch(p(out), p(inp), 1, 3, 57, p(plan), p52, plan.shape[0], 1) == 0
        assert clib.poseidon_batch(p(out), p(inp), 1, 3, 57, p(plan), p52,
                                   plan.shape[0] - 1, 1) == -1
        assert clib.poseidon_batch(p(out), p(inp), 1, 18, 57, p(plan), p52, plan.shape[0],
                                   1) == -1
        assert clib.poseidon_batch(p(out), p(inp), 1, 1, 57, p(plan), p52, plan.shape[0],
                                   1) == -1


@pytest.mark.parametrize("length", [1, 2, 16, 17, 31, 32, 33, 46, 47])
def test_sequence_batch_equals_reference(nb, length: int) -> None:
    rng = random.Random(length)
    rows = random_rows(rng, 5, length)
    assert nb.poseidon_sequence_many(rows) == [poseidon_sequence(r) for r in rows]


def reference_levels(leaves: list[int], depth: int) -> list[list[int]]:
    """Merkle levels one reference hash at a time."""
    zeros = zero_hashes(depth)
    level = [x % R for x in leaves] or [0]
    levels = [level]
    for height in range(depth):
        if len(level) % 2:
            level = level + [zeros[height]]
        level = [poseidon(level[i:i + 2]) for i in range(0, len(level), 2)]
        levels.append(level)
    return levels


@pytest.mark.parametrize("n,depth", [(0, 0), (1, 0), (0, 3), (1, 1), (3, 2), (5, 3),
                                     (8, 3), (13, 6), (2, 9)])
def test_merkle_levels_equal_reference(nb, n: int, depth: int) -> None:
    rng = random.Random(n * 31 + depth)
    leaves = [rng.randrange(1 << 256) for _ in range(n)]
    expected = reference_levels(leaves, depth)
    assert nb.merkle_levels(leaves, depth, threads=2) == expected
    assert nb.merkle_levels(ints_to_limbs(leaves), depth) == expected
    assert nb.merkle_root(leaves, depth) == expected[-1][0]
    assert native.merkle_root(leaves, depth) == expected[-1][0]


@pytest.fixture(params=[(1, 1), (1, 0), (0, 0)], ids=["ifma", "mulx-adx", "portable"])
def kernel(lib, request):
    """Each Poseidon kernel in turn: the eight-lane AVX-512 IFMA one, the scalar one on
    the MULX/ADX products and the portable scalar one.  On a CPU without IFMA (or ADX)
    asking for it must leave it off, and the test then checks the kernel that runs."""
    _, clib = lib
    asm, ifma = request.param
    old = clib.zkm_asm_enabled(), clib.zkm_ifma_enabled()
    assert clib.zkm_set_asm(asm) == (asm and clib.zkm_cpu_has_adx())
    assert clib.zkm_set_ifma(ifma) == (ifma and clib.zkm_cpu_has_ifma())
    yield request.param
    clib.zkm_set_asm(old[0])
    clib.zkm_set_ifma(old[1])


@pytest.mark.parametrize("t", range(2, 18))
def test_c_batch_every_kernel_every_width(kernel, t: int) -> None:
    """Batches of 1..17 rows: the IFMA kernel hashes eight rows at a time, so this covers
    a partial group alone, one full group, and a full group plus tails; 1 and 2 threads."""
    c = native.get_backend("c")
    rng = random.Random(1000 * t + sum(kernel))
    rows = random_rows(rng, 17, t - 1)
    expected = [poseidon(r) for r in rows]
    for n in (1, 7, 8, 9, 16, 17):
        assert c.poseidon_many(rows[:n], threads=1 + n % 2) == expected[:n]


def _raw_batch(lib, rows: np.ndarray, t: int, plan: np.ndarray) -> np.ndarray:
    """The C batch on ``plan`` (and its IFMA form, for the kernel that is on)."""
    from native.poseidon import plan52_from

    ffi, clib = lib
    out = np.zeros((rows.shape[0], 4), dtype=np.uint64)
    plan52 = np.ascontiguousarray(plan52_from(plan))
    p = lambda a: ffi.cast("uint64_t *", a.ctypes.data)  # noqa: E731
    assert clib.poseidon_batch(p(out), p(rows), rows.shape[0], t, partial_rounds(t), p(plan),
                               p(plan52), plan.shape[0], 2) == 0
    return out


def test_c_batch_other_plans_kernels_agree(lib) -> None:
    """The kernels run the plan they are given (the IFMA one in the form made by
    ``plan52_from``): on altered plans every kernel gives the same hashes."""
    from native.poseidon import plan_limbs

    _, clib = lib
    t = 4
    rng = random.Random(5)
    rows = ints_to_limbs(x for r in random_rows(rng, 11, t - 1) for x in r).reshape(11, t - 1, 4)
    base = plan_limbs(t)
    plans = [base]
    for k in range(6):
        alt = base.copy()
        alt[rng.randrange(alt.shape[0])] = ints_to_limbs([rng.randrange(R)])[0]
        plans.append(alt)
    old = clib.zkm_ifma_enabled()
    try:
        for plan in plans + plans[::-1]:
            clib.zkm_set_ifma(0)
            scalar = _raw_batch(lib, rows, t, plan)
            clib.zkm_set_ifma(1)
            assert np.array_equal(_raw_batch(lib, rows, t, plan), scalar)
        clib.zkm_set_ifma(0)
        assert limbs_to_ints(_raw_batch(lib, rows, t, base)) == [
            poseidon(r) for r in np.asarray(limbs_to_ints(rows.reshape(-1, 4)),
                                            dtype=object).reshape(11, t - 1).tolist()]
    finally:
        clib.zkm_set_ifma(old)
