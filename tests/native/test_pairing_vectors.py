"""go-ethereum's bn256Pairing precompile vectors through `pairing_check` on both backends.

Input: k blocks of 192 bytes (EIP-197): G1 x, y then G2 x_im, x_re, y_im, y_re, each a
32-byte big-endian word; all-zero coordinates encode infinity.  Expected: a 32-byte word 0/1.
"""
from __future__ import annotations

import numpy as np
import pytest

import native
from tests.conftest import load_vectors
from tests.native.pairing_helpers import pairing_backend

VECTORS = load_vectors("evm-precompiles/bn256Pairing.json")
# The py_ecc fallback needs ~0.25 s per pair: it runs every vector of at most 3 pairs
# (12 of the 14); C runs all of them, including the two 10-pair vectors.
PY_MAX_PAIRS = 3


def decode_pairing_input(hex_input: str) -> tuple[np.ndarray, np.ndarray]:
    """EIP-197 pairing input -> (k, 8) G1 and (k, 16) G2 Montgomery affine arrays."""
    data = bytes.fromhex(hex_input)
    assert len(data) % 192 == 0
    words = [int.from_bytes(data[i:i + 32], "big") for i in range(0, len(data), 32)]
    g1s, g2s = [], []
    for j in range(len(data) // 192):
        x, y, x_im, x_re, y_im, y_re = words[6 * j:6 * j + 6]
        g1s.append(None if x == y == 0 else (x, y))
        g2s.append(None if x_im == x_re == y_im == y_re == 0 else ((x_re, x_im), (y_re, y_im)))
    return native.g1_from_ints(g1s).reshape(-1, 8), native.g2_from_ints(g2s).reshape(-1, 16)


def _cases():
    for v in VECTORS:
        k = len(v["Input"]) // 384
        yield pytest.param("c", v, id=f"c-{v['Name']}")
        if k <= PY_MAX_PAIRS:
            yield pytest.param("python", v, id=f"python-{v['Name']}", marks=pytest.mark.slow)


def test_vector_set_is_complete():
    assert len(VECTORS) == 14
    assert {v["Expected"][-1] for v in VECTORS} == {"0", "1"}
    assert sum(1 for v in VECTORS if len(v["Input"]) // 384 <= PY_MAX_PAIRS) == 12


@pytest.mark.parametrize("backend,vector", list(_cases()))
def test_geth_pairing_vector(backend, vector):
    g1s, g2s = decode_pairing_input(vector["Input"])
    expected = int(vector["Expected"], 16)
    assert expected in (0, 1)
    assert pairing_backend(backend).pairing_check(g1s, g2s) is bool(expected)


def test_decoder_reads_the_g2_generator_in_wire_order():
    # one_point: G1 generator (1, 2) and the EIP-197 G2 generator (x_im first on the wire)
    v = next(v for v in VECTORS if v["Name"] == "one_point")
    g1s, g2s = decode_pairing_input(v["Input"])
    assert native.g1_to_ints(g1s) == [native.params.G1_GEN]
    assert native.g2_to_ints(g2s) == [native.params.G2_GEN]
