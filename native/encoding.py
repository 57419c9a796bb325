"""Byte encodings of field elements and points (works on either backend).

* EVM (EIP-196/197): big-endian 32-byte words, G1 = x || y (64 bytes), G2 =
  x_im || x_re || y_im || y_re (128 bytes, imaginary part first); infinity = zeros.
* snarkjs (.zkey/.ptau/.wtns): little-endian limbs, Montgomery form, affine: exactly
  the native array layout, so these are views (`np.frombuffer`) with no conversion.
Decoding validates: coordinates < p, on the curve (and for G2 in the subgroup when
asked); malformed input raises `NativeError`.
"""
from __future__ import annotations

import numpy as np

from native import params as bn
from native.convert import NativeError, as_limbs


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
    return _be_words(a[[1, 0, 3, 2]])


def g2_from_evm(data: bytes, check_subgroup: bool = True) -> np.ndarray:
    """128 bytes (imaginary parts first) -> (16,) Montgomery affine; checks range,
    the twist equation and (by default) membership of the order-r subgroup."""
    std = _from_be_words(bytes(data), 4, "g2 point")[[1, 0, 3, 2]]
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
