"""Native Poseidon and Merkle trees against circomlib's vectors and a plain reference."""
from __future__ import annotations

import random

import pytest

from circuits.field import R, CircuitError
from circuits.merkle import merkle_path, merkle_root, merkle_root_from_path, merkle_verify
from circuits.poseidon import poseidon, poseidon_sequence
from circuits.poseidon_params import R_F, grain_parameters, partial_rounds
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
    with pytest.raises(CircuitError, match="17 inputs"):
        poseidon([1] * 17)
    with pytest.raises(CircuitError):
        poseidon([])
    with pytest.raises(CircuitError):
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
    with pytest.raises(CircuitError, match="do not fit"):
        merkle_root([1, 2, 3], 1)
    with pytest.raises(CircuitError, match="index"):
        merkle_path([1], 2, 4)
    with pytest.raises(CircuitError, match="bit"):
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
