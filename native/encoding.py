"""Byte encodings of field elements and points (works on either backend).

* EVM (EIP-196/197): big-endian 32-byte words, G1 = x || y (64 bytes), G2 =
  x_im || x_re || y_im || y_re (128 bytes, imaginary part first); infinity = zeros.
* snarkjs (.zkey/.ptau/.wtns): little-endian limbs, Montgomery form, affine: exactly
  the native array layout, so these are views (`np.frombuffer`) with no conversion.
* snarkjs JSON: affine points as decimal strings with a projective z, G1 =
  ``[x, y, "1"]``, G2 = ``[[x_re, x_im], [y_re, y_im], ["1", "0"]]``; infinity has z = 0.
Decoding validates: coordinates < p, on the curve (and for G2 in the subgroup when
asked); malformed input raises `NativeError`.

Integer points (the prover's and verifier's plain-Python form) are ``(x, y)`` for G1 and
``((x_re, x_im), (y_re, y_im))`` for G2, ``None`` for infinity.  The EVM's G2 word order
(imaginary part first, which is also ffjavascript's uncompressed "U" form) is the
permutation :data:`EVM_G2_ORDER` of the real-first coordinates; every EVM encoding in the
project (calldata, contract constants, precompile input, .zkey hashing) goes through it.
"""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from native import params as bn
from native.convert import NativeError, as_limbs


G1Point = Optional[tuple[int, int]]
G2Point = Optional[tuple[tuple[int, int], tuple[int, int]]]

EVM_G2_ORDER = (1, 0, 3, 2)
"""EVM word i of a G2 point is real-first coordinate ``EVM_G2_ORDER[i]`` of
(x_re, x_im, y_re, y_im): x_im, x_re, y_im, y_re.  The permutation is its own inverse."""

WORD_BOUND = 1 << 256


def g1_evm_words(point: G1Point) -> tuple[int, int]:
    """G1 as EVM words ``(x, y)``; infinity is ``(0, 0)``."""
    return (0, 0) if point is None else (point[0], point[1])


def g2_evm_words(point: G2Point) -> tuple[int, int, int, int]:
    """G2 as EVM words ``(x_im, x_re, y_im, y_re)``; infinity is four zeros."""
    if point is None:
        return (0, 0, 0, 0)
    flat = (point[0][0], point[0][1], point[1][0], point[1][1])
    return tuple(flat[i] for i in EVM_G2_ORDER)  # type: ignore[return-value]


def g2_from_evm_words(words: Sequence[int]) -> G2Point:
    """EVM words ``(x_im, x_re, y_im, y_re)`` -> ``((x_re, x_im), (y_re, y_im))``; all zero
    is infinity.  No range or curve check (the callers decide how to reject)."""
    if len(words) != 4:
        raise NativeError(f"g2 point: expected 4 words, got {len(words)}")
    if not any(words):
        return None
    x_re, x_im, y_re, y_im = (words[i] for i in EVM_G2_ORDER)
    return ((x_re, x_im), (y_re, y_im))


def words_to_bytes(words: Sequence[int]) -> bytes:
    """Big-endian 32-byte words; every value must lie in [0, 2^256)."""
    out = bytearray()
    for w in words:
        if not 0 <= w < WORD_BOUND:
            raise NativeError(f"value {w} does not fit in a 256-bit word")
        out += w.to_bytes(32, "big")
    return bytes(out)


def g1_int_to_evm(point: G1Point) -> bytes:
    """G1 -> 64 bytes ``x || y`` (infinity: zeros); equals ffjavascript's U form."""
    return words_to_bytes(g1_evm_words(point))


def g2_int_to_evm(point: G2Point) -> bytes:
    """G2 -> 128 bytes ``x_im || x_re || y_im || y_re``; equals ffjavascript's U form."""
    return words_to_bytes(g2_evm_words(point))


def g1_to_snarkjs(point: G1Point) -> list[str]:
    """G1 as snarkjs JSON ``[x, y, "1"]``; infinity ``["0", "1", "0"]``."""
    return ["0", "1", "0"] if point is None else [str(point[0]), str(point[1]), "1"]


def g2_to_snarkjs(point: G2Point) -> list[list[str]]:
    """G2 as snarkjs JSON ``[[x_re, x_im], [y_re, y_im], ["1", "0"]]``; infinity has z = 0."""
    if point is None:
        return [["0", "0"], ["1", "0"], ["0", "0"]]
    (x_re, x_im), (y_re, y_im) = point
    return [[str(x_re), str(x_im)], [str(y_re), str(y_im)], ["1", "0"]]


def _api():
    import native

    return native


def _be_words(std: np.ndarray) -> bytes:
    """(k, 4) standard limbs -> k big-endian 32-byte words."""
    return np.ascontiguousarray(std[:, ::-1]).astype(">u8").tobytes()


