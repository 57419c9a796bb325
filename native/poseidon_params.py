"""Poseidon parameters for BN254, generated with the Grain LFSR of the Poseidon paper.

This re-implements the reference procedure ``generate_parameters_grain.sage``
(Grassi et al., "Poseidon", USENIX'21, Appendix F) for the instance circomlib uses:
prime field (``field = 1``), x^5 S-box (``sbox = 0``), ``n = 254`` bits, width ``t``,
``R_F = 8`` full rounds and circomlib's ``R_P`` partial rounds.

Grain LFSR (80 bits): the state is initialised with the bits of
``field (2) | sbox (4) | n (12) | t (12) | R_F (10) | R_P (10) | 1 x 30``; every step
appends ``b[k+80] = b[k+62] ^ b[k+51] ^ b[k+38] ^ b[k+23] ^ b[k+13] ^ b[k]``.
The first 160 generated bits (b[80..239]) are discarded; afterwards bits are read in pairs ``(a, b)`` and
``b`` is output only when ``a = 1`` (self-shrinking).  A field element is ``n``
output bits, most significant first; round constants are rejection-sampled below
``r``; then ``2t`` further elements ``x_0..x_{t-1}, y_0..y_{t-1}`` (reduced mod ``r``)
give the Cauchy MDS matrix ``M[i][j] = 1 / (x_i + y_j)``.

Everything is cached per ``t`` (one generation costs ~0.1 s).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterator

import numpy as np

from native.convert import NativeError
from native.params import R

FIELD_PRIME = 1
SBOX_POW = 0
FIELD_SIZE = 254
R_F = 8
N_ROUNDS_P = (56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68)
"""circomlib's partial-round counts for t = 2..17."""

_TAPS_MASK = (1 << 18) - 1  # the nearest tap is 80 - 62 = 18 bits back


def partial_rounds(t: int) -> int:
    """R_P for width t (2 <= t <= 17), from circomlib's table."""
    if not 2 <= t <= 17:
        raise NativeError(f"Poseidon width t={t} outside 2..17")
    return N_ROUNDS_P[t - 2]


def _init_state(t: int, r_p: int) -> int:
    """The 80-bit initial LFSR state as an int, bit i = b[i] (b[0] = first bit)."""
    fields = ((FIELD_PRIME, 2), (SBOX_POW, 4), (FIELD_SIZE, 12), (t, 12), (R_F, 10), (r_p, 10))
    bits = "".join(format(v, f"0{w}b") for v, w in fields) + "1" * 30
    return sum(1 << i for i, c in enumerate(bits) if c == "1")


def _raw_bits(t: int, r_p: int, count: int) -> np.ndarray:
    """At least ``count`` generated LFSR bits b[80], b[81], ... (18 per step, bit-parallel)."""
    w = _init_state(t, r_p)
    chunks = []
    for _ in range(-(-count // 18)):
        new = ((w >> 62) ^ (w >> 51) ^ (w >> 38) ^ (w >> 23) ^ (w >> 13) ^ w) & _TAPS_MASK
        chunks.append(new)
        w = (w >> 18) | (new << 62)
    arr = np.array(chunks, dtype=np.uint32)
    return ((arr[:, None] >> np.arange(18, dtype=np.uint32)) & 1).astype(np.uint8).reshape(-1)


def _output_bits(t: int, r_p: int) -> Iterator[int]:
    """The self-shrunk Grain output, generated in growing blocks."""
    count = 1 << 20
    produced = 0
    while True:
        raw = _raw_bits(t, r_p, count)[160:]  # after 160 warm-up bits: b[240], b[241], ...
        raw = raw[: len(raw) & ~1]
        out = raw[1::2][raw[0::2] == 1]
        yield from out[produced:].tolist()
        produced = len(out)
        count *= 2


def _elements(bits: Iterator[int], n: int) -> Iterator[int]:
    """Unbounded stream of n-bit integers read MSB first from ``bits``."""
    while True:
        v = 0
        for _ in range(n):
            v = (v << 1) | next(bits)
        yield v


@lru_cache(maxsize=None)
def grain_parameters(t: int) -> tuple[tuple[int, ...], tuple[tuple[int, ...], ...]]:
    """Round constants (flat, (R_F + R_P) * t of them) and the t x t MDS matrix."""
    r_p = partial_rounds(t)
    elements = _elements(_output_bits(t, r_p), FIELD_SIZE)
    constants = []
    while len(constants) < (R_F + r_p) * t:
        v = next(elements)
        if v < R:
            constants.append(v)
    while True:
        xy = [next(elements) % R for _ in range(2 * t)]
        if len(set(xy)) == 2 * t and all((x + y) % R for x in xy[:t] for y in xy[t:]):
            break
    xs, ys = xy[:t], xy[t:]
    mds = tuple(tuple(pow((x + y) % R, R - 2, R) for y in ys) for x in xs)
    return tuple(constants), mds
