"""Circuit-specific Groth16 setup (phase 2 "zkey new"), exactly as snarkjs does it.

From an R1CS (A, B, C) with n_pub public wires and a prepared ptau whose Lagrange
level k (n = 2^k > nConstraints + n_pub) is [L_c(tau)], with delta = gamma = 1:

* rows nConstraints + i (i <= n_pub) of A get the entry A[i] = 1 (this makes the
  public inputs independent, as snarkjs does);
* a_query[s] = sum_c A_cs [L_c(tau)] G1, b_g1_query / b_g2_query likewise with B;
* for s <= n_pub: gamma_abc_g1[s] = sum_c (A_cs [beta L_c] + B_cs [alpha L_c] +
  C_cs [L_c]) G1; for the others the same sum is l_query[s - n_pub - 1];
* h_query[j] = [L^(2n)_(2j+1)(tau)] G1 (odd points of the double domain);
* cs_hash = blake2b-512 over the uncompressed header points, then each point section
  in snarkjs's order (IC, "H" as [tau^(i+n) - tau^i] G1, C, A, B1, B2), each preceded
  by its point count as a big-endian u32.

Every query point is a small multi-scalar multiplication over ptau points (``native``).
"""
from __future__ import annotations

import hashlib
import logging
import struct
from typing import Any

import numpy as np

from prover.curve import sub_rows
from prover.encoding import R, batch_lem_to_u, ints_to_limbs
from prover.errors import ProverError
from prover.ptau import (SEC_LAGRANGE_ALPHA, SEC_LAGRANGE_BETA, SEC_LAGRANGE_G1,
                         SEC_LAGRANGE_G2, PowersOfTau)
from prover.zkey import COEF_DTYPE, MPCParams, ZKey

log = logging.getLogger(__name__)
R2 = (1 << 512) % R
H_HASH_CHUNK = 1 << 14


def circuit_power(n_constraints: int, n_public: int) -> int:
    """snarkjs: log2(nConstraints + nPublic) + 1, the smallest k with
    2^k > nConstraints + nPublic."""
    return max(n_constraints + n_public, 1).bit_length()


def _entries(r1cs: Any) -> tuple[list, list, list]:
    """(matrix_entries for A, B, C) as lists of (constraint, signal, coef) in file order."""
    mats: tuple[list, list, list] = ([], [], [])
    for c, row in enumerate(r1cs.constraints):
        for m in range(3):
            mats[m].extend((c, s, v % R) for s, v in row[m].items())
    return mats


def _group_msm(groups: dict[int, list], count: int, width: int, threads) -> np.ndarray:
    """out[s] = MSM over the (point, scalar) pairs of group s (zero when empty)."""
    import native

    msm = native.g1_msm if width == 8 else native.g2_msm
    out = np.zeros((count, width), dtype=np.uint64)
    for s, pairs in groups.items():
        if len(pairs) == 1 and pairs[0][1] == 1:
            out[s] = pairs[0][0]
            continue
        pts = np.array([p for p, _ in pairs], dtype=np.uint64)
        out[s] = msm(pts, ints_to_limbs([k for _, k in pairs]), threads=threads)
    return out


def _hash_section(h: "hashlib._Hash", points: np.ndarray) -> None:
    h.update(struct.pack(">I", len(points)))
    h.update(batch_lem_to_u(points))


def _hash_h_points(h: "hashlib._Hash", ptau: PowersOfTau, n: int) -> None:
    """snarkjs ``hashHPoints``: [tau^(i+n)] - [tau^i], in chunks of 2^14 points
    (it hashes min(n-1, 2^14) points per chunk, so n points once n > 2^14)."""
    h.update(struct.pack(">I", n - 1))
    tau = ptau.tau_g1()
    if n > H_HASH_CHUNK and 2 * n > len(tau):
        raise ProverError(f"{ptau.path}: a 2^{n.bit_length() - 1} circuit needs a ptau of "
                          "power >= circuit power + 1 (snarkjs's circuit hash reads "
                          "beyond tauG1 otherwise)")
    for i in range(0, n - 1, H_HASH_CHUNK):
        k = min(n - 1, H_HASH_CHUNK)
        h.update(batch_lem_to_u(sub_rows(tau[i + n:i + n + k], tau[i:i + k])))


def _coef_section(r1cs: Any, n_cons: int, n_pub: int) -> np.ndarray:
    """Section 4: per constraint its A entries then its B entries, then the public
    rows (0, nConstraints + s, s, 1); values stored as v R^2 mod r."""
    rows = []
    for c, row in enumerate(r1cs.constraints):
        rows += [(0, c, s, v % R) for s, v in row[0].items()]
        rows += [(1, c, s, v % R) for s, v in row[1].items()]
    rows += [(0, n_cons + s, s, 1) for s in range(n_pub + 1)]
    coefs = np.zeros(len(rows), dtype=COEF_DTYPE)
    if rows:
        cols = list(zip(*rows))
        coefs["matrix"], coefs["constraint"], coefs["signal"] = cols[0], cols[1], cols[2]
        coefs["value"] = ints_to_limbs([v * R2 % R for v in cols[3]])
    return coefs