def _from_be_words(data: bytes, k: int, what: str) -> np.ndarray:
    """k big-endian 32-byte words -> (k, 4) standard limbs, each checked < p."""
    if len(data) != 32 * k:
        raise NativeError(f"{what}: expected {32 * k} bytes, got {len(data)}")
    std = np.frombuffer(data, dtype=">u8").reshape(k, 4)[:, ::-1].astype(np.uint64)
    for row in std:
        if int.from_bytes(row.astype("<u8").tobytes(), "little") >= bn.P:
            raise NativeError(f"{what}: coordinate not below the field modulus")
    return np.ascontiguousarray(std)


def fr_to_bytes(arr: np.ndarray, byteorder: str = "big") -> bytes:
    """Standard-form (n, 4) limbs -> n 32-byte words ("big" or "little" endian)."""
    a = as_limbs(arr, 4, "fr").reshape(-1, 4)
    if byteorder == "little":
        return a.astype("<u8").tobytes()
    if byteorder == "big":
        return _be_words(a)
    raise NativeError(f"byteorder must be 'big' or 'little', got {byteorder!r}")


def fr_from_bytes(data: bytes, byteorder: str = "big") -> np.ndarray:
    """n 32-byte words -> (n, 4) standard limbs (not reduced)."""
    if len(data) % 32:
        raise NativeError("field bytes: length is not a multiple of 32")
    if byteorder == "little":
        return np.frombuffer(data, dtype="<u8").reshape(-1, 4).astype(np.uint64)
    if byteorder == "big":
        return np.ascontiguousarray(
            np.frombuffer(data, dtype=">u8").reshape(-1, 4)[:, ::-1].astype(np.uint64))
    raise NativeError(f"byteorder must be 'big' or 'little', got {byteorder!r}")


def g1_to_evm(p: np.ndarray) -> bytes:
    """(8,) Montgomery affine -> 64 bytes x || y big-endian (infinity -> zeros)."""
    a = as_limbs(p, 8, "g1").reshape(2, 4)
    return _be_words(_api().fq_from_mont(a))


def g1_from_evm(data: bytes) -> np.ndarray:
    """64 bytes x || y big-endian -> (8,) Montgomery affine; checks range and curve."""
    std = _from_be_words(bytes(data), 2, "g1 point")
    nat = _api()
    pt = nat.fq_to_mont(std).reshape(8)
    if not nat.g1_is_on_curve(pt):
        raise NativeError("g1 point: not on the curve y^2 = x^3 + 3")
    return pt


def g2_to_evm(p: np.ndarray) -> bytes:
    """(16,) Montgomery affine -> 128 bytes x_im || x_re || y_im || y_re big-endian."""
    a = _api().fq_from_mont(as_limbs(p, 16, "g2").reshape(4, 4))
    return _be_words(a[list(EVM_G2_ORDER)])


def g2_from_evm(data: bytes, check_subgroup: bool = True) -> np.ndarray:
    """128 bytes (imaginary parts first) -> (16,) Montgomery affine; checks range,
    the twist equation and (by default) membership of the order-r subgroup."""
    std = _from_be_words(bytes(data), 4, "g2 point")[list(EVM_G2_ORDER)]
    nat = _api()
    pt = nat.fq_to_mont(np.ascontiguousarray(std)).reshape(16)
    if not nat.g2_is_on_curve(pt):
        raise NativeError("g2 point: not on the twist y^2 = x^3 + 3/(9+u)")
    if check_subgroup and not nat.g2_in_subgroup(pt):
        raise NativeError("g2 point: not in the order-r subgroup")
    return pt


def _point_array_from_snarkjs(buf: bytes | memoryview, n: int | None, limbs: int,
                              group: str) -> np.ndarray:
    """snarkjs LE Montgomery affine section -> (n, limbs) uint64 view (no copy, no checks)."""
    a = np.frombuffer(buf, dtype="<u8") if len(buf) % (8 * limbs) == 0 else None
    if a is None or (n is not None and a.size != limbs * n):
        raise NativeError(f"snarkjs {group} section: size is not n x {8 * limbs} bytes")
    return a.reshape(-1, limbs)


def g1_array_from_snarkjs(buf: bytes | memoryview, n: int | None = None) -> np.ndarray:
    """snarkjs LE Montgomery affine G1 section -> (n, 8) view (no copy, no checks)."""
    return _point_array_from_snarkjs(buf, n, 8, "g1")


def g2_array_from_snarkjs(buf: bytes | memoryview, n: int | None = None) -> np.ndarray:
    """snarkjs LE Montgomery affine G2 section -> (n, 16) view (no copy, no checks)."""
    return _point_array_from_snarkjs(buf, n, 16, "g2")
