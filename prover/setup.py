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
from prover.encoding import Q, R, batch_lem_to_u, ints_to_limbs
from prover.errors import ProverError
from prover.ptau import (SEC_LAGRANGE_ALPHA, SEC_LAGRANGE_BETA, SEC_LAGRANGE_G1, SEC_TAU_G1,
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
    (it hashes min(n-1, 2^14) points per chunk, so n points once n > 2^14).

    For n > 2^14 the last point is [tau^(2n-1)] - [tau^(n-1)]; a ptau of power equal to
    the circuit's has tauG1 only up to tau^(2n-2), and snarkjs then reads the 64 bytes
    that follow the tauG1 section in the file as that point (see
    :func:`snarkjs_sub_affine`), so the same bytes are read here."""
    h.update(struct.pack(">I", n - 1))
    tau = ptau.tau_g1()
    for i in range(0, n - 1, H_HASH_CHUNK):
        k = min(n - 1, H_HASH_CHUNK)
        hi, lo = tau[i + n:i + n + k], tau[i:i + k]
        h.update(batch_lem_to_u(sub_rows(hi, lo[:len(hi)])))
        for j in range(len(hi), k):
            h.update(snarkjs_sub_affine(_tau_g1_past_end(ptau, i + n + j - len(tau)), lo[j]))


def _tau_g1_past_end(ptau: PowersOfTau, index: int) -> bytes:
    """The 64 bytes snarkjs reads as tauG1 row ``len(tauG1) + index`` (past the section:
    the next section's header and data)."""
    off, size = ptau.file.sections[SEC_TAU_G1]
    start = off + size + 64 * index
    raw = bytes(ptau.file.data[start:start + 64])
    if len(raw) != 64:
        raise ProverError(f"{ptau.path}: the file ends right after tauG1; a circuit of the "
                          "ptau's own power needs the bytes snarkjs reads there")
    return raw


# -- snarkjs's wasm field arithmetic (wasmcurves build_f1m), bit for bit -----------------
# Values are 256-bit words in Montgomery form that may exceed q (the bytes snarkjs reads
# past tauG1 are not reduced); these helpers keep exactly the word the wasm keeps.
_W = 1 << 256
_NP = (-pow(Q, -1, _W)) % _W


def _f_add(x: int, y: int) -> int:
    r = x + y
    if r >= _W:
        return (r - _W - Q) % _W
    return r - Q if r >= Q else r


def _f_sub(x: int, y: int) -> int:
    r = x - y
    return (r + _W + Q) % _W if r < 0 else r


def _f_mul(x: int, y: int) -> int:
    t = x * y
    t = (t + ((t * _NP) % _W) * Q) >> 256
    return t - Q if t >= Q else t


def snarkjs_sub_affine(raw_p1: bytes, p2_limbs: np.ndarray) -> bytes:
    """What snarkjs hashes for ``g1m_subAffine(p1, p2)`` then ``batchToAffine`` and
    ``batchLEMtoU``: p1 given as its 64 raw LEM bytes (possibly unreduced), p2 a valid
    affine point as LEM limbs.  The mixed-addition formula (add-2007-bl, Z3 = 2H) is
    run with the wasm's word arithmetic; the affine result (X/Z^2, Y/Z^3) in
    big-endian x || y."""
    x1 = int.from_bytes(raw_p1[:32], "little")
    y1 = int.from_bytes(raw_p1[32:], "little")
    limbs = np.ascontiguousarray(p2_limbs, dtype="<u8").tobytes()
    x2 = int.from_bytes(limbs[:32], "little")
    y2 = _f_sub(0, int.from_bytes(limbs[32:], "little"))   # negAffine
    if (x1, y1) == (0, 0) or (x2, y2) == (0, 0) or x1 == x2:
        raise ProverError("ptau: degenerate point past tauG1 (snarkjs would double or "
                          "copy it); this file cannot give snarkjs's circuit hash")
    H = _f_sub(x2, x1)
    dy = _f_sub(y2, y1)
    HH = _f_mul(H, H)
    I = _f_add(HH, HH)
    I = _f_add(I, I)
    J = _f_mul(H, I)
    r = _f_add(dy, dy)
    V = _f_mul(x1, I)
    x3 = _f_sub(_f_sub(_f_mul(r, r), J), _f_add(V, V))
    y1j = _f_mul(y1, J)
    y3 = _f_sub(_f_mul(_f_sub(V, x3), r), _f_add(y1j, y1j))
    z3 = _f_add(H, H)
    r_inv = pow(1 << 256, -1, Q)
    X, Y, Z = (v * r_inv % Q for v in (x3, y3, z3))
    if Z == 0:
        raise ProverError("ptau: the point past tauG1 gives infinity")
    zi = pow(Z, -1, Q)
    return ((X * zi * zi % Q).to_bytes(32, "big") + (Y * zi * zi * zi % Q).to_bytes(32, "big"))


def coef_section(r1cs: Any, n_cons: int, n_pub: int) -> np.ndarray:
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


def check_ptau_points(ptau: PowersOfTau, k: int) -> None:
    """Refuse a ptau whose points used by a 2^k setup are not on their curves (alpha,
    beta, the Lagrange levels k (and k + 1 for tauG1), the tauG1 rows of the circuit
    hash); betaG2 must also be in G2.  A damaged file is named, with the section."""
    from prover.zkey import check_points

    n = 1 << k
    for name, points, subgroup in (
            ("alphaTauG1[0]", ptau.alpha_tau_g1(1), False),
            ("betaTauG1[0]", ptau.beta_tau_g1(1), False),
            ("betaG2", ptau.beta_g2().reshape(1, -1), True),
            ("tauG1", ptau.tau_g1()[:2 * n], False),
            (f"Lagrange tauG1 level {k}", ptau.lagrange(SEC_LAGRANGE_G1, k), False),
            (f"Lagrange tauG1 level {k + 1}", ptau.lagrange(SEC_LAGRANGE_G1, k + 1), False),
            (f"Lagrange tauG2 level {k}", ptau.lagrange(SEC_LAGRANGE_G2, k), False),
            (f"Lagrange alphaTauG1 level {k}", ptau.lagrange(SEC_LAGRANGE_ALPHA, k), False),
            (f"Lagrange betaTauG1 level {k}", ptau.lagrange(SEC_LAGRANGE_BETA, k), False)):
        check_points(ptau.path, name, points, subgroup=subgroup)


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
    check_ptau_points(ptau, k)
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
    return ZKey(n_vars, n_pub, 1 << k, coefs=coef_section(r1cs, n_cons, n_pub),
                mpc=MPCParams(cs_hash), **pts)
