"""A local *development* powers-of-tau ceremony: insecure, fast, snarkjs-compatible.

Whoever runs it draws tau, alpha, beta and could forge proofs for every circuit set up
from the file, so it is for development, tests and benchmarks only.  The output is a
``.ptau`` already *prepared for phase 2* (Lagrange sections 12-15), byte-compatible
with what ``snarkjs powersoftau prepare phase2`` would write for the same secrets:

* tauG1[i] = [tau^i] G1 (i < 2N-1), tauG2[i] = [tau^i] G2, alphaTauG1[i] =
  [alpha tau^i] G1, betaTauG1[i] = [beta tau^i] G1 (i < N), betaG2 = [beta] G2;
* Lagrange level p (M = 2^p, w = w_M): L_j(tau) = (tau^M - 1) w^j / (M (tau - w^j));
* the extra tauG1 level p = power+1 is the inverse FFT of tauG1 padded with one zero
  point, i.e. L_j(tau) - w^j tau^(M-1) / M.

Points come from one fixed-base multiplication per section (``native``); the scalars
are computed in Fr with one batch of 2N inversions shared by every level (the level-M
roots are the even powers of the level-2M roots).
"""
from __future__ import annotations

import logging
import secrets
import struct
from dataclasses import dataclass
from typing import Optional

import numpy as np

from native.params import G1_GEN, G2_GEN, fr_root_of_unity
from prover.encoding import R, ints_to_limbs
from prover.errors import ProverError
from prover.ptau import MAX_POWER, write_ptau

log = logging.getLogger(__name__)


@dataclass
class ToxicWaste:
    """The secrets of a development ceremony (never leave a real ceremony's around)."""

    tau: int
    alpha: int
    beta: int


def draw_toxic_waste(seed: Optional[int] = None) -> ToxicWaste:
    """tau, alpha, beta uniformly in [1, r); from the OS CSPRNG unless ``seed`` is
    given (tests only: a seeded ceremony is reproducible and therefore public)."""
    if seed is None:
        draw = lambda: 1 + secrets.randbelow(R - 1)  # noqa: E731
    else:
        import random

        rnd = random.Random(seed)
        draw = lambda: 1 + rnd.randrange(R - 1)  # noqa: E731
    return ToxicWaste(draw(), draw(), draw())


def powers(x: int, count: int) -> list[int]:
    """[x^0, x^1, ..., x^(count-1)] mod r."""
    out = [1] * count
    for i in range(1, count):
        out[i] = out[i - 1] * x % R
    return out


def batch_inverse(values: list[int]) -> list[int]:
    """Montgomery's trick: all inverses mod r with one exponentiation."""
    prefix = [1] * (len(values) + 1)
    for i, v in enumerate(values):
        prefix[i + 1] = prefix[i] * v % R
    inv = pow(prefix[-1], -1, R)
    out = [0] * len(values)
    for i in range(len(values) - 1, -1, -1):
        out[i] = inv * prefix[i] % R
        inv = inv * values[i] % R
    return out


def lagrange_levels(tau: int, top: int) -> list[list[int]]:
    """L^(2^p)_j(tau) for p = 0..top, j < 2^p (tau must not be a root of unity)."""
    m_top = 1 << top
    w_top = fr_root_of_unity(top)
    roots = powers(w_top, m_top)
    inv = batch_inverse([(tau - w) % R for w in roots])
    levels = []
    for p in range(top + 1):
        m, step = 1 << p, 1 << (top - p)
        factor = (pow(tau, m, R) - 1) * pow(m, -1, R) % R
        levels.append([factor * roots[j * step] % R * inv[j * step] % R for j in range(m)])
    return levels


def dev_ptau_sections(power: int, waste: ToxicWaste, threads: Optional[int] = None) -> dict:
    """All point sections (2-7, 12-15) of a prepared ptau for the given secrets."""
    import native

    if not 1 <= power <= MAX_POWER - 1:
        raise ProverError(f"--power {power}: must be in 1..{MAX_POWER - 1}")
    n = 1 << power
    tau, alpha, beta = waste.tau, waste.alpha, waste.beta
    if pow(tau, 1 << (power + 1), R) == 1:
        raise ProverError("tau is a root of unity of the domain; draw again")
    g1 = native.g1_from_ints([G1_GEN])[0]
    g2 = native.g2_from_ints([G2_GEN])[0]

    def mul1(scalars: list[int]) -> np.ndarray:
        return native.g1_fixed_base_mul(g1, ints_to_limbs(scalars), threads=threads)

    def mul2(scalars: list[int]) -> np.ndarray:
        return native.g2_fixed_base_mul(g2, ints_to_limbs(scalars), threads=threads)

    tp = powers(tau, 2 * n)
    levels = lagrange_levels(tau, power + 1)
    m_top, w_top = 2 * n, fr_root_of_unity(power + 1)
    corr = tp[m_top - 1] * pow(m_top, -1, R) % R
    w = 1
    for j in range(m_top):                       # the zero-padded top level
        levels[-1][j] = (levels[-1][j] - w * corr) % R
        w = w * w_top % R
    flat_g1 = [x for lvl in levels for x in lvl]
    flat = [x for lvl in levels[:-1] for x in lvl]
    log.info("dev ceremony: %d G1 + %d G2 fixed-base multiplications", 6 * n + 4 * m_top,
             3 * n)
    return {
        2: [mul1(tp[:2 * n - 1])],
        3: [mul2(tp[:n])],
        4: [mul1([alpha * t % R for t in tp[:n]])],
        5: [mul1([beta * t % R for t in tp[:n]])],
        6: [mul2([beta])],
        7: [struct.pack("<I", 0)],
        12: [mul1(flat_g1)],
        13: [mul2(flat)],
        14: [mul1([alpha * x % R for x in flat])],
        15: [mul1([beta * x % R for x in flat])],
    }


def dev_ceremony(path, power: int, seed: Optional[int] = None,
                 threads: Optional[int] = None) -> None:
    """Write a prepared development ``.ptau`` of the given power (INSECURE)."""
    from zkbase.files import atomic_open

    sections = dev_ptau_sections(power, draw_toxic_waste(seed), threads)
    with atomic_open(path, "wb") as fh:
        write_ptau(fh, power, sections)
