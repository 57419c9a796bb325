"""native.encoding: the one EVM/snarkjs codec shared by prover and verifier."""
from __future__ import annotations

import numpy as np
import pytest
from py_ecc import optimized_bn128 as bn

import native
from native.convert import NativeError
from native.encoding import (EVM_G2_ORDER, g1_int_to_evm, g1_to_snarkjs, g2_evm_words,
                             g2_from_evm_words, g2_int_to_evm, g2_to_evm, g2_to_snarkjs,
                             words_to_bytes)
from prover.encoding import g2_to_u
from verifier.calldata import proof_words
from verifier.keys import Proof, parse_g2

G2_POINT = tuple((int(c.coeffs[0]), int(c.coeffs[1])) for c in bn.normalize(bn.multiply(bn.G2, 7)))
G1_POINT = tuple(int(c) for c in bn.normalize(bn.multiply(bn.G1, 5)))


def test_g2_words_put_the_imaginary_part_first_and_round_trip() -> None:
    (x_re, x_im), (y_re, y_im) = G2_POINT
    assert g2_evm_words(G2_POINT) == (x_im, x_re, y_im, y_re)
    assert g2_from_evm_words(g2_evm_words(G2_POINT)) == G2_POINT
    assert g2_evm_words(None) == (0, 0, 0, 0) and g2_from_evm_words((0, 0, 0, 0)) is None
    assert sorted(EVM_G2_ORDER) == [0, 1, 2, 3]


def test_every_user_of_the_swap_agrees() -> None:
    """The array codec, ffjavascript's U form (prover), calldata words (verifier) and the
    int codec give the same bytes."""
    expected = words_to_bytes(g2_evm_words(G2_POINT))
    assert g2_int_to_evm(G2_POINT) == expected == g2_to_u(G2_POINT)
    assert g2_to_evm(native.g2_from_ints([G2_POINT])[0]) == expected
    words = proof_words(Proof(G1_POINT, G2_POINT, None))
    assert words_to_bytes(words[2:6]) == expected and words[6:] == [0, 0]
    assert g1_int_to_evm(G1_POINT) == words_to_bytes(G1_POINT)


def test_snarkjs_json_round_trips_through_the_verifier_parser() -> None:
    assert parse_g2(g2_to_snarkjs(G2_POINT), "b") == G2_POINT
    assert parse_g2(g2_to_snarkjs(None), "b") is None
    assert g1_to_snarkjs(G1_POINT) == [str(G1_POINT[0]), str(G1_POINT[1]), "1"]


def test_words_must_fit() -> None:
    with pytest.raises(NativeError, match="256-bit"):
        words_to_bytes([1 << 256])
    with pytest.raises(NativeError, match="4 words"):
        g2_from_evm_words((1, 2, 3))
    assert np.frombuffer(words_to_bytes([1]), dtype=">u8")[-1] == 1
