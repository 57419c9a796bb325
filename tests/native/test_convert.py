"""The one signed encoding and the one limb <-> int conversion of the project."""
from __future__ import annotations

import random

import numpy as np
import pytest

from native.convert import (NativeError, decode_signed, encode_signed, int_to_limbs,
                            ints_to_limbs, limbs_to_int, limbs_to_ints, signed_to_limbs)
from native.params import R


def test_signed_round_trip_and_edges() -> None:
    half = (R - 1) // 2
    for x in (0, 1, -1, half, -half, 2**126, -(2**126)):
        assert decode_signed(encode_signed(x)) == x
    assert encode_signed(-1) == R - 1
    assert decode_signed(half) == half and decode_signed(half + 1) == half + 1 - R
    assert decode_signed(R + 5) == 5  # reduced first


def test_signed_to_limbs_matches_ints() -> None:
    rng = random.Random(3)
    values = [0, 1, -1, 2**63 - 1, -(2**63) + 1, -(2**63)]
    values += [rng.randrange(-(2**63), 2**63) for _ in range(500)]
    arr = np.array(values, dtype=np.int64).reshape(-1, 2)
    out = signed_to_limbs(arr)
    assert out.shape == (len(values) // 2, 2, 4)
    assert limbs_to_ints(out.reshape(-1, 4)) == [encode_signed(v) for v in values]
    with pytest.raises(NativeError):
        signed_to_limbs(np.array([1.0]))


def test_limb_conversions() -> None:
    for v in (0, 1, 2**64, 2**256 - 1):
        limbs = int_to_limbs(v)
        assert limbs.shape == (4,) and limbs.dtype == np.uint64 and limbs.flags.writeable
        assert limbs_to_int(limbs) == v
    assert limbs_to_ints(ints_to_limbs([5, 2**200])) == [5, 2**200]
    with pytest.raises(NativeError):
        int_to_limbs(2**256)
    with pytest.raises(NativeError):
        int_to_limbs(-1)
