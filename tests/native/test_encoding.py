"""EVM (big-endian) and snarkjs (little-endian Montgomery) encodings, on both backends,
checked with the geth precompile vectors and py_ecc."""
from __future__ import annotations

import pytest
from py_ecc import optimized_bn128 as ob

import native
from native import encoding as enc
from native import params as bn
from tests.conftest import load_vectors
from tests.native.curve_helpers import twist_point_outside_g2


@pytest.fixture(autouse=True)
def _backend(nb, monkeypatch):
    """encoding.py calls `native.*`: point those names at the backend under test."""
    for name in ("fq_from_mont", "fq_to_mont", "g1_is_on_curve", "g2_is_on_curve",
                 "g2_in_subgroup"):
        monkeypatch.setattr(native, name, getattr(nb, name))


def test_geth_add_and_mul_vectors_roundtrip(nb):
    for v in load_vectors("evm-precompiles/bn256Add.json"):
        data = bytes.fromhex(v["Input"]).ljust(128, b"\0")
        p, q = enc.g1_from_evm(data[:64]), enc.g1_from_evm(data[64:128])
        assert enc.g1_to_evm(nb.g1_add(p, q)).hex() == v["Expected"], v["Name"]
    for v in load_vectors("evm-precompiles/bn256ScalarMul.json")[:6]:
        data = bytes.fromhex(v["Input"]).ljust(96, b"\0")
        p, k = enc.g1_from_evm(data[:64]), int.from_bytes(data[64:96], "big")
        assert enc.g1_to_evm(nb.g1_scalar_mul(p, k)).hex() == v["Expected"], v["Name"]


def test_g2_evm_layout_is_imaginary_first(nb):
    pt = native.g2_from_py_ecc(ob.G2)
    raw = enc.g2_to_evm(pt)
    (x_re, x_im), (y_re, y_im) = bn.G2_GEN
    assert raw == b"".join(v.to_bytes(32, "big") for v in (x_im, x_re, y_im, y_re))
    assert (enc.g2_from_evm(raw) == pt).all()
    assert enc.g2_to_evm(native.g2_from_ints([None])[0]) == bytes(128)


def test_decoding_rejects_bad_points(nb):
    good = enc.g1_to_evm(native.g1_from_py_ecc(ob.G1))
    with pytest.raises(native.NativeError):
        enc.g1_from_evm(good[:63])
    with pytest.raises(native.NativeError):  # y + 1: off the curve
        enc.g1_from_evm(good[:63] + bytes([good[63] ^ 1]))
    with pytest.raises(native.NativeError):  # x = p
        enc.g1_from_evm(bn.P.to_bytes(32, "big") + good[32:])
    assert (enc.g1_from_evm(bytes(64)) == 0).all()  # infinity
    outside = enc.g2_to_evm(native.g2_from_py_ecc(twist_point_outside_g2()))
    with pytest.raises(native.NativeError):
        enc.g2_from_evm(outside)
    assert enc.g2_from_evm(outside, check_subgroup=False).shape == (16,)


def test_field_bytes_and_snarkjs_views():
    vals = [0, 1, bn.R - 1, 2**200 + 5]
    std = native.fr_from_ints(vals)
    for order in ("big", "little"):
        raw = enc.fr_to_bytes(std, order)
        assert raw == b"".join(v.to_bytes(32, order) for v in vals)
        assert (enc.fr_from_bytes(raw, order) == std).all()
    g1 = native.g1_from_py_ecc(ob.G1)
    assert (enc.g1_array_from_snarkjs(g1.astype("<u8").tobytes())[0] == g1).all()
    g2 = native.g2_from_py_ecc(ob.G2)
    assert (enc.g2_array_from_snarkjs(g2.astype("<u8").tobytes(), 1)[0] == g2).all()
    with pytest.raises(native.NativeError):
        enc.g1_array_from_snarkjs(bytes(65))
