"""Point and field encodings of the snarkjs files, as plain integers and numpy rows.

* LEM ("little-endian Montgomery"): the on-disk and in-memory layout of points
  (G1 row = x, y as 4 uint64 limbs each; G2 row = x.c0, x.c1, y.c0, y.c1), each
  coordinate ``x * 2^256 mod q``; the point at infinity is all zeros.
* U ("uncompressed"): the hashing layout of snarkjs/ffjavascript (``LEMtoU``): each
  coordinate in standard form, big-endian; an Fq2 coordinate is the 64-byte
  little-endian (c0 || c1) reversed, i.e. c1 then c0 big-endian; infinity = zeros.

These helpers are for headers and single points (Python ints); whole sections go
through ``native`` conversions (:func:`batch_lem_to_u`).
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from native.convert import int_to_limbs, ints_to_limbs, limbs_to_int, limbs_to_ints
from native.encoding import g1_int_to_evm, g2_int_to_evm
from native.params import P as Q
from native.params import R
MONT = 1 << 256
Q_RINV = pow(MONT, -1, Q)
R_RINV = pow(MONT, -1, R)

G1Int = Optional[tuple[int, int]]
G2Int = Optional[tuple[tuple[int, int], tuple[int, int]]]


def fq_from_mont(limbs: np.ndarray) -> int:
    return limbs_to_int(limbs) * Q_RINV % Q


def fq_to_mont(value: int) -> np.ndarray:
    return int_to_limbs(value % Q * MONT % Q)


def g1_to_int(row: np.ndarray) -> G1Int:
    """One LEM G1 row (8 limbs) -> (x, y) or None for infinity."""
    row = np.asarray(row)
    if not row.any():
        return None
    return fq_from_mont(row[0:4]), fq_from_mont(row[4:8])


def g1_from_int(point: G1Int) -> np.ndarray:
    if point is None:
        return np.zeros(8, dtype=np.uint64)
    return np.concatenate([fq_to_mont(point[0]), fq_to_mont(point[1])])


def g2_to_int(row: np.ndarray) -> G2Int:
    """One LEM G2 row (16 limbs) -> ((x0, x1), (y0, y1)) or None for infinity."""
    row = np.asarray(row)
    if not row.any():
        return None
    c = [fq_from_mont(row[4 * i:4 * i + 4]) for i in range(4)]
    return (c[0], c[1]), (c[2], c[3])


def g2_from_int(point: G2Int) -> np.ndarray:
    if point is None:
        return np.zeros(16, dtype=np.uint64)
    (x0, x1), (y0, y1) = point
    return np.concatenate([fq_to_mont(v) for v in (x0, x1, y0, y1)])


def g1_to_u(point: G1Int) -> bytes:
    """ffjavascript ``toRprUncompressed`` of a G1 point (infinity -> 64 zero bytes): the
    EVM encoding."""
    return g1_int_to_evm(point)


def g2_to_u(point: G2Int) -> bytes:
    """ffjavascript ``toRprUncompressed`` of a G2 point: x.c1 x.c0 y.c1 y.c0, big-endian,
    which is the EVM encoding (imaginary part first)."""
    return g2_int_to_evm(point)


def batch_lem_to_u(points: np.ndarray) -> bytes:
    """A whole (n, 8) or (n, 16) LEM section in U form (``batchLEMtoU``)."""
    import native

    pts = np.ascontiguousarray(points, dtype=np.uint64)
    n, width = pts.shape
    if n == 0:
        return b""
    std = native.fq_from_mont(pts.reshape(-1, 4)).reshape(n, width)
    coord_bytes = 32 * (width // 8)          # one coordinate: Fq (32) or Fq2 (64)
    raw = std.view(np.uint8).reshape(n, 2, coord_bytes)[:, :, ::-1]
    return np.ascontiguousarray(raw).tobytes()