def _query_groups(r1cs: Any, ptau: PowersOfTau, k: int, n_pub: int) -> dict[str, dict]:
    """Per wire s, the (ptau point, coefficient) pairs of each query's MSM."""
    n_vars, n_cons = r1cs.n_wires, len(r1cs.constraints)
    lag = ptau.lagrange(SEC_LAGRANGE_G1, k)
    lag2 = ptau.lagrange(SEC_LAGRANGE_G2, k)
    lag_alpha = ptau.lagrange(SEC_LAGRANGE_ALPHA, k)
    lag_beta = ptau.lagrange(SEC_LAGRANGE_BETA, k)
    a_ent, b_ent, c_ent = _entries(r1cs)
    a_ent += [(n_cons + s, s, 1) for s in range(n_pub + 1)]
    for ents in (a_ent, b_ent, c_ent):
        for c, s, _ in ents:
            if s >= n_vars:
                raise ProverError(f"r1cs: constraint {c} uses wire {s} >= nWires {n_vars}")
    g: dict[str, dict] = {"a": {}, "b1": {}, "b2": {}, "l": {}}
    for c, s, v in a_ent:
        g["a"].setdefault(s, []).append((lag[c], v))
        g["l"].setdefault(s, []).append((lag_beta[c], v))
    for c, s, v in b_ent:
        g["b1"].setdefault(s, []).append((lag[c], v))
        g["b2"].setdefault(s, []).append((lag2[c], v))
        g["l"].setdefault(s, []).append((lag_alpha[c], v))
    for c, s, v in c_ent:
        g["l"].setdefault(s, []).append((lag[c], v))
    return g


def circuit_hash(points: dict[str, np.ndarray], ptau: PowersOfTau, n: int) -> bytes:
    """snarkjs's csHash of an initial key (see the module docstring)."""
    h = hashlib.blake2b(digest_size=64)
    for name in ("alpha_g1", "beta_g1", "beta_g2", "gamma_g2", "delta_g1", "delta_g2"):
        h.update(batch_lem_to_u(points[name].reshape(1, -1)))
    _hash_section(h, points["gamma_abc_g1"])
    _hash_h_points(h, ptau, n)
    for name in ("l_query", "a_query", "b_g1_query", "b_g2_query"):
        _hash_section(h, points[name])
    return h.digest()


def new_zkey(r1cs: Any, ptau: PowersOfTau, threads=None) -> ZKey:
    """The initial (no contribution) Groth16 key of ``r1cs`` on ``ptau``."""
    import native
    from native.params import G1_GEN, G2_GEN

    if r1cs.prime != R:
        raise ProverError("r1cs prime is not the BN254 scalar field (curve mismatch)")
    n_pub = r1cs.n_pub_out + r1cs.n_pub_in
    n_vars, n_cons = r1cs.n_wires, len(r1cs.constraints)
    k = circuit_power(n_cons, n_pub)
    if k > ptau.power:
        raise ProverError(f"{ptau.path}: circuit needs 2^{k} points, ptau has power "
                          f"{ptau.power}")
    log.info("setup: %d wires, %d constraints, domain 2^%d", n_vars, n_cons, k)
    g = _query_groups(r1cs, ptau, k, n_pub)
    g1 = native.g1_from_ints([G1_GEN])[0]
    g2 = native.g2_from_ints([G2_GEN])[0]
    pts = {
        "alpha_g1": np.array(ptau.alpha_tau_g1(1)[0]),
        "beta_g1": np.array(ptau.beta_tau_g1(1)[0]),
        "beta_g2": np.array(ptau.beta_g2()),
        "gamma_g2": g2, "delta_g1": g1, "delta_g2": g2.copy(),
        "gamma_abc_g1": _group_msm({s: x for s, x in g["l"].items() if s <= n_pub},
                                   n_pub + 1, 8, threads),
        "l_query": _group_msm({s - n_pub - 1: x for s, x in g["l"].items() if s > n_pub},
                              n_vars - n_pub - 1, 8, threads),
        "a_query": _group_msm(g["a"], n_vars, 8, threads),
        "b_g1_query": _group_msm(g["b1"], n_vars, 8, threads),
        "b_g2_query": _group_msm(g["b2"], n_vars, 16, threads),
        "h_query": np.ascontiguousarray(ptau.lagrange(SEC_LAGRANGE_G1, k + 1)[1::2]),
    }
    cs_hash = circuit_hash(pts, ptau, 1 << k)
    return ZKey(n_vars, n_pub, 1 << k, coefs=_coef_section(r1cs, n_cons, n_pub),
                mpc=MPCParams(cs_hash), **pts)
